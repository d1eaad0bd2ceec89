import { describe, expect, it } from 'vitest';
import { createPasswordHasher, type PasswordHasher } from '../../src/server/features/auth/passwords.js';
import { call, expectProblem, login, registerUser, uniqueEmail } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();
const MINUTE = 60_000;

async function failTimes(email: string, n: number, ip = '198.51.100.7') {
  for (let i = 0; i < n; i++) {
    expectProblem(await login(t.app, email, `wrong password ${i}`, { ip }), 401, 'invalid_credentials');
  }
}

describe('failed-login protection (always on)', () => {
  it('locks an account after 5 failures, even for the right password, then lets it in after 15 minutes', async () => {
    const account = await registerUser(t.app);
    await failTimes(account.email, 5);
    const locked = await login(t.app, account.email, account.password);
    expectProblem(locked, 429, 'account_locked');
    expect(Number(locked.headers['retry-after'])).toBe(15 * 60);
    t.clock.advance(10 * MINUTE);
    expect(Number((await login(t.app, account.email, account.password)).headers['retry-after'])).toBe(5 * 60);
    t.clock.advance(5 * MINUTE);
    expect((await login(t.app, account.email, account.password)).statusCode).toBe(200);
  });

  it('treats an unknown email exactly like a known one', async () => {
    const account = await registerUser(t.app);
    const ghost = uniqueEmail('ghost');
    await failTimes(account.email, 5);
    await failTimes(ghost, 5);
    const known = expectProblem(await login(t.app, account.email, 'whatever it is'), 429, 'account_locked');
    const unknown = expectProblem(await login(t.app, ghost, 'whatever it is'), 429, 'account_locked');
    expect({ ...known, requestId: null }).toEqual({ ...unknown, requestId: null });
  });

  it('forgets failures after a successful sign-in', async () => {
    const account = await registerUser(t.app);
    await failTimes(account.email, 4);
    expect((await login(t.app, account.email, account.password)).statusCode).toBe(200);
    await failTimes(account.email, 4);
    expect((await login(t.app, account.email, account.password)).statusCode).toBe(200);
  });

  it('slows down one network that fails across many accounts', async () => {
    for (let i = 0; i < 50; i++) await failTimes(uniqueEmail(`spray${i}`), 1, '192.0.2.50');
    const account = await registerUser(t.app);
    expectProblem(await login(t.app, account.email, account.password, { ip: '192.0.2.50' }), 429, 'too_many_failures');
    expect((await login(t.app, account.email, account.password, { ip: '192.0.2.51' })).statusCode).toBe(200);
  });

  it('lifts a lock once the password is reset', async () => {
    const account = await registerUser(t.app);
    await failTimes(account.email, 5);
    await call(t.app, 'POST', '/v1/auth/password-reset/request', { body: { email: account.email } });
    const mail = await t.database.db.query.mailOutbox.findFirst();
    const token = /#token=([\w-]+)/.exec(mail!.bodyText)![1];
    await call(t.app, 'POST', '/v1/auth/password-reset/confirm', { body: { token, newPassword: 'a safer phrase for me' } });
    expect((await login(t.app, account.email, 'a safer phrase for me')).statusCode).toBe(200);
  });

  it('does the same password work for unknown emails as for known ones', async () => {
    const counted: Array<string | null> = [];
    const real = await createPasswordHasher();
    const spy: PasswordHasher = {
      hash: real.hash,
      verify: (hash, password) => {
        counted.push(hash === null ? 'decoy' : 'real');
        return real.verify(hash, password);
      },
    };
    const app = (await t.build({ passwords: spy })).app;
    const account = await registerUser(app);
    await login(app, account.email, 'wrong password here');
    await login(app, uniqueEmail('ghost'), 'wrong password here');
    expect(counted).toEqual(['real', 'decoy']);
  });
});

describe('request rate limits (RATE_LIMITS=on)', () => {
  it('limits logins per IP with 429 and Retry-After', async () => {
    const { app } = await t.build({ config: { rateLimitsEnabled: true } });
    const account = await registerUser(app);
    for (let i = 0; i < 10; i++) expect((await login(app, account.email, account.password, { ip: '192.0.2.1' })).statusCode).toBe(200);
    for (let i = 0; i < 20; i++) await login(app, uniqueEmail(), 'wrong password here', { ip: '192.0.2.1' });
    const limited = await login(app, account.email, account.password, { ip: '192.0.2.1' });
    expectProblem(limited, 429, 'rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const other = await registerUser(app);
    expect((await login(app, other.email, other.password, { ip: '192.0.2.2' })).statusCode).toBe(200);
  });

  it('limits logins per account across IPs', async () => {
    const { app } = await t.build({ config: { rateLimitsEnabled: true } });
    const account = await registerUser(app);
    for (let i = 0; i < 10; i++) {
      expect((await login(app, account.email, account.password, { ip: `192.0.2.${i + 10}` })).statusCode).toBe(200);
    }
    expectProblem(await login(app, account.email, account.password, { ip: '192.0.2.99' }), 429, 'rate_limited');
  });

  it('limits registrations and reset requests per IP and per account', async () => {
    const { app, clock } = await t.build({ config: { rateLimitsEnabled: true } });
    for (let i = 0; i < 20; i++) {
      const res = await call(app, 'POST', '/v1/auth/register', { body: { email: uniqueEmail(), password: 'long enough phrase' }, ip: '192.0.2.3' });
      expect(res.statusCode).toBe(201);
    }
    const blocked = await call(app, 'POST', '/v1/auth/register', { body: { email: uniqueEmail(), password: 'long enough phrase' }, ip: '192.0.2.3' });
    expectProblem(blocked, 429, 'rate_limited');
    for (let i = 0; i < 3; i++) {
      expect((await call(app, 'POST', '/v1/auth/password-reset/request', { body: { email: 'x@example.test' }, ip: `192.0.2.${i + 30}` })).statusCode).toBe(202);
    }
    expectProblem(await call(app, 'POST', '/v1/auth/password-reset/request', { body: { email: 'x@example.test' }, ip: '192.0.2.40' }), 429, 'rate_limited');
    clock.advance(60 * MINUTE);
    expect((await call(app, 'POST', '/v1/auth/password-reset/request', { body: { email: 'x@example.test' }, ip: '192.0.2.40' })).statusCode).toBe(202);
  });

  it('RATE_LIMITS=off lifts request limits but keeps the lockout', async () => {
    const account = await registerUser(t.app);
    for (let i = 0; i < 40; i++) expect((await login(t.app, account.email, account.password, { ip: '192.0.2.4' })).statusCode).toBe(200);
    await failTimes(account.email, 5, '192.0.2.4');
    expectProblem(await login(t.app, account.email, account.password, { ip: '192.0.2.4' }), 429, 'account_locked');
  });
});
