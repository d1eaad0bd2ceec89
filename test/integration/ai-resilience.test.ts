import { describe, expect, it, vi } from 'vitest';
import { PLATFORMS } from '../../src/contract/constants.js';
import type { AiEnvelope } from '../../src/server/features/ai/gateway-types.js';
import { mirrorEnvelope } from '../../src/server/features/coach/mirror-prompt.js';
import { turnEnvelope } from '../../src/server/features/coach/turn-prompt.js';
import { budgetUse, envelopeFor, insertUser, reservationRow, usageRows, type TestGateway, useGatewayHarness } from '../helpers/ai.js';
import { createLogger } from '../../src/server/platform/observability.js';
import { LogSink } from '../helpers/app.js';
import { FAKE_DEFAULT_TEXT, FakeOpenAi } from '../helpers/fake-openai.js';

const { fake, gateways, clock, db } = useGatewayHarness();

const outcomes = async () => (await usageRows(db())).map((r) => `${r.provider}:${r.outcome}`);

describe('timeouts', () => {
  it('an attempt past the envelope timeout is recorded as timeout and the offline provider answers, marked fallback', async () => {
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl });
    const userId = await insertUser(db(), clock.now());
    fake.then({ hang: true });
    // The attempt's timeout runs on fake timers: it passes when the provider has the request, however busy
    // the machine is, and the test does not wait for it.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const call = gateway.generate(envelopeFor(userId, { timeoutMs: 20_000 }));
    await fake.requests(1);
    vi.advanceTimersByTime(20_000);
    const answer = await call;
    expect(answer).toMatchObject({ provider: 'local', fallback: true, costUsd: 0 });
    // Timeouts are not retried: one request, then the fallback.
    expect(fake.received).toHaveLength(1);
    expect(await outcomes()).toEqual(['openai:timeout', 'local:ok']);
    const [row] = await usageRows(db());
    expect(await reservationRow(db(), row!.reservationId)).toMatchObject({ settledMicros: 0 });
    expect(await budgetUse(db())).toEqual({ 'turn/global': 0, 'turn/user': 0 });
  });
});

describe('the attempt timeout is AI_TIMEOUT_MS', () => {
  // As above, on fake timers advanced once the provider has the request: exactly AI_TIMEOUT_MS, no more.
  async function hungCall(gateway: TestGateway['gateway'], envelope: AiEnvelope, timeoutMs: number) {
    fake.then({ hang: true });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const call = gateway.generate(envelope);
    await fake.requests(1);
    vi.advanceTimersByTime(timeoutMs);
    return call;
  }

  it('for a Turn envelope', async () => {
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl, timeoutMs: 1_000 });
    const userId = await insertUser(db(), clock.now());
    const answer = await hungCall(gateway, turnEnvelope(userId, 'gpt-4o-mini', PLATFORMS[0]!, 'Shipping small things adds up.'), 1_000);
    expect(answer).toMatchObject({ provider: 'local', fallback: true });
    expect(await outcomes()).toEqual(['openai:timeout', 'local:ok']);
  });

  it('for a Mirror envelope, streamed, before its first chunk', async () => {
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl, timeoutMs: 1_000 });
    const userId = await insertUser(db(), clock.now());
    fake.then({ hang: true });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const stream = await gateway.stream(mirrorEnvelope(userId, 'gpt-4o-mini', { draft: null, history: [], content: 'I never know how to start.' }));
    await fake.requests(1);
    vi.advanceTimersByTime(1_000);
    expect(await stream.answer).toMatchObject({ provider: 'local', fallback: true });
    expect(await outcomes()).toEqual(['openai:timeout', 'local:ok']);
  });

  it('also for an envelope asking a longer one: no call outlives the lease the sweep gives it', async () => {
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl, timeoutMs: 1_000 });
    const userId = await insertUser(db(), clock.now());
    const answer = await hungCall(gateway, envelopeFor(userId, { timeoutMs: 60_000 }), 1_000);
    expect(answer).toMatchObject({ provider: 'local', fallback: true });
    expect(await outcomes()).toEqual(['openai:timeout', 'local:ok']);
  });

  it('for a stream asking a longer one too', async () => {
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl, timeoutMs: 1_000 });
    const userId = await insertUser(db(), clock.now());
    fake.then({ hang: true });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const stream = await gateway.stream(envelopeFor(userId, { timeoutMs: 60_000 }));
    await fake.requests(1);
    vi.advanceTimersByTime(1_000);
    expect(await stream.answer).toMatchObject({ provider: 'local', fallback: true });
    expect(await outcomes()).toEqual(['openai:timeout', 'local:ok']);
  });
});

