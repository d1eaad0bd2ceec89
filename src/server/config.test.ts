import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

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

  it('reads lists and switches', () => {
    const config = loadConfig({ ADMIN_EMAILS: ' A@x.test, b@y.test ,', RATE_LIMITS: 'off', PORT: '8080', COOKIE_SECURE: 'false' });
    expect(config.adminEmails).toEqual(['a@x.test', 'b@y.test']);
    expect(config.rateLimitsEnabled).toBe(false);
    expect(config.port).toBe(8080);
    expect(config.cookieSecure).toBe(false);
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
