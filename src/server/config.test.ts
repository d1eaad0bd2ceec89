import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadEnvFileIfPresent } from './config.js';

describe('loadConfig', () => {
  it('gives the embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      dataDir: './data',
      databaseUrl: undefined,
      redisUrl: undefined,
      rateLimitsEnabled: true,
      publicUrl: 'http://localhost:3000',
      accessTokenTtlSeconds: 900,
      adminEmails: [],
    });
  });

  it('reads the AI gateway settings: the offline provider by default, AI_BASE_URL must be http(s)', () => {
    expect(loadConfig({}).ai).toEqual({
      baseUrl: undefined,
      apiKey: undefined,
      model: 'gpt-4o-mini',
      timeoutMs: 20_000,
      maxRetries: 2,
      breakerThreshold: 5,
      breakerHalfOpenMs: 30_000,
    });
    const ai = loadConfig({ AI_BASE_URL: 'https://api.openai.com/v1', AI_API_KEY: 'sk-x', AI_MODEL: 'gpt-4.1-mini', AI_MAX_RETRIES: '0' }).ai;
    expect(ai).toMatchObject({ baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-x', model: 'gpt-4.1-mini', maxRetries: 0 });
    expect(() => loadConfig({ AI_BASE_URL: 'ftp://models.example' })).toThrow(ConfigError);
    expect(() => loadConfig({ AI_TIMEOUT_MS: '0' })).toThrow(ConfigError);
  });

  it('reads lists and switches', () => {
    const config = loadConfig({ ADMIN_EMAILS: ' A@x.test, b@y.test ,', RATE_LIMITS: 'off', PORT: '8080', COOKIE_SECURE: 'false' });
    expect(config.adminEmails).toEqual(['a@x.test', 'b@y.test']);
    expect(config.rateLimitsEnabled).toBe(false);
    expect(config.port).toBe(8080);
    expect(config.cookieSecure).toBe(false);
  });

  it('reads the mail settings: SMTP_URL must be smtp(s), MAIL_FROM defaults to the public host', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://ring.example.com/' })).toMatchObject({ smtpUrl: undefined, mailFrom: 'OneRing <no-reply@ring.example.com>' });
    expect(loadConfig({ SMTP_URL: 'smtps://u:p@smtp.example.com:465', MAIL_FROM: 'Rings <r@example.com>' })).toMatchObject({
      smtpUrl: 'smtps://u:p@smtp.example.com:465',
      mailFrom: 'Rings <r@example.com>',
    });
    expect(() => loadConfig({ SMTP_URL: 'http://smtp.example.com' })).toThrow(/SMTP_URL/);
  });

  it('lists every bad variable in one readable error', () => {
    const load = () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://nope', RATE_LIMITS: 'maybe' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/PORT/);
    expect(load).toThrow(/DATABASE_URL: must be a postgres/);
    expect(load).toThrow(/RATE_LIMITS/);
  });

  it('requires a signing key in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_PRIVATE_KEY/);
  });
});

describe('production settings', () => {
  const KEY = '-----BEGIN PRIVATE KEY-----\\nMC4CAQAwBQYDK2VwBCIEIA==\\n-----END PRIVATE KEY-----';
  const production = { NODE_ENV: 'production', JWT_PRIVATE_KEY: KEY, PUBLIC_URL: 'https://onering.example', METRICS_TOKEN: 'a'.repeat(32) };

  it('boots with a signing key, a public URL and a metrics token', () => {
    expect(loadConfig(production)).toMatchObject({ nodeEnv: 'production', publicUrl: 'https://onering.example', metricsToken: 'a'.repeat(32) });
  });

  it('requires PUBLIC_URL, since mailed links would otherwise point at localhost', () => {
    expect(() => loadConfig({ ...production, PUBLIC_URL: undefined })).toThrow(ConfigError);
    expect(() => loadConfig({ ...production, PUBLIC_URL: '' })).toThrow(/PUBLIC_URL: required when NODE_ENV=production/);
  });

  it('requires a METRICS_TOKEN of at least 32 characters, since /metrics is otherwise open to anyone', () => {
    expect(() => loadConfig({ ...production, METRICS_TOKEN: undefined })).toThrow(/METRICS_TOKEN: required when NODE_ENV=production/);
    expect(() => loadConfig({ ...production, METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });

  it('lists every missing production setting at once', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_PRIVATE_KEY[\s\S]*PUBLIC_URL[\s\S]*METRICS_TOKEN/);
  });
});

describe('TRUST_PROXY', () => {
  it('trusts no proxy by default, or when set to false', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
  });

  it('takes a list of proxy addresses, CIDR ranges and the loopback, linklocal and uniquelocal presets', () => {
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.0/8, 192.0.2.7 ,::1,fd00::/8,loopback' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.0.2.7',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  it('refuses true, which would trust any X-Forwarded-For a client writes, and says what to write instead', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: true would trust any X-Forwarded-For .*; list the addresses or CIDR ranges/);
  });

  it('refuses a hop count, which cannot tell a proxy from a client that reaches the app directly', () => {
    expect(() => loadConfig({ TRUST_PROXY: '1' })).toThrow(/TRUST_PROXY: 1 a hop count cannot tell a proxy from a client; list the addresses/);
  });

  it('refuses addresses and ranges that are not ones', () => {
    for (const bad of ['10.0.0.0/33', 'proxy.internal', '10.0.0', '1.2.3.4/x', '-1', '1.5', '::1/129', ',']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
    }
  });
});

describe('loadEnvFileIfPresent', () => {
  it('fills the environment from the file, keeping what the real environment already says', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onering-env-'));
    try {
      writeFileSync(join(dir, '.env'), '# comment\nPUBLIC_URL="https://from-file.example"\nPORT=1\nEMPTY=\n');
      const env: NodeJS.ProcessEnv = { PORT: '8080' };
      expect(loadEnvFileIfPresent(join(dir, '.env'), env)).toBe(true);
      expect(env).toEqual({ PORT: '8080', PUBLIC_URL: 'https://from-file.example', EMPTY: '' });
      expect(loadConfig(env)).toMatchObject({ port: 8080, publicUrl: 'https://from-file.example' });
      expect(loadEnvFileIfPresent(join(dir, 'missing.env'), env)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