describe('retries', () => {
  it('a 429 with Retry-After is retried after the wait the header asks for, then answers', async () => {
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl });
    const userId = await insertUser(db(), clock.now());
    fake.then({ status: 429, retryAfter: '1' });
    const answer = await gateway.generate(envelopeFor(userId));
    expect(answer).toMatchObject({ text: FAKE_DEFAULT_TEXT, provider: 'openai', fallback: false });
    expect(fake.received).toHaveLength(2);
    expect(fake.received[1]!.at - fake.received[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(await outcomes()).toEqual(['openai:error', 'openai:ok']);
  });

  it('a Retry-After as an HTTP date is honoured too', async () => {
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl });
    const userId = await insertUser(db(), clock.now());
    fake.then({ status: 503, retryAfter: new Date(clock.now().getTime() + 1000).toUTCString() });
    const answer = await gateway.generate(envelopeFor(userId));
    expect(answer.fallback).toBe(false);
    expect(fake.received[1]!.at - fake.received[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it('a Retry-After longer than 10 s is not waited for: the offline provider answers at once', async () => {
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl });
    const userId = await insertUser(db(), clock.now());
    fake.then({ status: 429, retryAfter: '60' });
    const answer = await gateway.generate(envelopeFor(userId));
    expect(answer).toMatchObject({ provider: 'local', fallback: true });
    expect(fake.received).toHaveLength(1);
    expect(await outcomes()).toEqual(['openai:error', 'local:ok']);
  });

  it.each([500, 502, 503, 504])('a %i is retried, then answers', async (status) => {
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl });
    const userId = await insertUser(db(), clock.now());
    fake.then({ status });
    const answer = await gateway.generate(envelopeFor(userId));
    expect(answer).toMatchObject({ text: FAKE_DEFAULT_TEXT, provider: 'openai', fallback: false });
    expect(await outcomes()).toEqual(['openai:error', 'openai:ok']);
  });

  it.each([400, 401, 404, 422])('a %i is not retried: one request, and the offline provider answers', async (status) => {
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl });
    const userId = await insertUser(db(), clock.now());
    fake.then({ status });
    const answer = await gateway.generate(envelopeFor(userId));
    expect(answer).toMatchObject({ provider: 'local', fallback: true });
    expect(fake.received).toHaveLength(1);
    expect(await outcomes()).toEqual(['openai:error', 'local:ok']);
  });

  it('after AI_MAX_RETRIES retries the offline provider answers; every attempt has its usage row', async () => {
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl, maxRetries: 2 });
    const userId = await insertUser(db(), clock.now());
    fake.then({ status: 500 }, { status: 500 }, { status: 500 });
    const answer = await gateway.generate(envelopeFor(userId));
    expect(answer).toMatchObject({ provider: 'local', fallback: true });
    expect(fake.received).toHaveLength(3);
    expect(await outcomes()).toEqual(['openai:error', 'openai:error', 'openai:error', 'local:ok']);
  });

  it('a refused connection is retried and then falls back', async () => {
    const closed = new FakeOpenAi();
    await closed.start();
    const baseUrl = closed.baseUrl;
    await closed.stop();
    const { gateway } = gateways.make(db(), clock, { baseUrl, maxRetries: 1 });
    const userId = await insertUser(db(), clock.now());
    const answer = await gateway.generate(envelopeFor(userId));
    expect(answer).toMatchObject({ provider: 'local', fallback: true });
    expect(await outcomes()).toEqual(['openai:error', 'openai:error', 'local:ok']);
  });
});

describe('logs', () => {
  it('name the failure by its kind, never the words sent', async () => {
    const sink = new LogSink();
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl, maxRetries: 0 }, createLogger('info', sink));
    const userId = await insertUser(db(), clock.now());
    fake.then({ status: 400 });
    const envelope = envelopeFor(userId);
    await gateway.generate(envelope);
    expect(sink.records).toEqual([
      expect.objectContaining({ msg: 'ai provider call failed', feature: 'turn', provider: 'openai', fallback: true, failure: { status: 400, connection: false, retryAfterMs: null } }),
    ]);
    for (const m of envelope.messages) expect(sink.lines.join('\n')).not.toContain(m.content.slice(0, 20));
  });
});

describe('the circuit breaker', () => {
  it('opens after AI_BREAKER_THRESHOLD consecutive failures: the fake gets nothing while it is open, answers are marked fallback', async () => {
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl, maxRetries: 0, breakerThreshold: 2, breakerHalfOpenMs: 60_000 });
    const userId = await insertUser(db(), clock.now());
    fake.then({ status: 500 }, { status: 500 });
    await gateway.generate(envelopeFor(userId));
    expect(gateway.status().breaker).toBe('closed');
    await gateway.generate(envelopeFor(userId));
    expect(gateway.status()).toEqual({ provider: 'openai', model: 'gpt-4o-mini', breaker: 'open' });
    const whileOpen = await gateway.generate(envelopeFor(userId));
    expect(whileOpen).toMatchObject({ provider: 'local', fallback: true });
    expect(fake.received).toHaveLength(2);
    // The call that never reached the provider has no provider row: only the offline answer's.
    expect(await outcomes()).toEqual(['openai:error', 'local:ok', 'openai:error', 'local:ok', 'local:ok']);
  });

  it('half-opens after AI_BREAKER_HALF_OPEN_MS and closes again when the trial call answers', async () => {
    const halfOpenMs = 60_000;
    // The breaker measures its half-open delay with Date.now() (cockatiel's clock): move that clock on.
    vi.useFakeTimers({ toFake: ['Date'] });
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl, maxRetries: 0, breakerThreshold: 1, breakerHalfOpenMs: halfOpenMs });
    const userId = await insertUser(db(), clock.now());
    fake.then({ status: 503 });
    await gateway.generate(envelopeFor(userId));
    expect(gateway.status().breaker).toBe('open');
    vi.setSystemTime(Date.now() + halfOpenMs - 1);
    expect(await gateway.generate(envelopeFor(userId))).toMatchObject({ provider: 'local', fallback: true });
    expect(fake.received).toHaveLength(1);
    vi.setSystemTime(Date.now() + 1);
    const answer = await gateway.generate(envelopeFor(userId));
    expect(answer).toMatchObject({ provider: 'openai', fallback: false, text: FAKE_DEFAULT_TEXT });
    expect(fake.received).toHaveLength(2);
    expect(gateway.status().breaker).toBe('closed');
  });
});
