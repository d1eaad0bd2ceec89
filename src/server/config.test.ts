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

  it('reads the mail settings: SMTP_URL must be smtp(s), MAIL_FROM defaults to the public host', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://ring.example.com/' })).toMatchObject({ smtpUrl: undefined, mailFrom: 'OneRing <no-reply@ring.example.com>' });
    expect(loadConfig({ SMTP_URL: 'smtps://u:p@smtp.example.com:465', MAIL_FROM: 'Rings <r@example.com>' })).toMatchObject({
      smtpUrl: 'smtps://u:p@smtp.example.com:465',
      mailFrom: 'Rings <r@example.com>',
    });
    expect(() => loadConfig({ SMTP_URL: 'http://smtp.example.com' })).toThrow(/SMTP_URL/);
  });

  it('lists every bad variable in one readable error', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://nope', RATE_LIMITS: 'maybe' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toMatch(/PORT/);
      expect(message).toMatch(/DATABASE_URL: must be a postgres/);
      expect(message).toMatch(/RATE_LIMITS/);
    }
  });

  it('requires a signing key in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_PRIVATE_KEY/);
  });
});
