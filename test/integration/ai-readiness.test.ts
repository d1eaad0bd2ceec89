import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/server/platform/observability.js';
import { LogSink, useTestApp } from '../helpers/app.js';
import { TEST_AI_CONFIG } from '../helpers/ai.js';

const t = useTestApp();

describe('/readyz and /metrics show the AI gateway', () => {
  it('without AI_BASE_URL: the offline provider, no breaker to open', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json().ai).toEqual({ provider: 'local', model: 'onering-local', breaker: 'closed' });
  });

  it('with AI_BASE_URL: the provider, the configured model and its breaker; the key is nowhere', async () => {
    const secret = 'sk-test-never-shown-0123456789';
    const { app } = await t.build({ config: { ai: { ...TEST_AI_CONFIG, baseUrl: 'http://127.0.0.1:9/v1', apiKey: secret, model: 'gpt-4.1-mini' } } });
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json().ai).toEqual({ provider: 'openai', model: 'gpt-4.1-mini', breaker: 'closed' });
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('onering_ai_breaker_state{provider="openai"} 0');
    expect(res.body + metrics.body).not.toContain(secret);
  });
});

describe('AI_API_KEY', () => {
  it('is redacted from log lines, at the top or inside the config', () => {
    const secret = 'sk-test-never-logged-0123456789';
    const sink = new LogSink();
    createLogger('info', sink).info({ apiKey: secret, ai: { apiKey: secret }, config: { ai: { apiKey: secret } } }, 'configured');
    expect(sink.lines).toHaveLength(1);
    expect(sink.lines[0]).not.toContain(secret);
  });
});
