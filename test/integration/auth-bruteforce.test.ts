import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createPasswordHasher, type PasswordHasher } from '../../src/server/features/auth/passwords.js';
import { bearer, call, expectProblem, login, registerUser, uniqueEmail, type Account } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const ATTACKER = '203.0.113.66';
const OWNER_HOME = '198.51.100.20';

function retryAfter(res: LightMyRequestResponse): number {
  return Number(res.headers['retry-after']);
}

/** Fails `n` sign-ins from one IP, waiting out each slow-down the way a patient attacker would. */
async function failTimes(email: string, n: number, ip = ATTACKER) {
  for (let i = 0; i < n; i++) {
    let res = await login(t.app, email, `wrong password ${i}`, { ip });
    if (res.statusCode === 429 && res.json().code === 'login_slowed') {
      t.clock.advance(retryAfter(res) * SECOND);
      res = await login(t.app, email, `wrong password ${i}`, { ip });
    }
    expectProblem(res, 401, 'invalid_credentials');
  }
}

/** A login sent by a device that holds a session: the web app's refresh cookie, or an API client's bearer token. */
function loginFromDevice(account: Account, proof: 'cookie' | 'bearer', password = account.password, ip = ATTACKER) {
  return call(t.app, 'POST', '/v1/auth/login', {
    body: { email: account.email, password },
    ip,
    headers: proof === 'cookie' ? { cookie: `onering_rt=${account.refreshToken}` } : bearer(account.accessToken),
  });
}

describe('failed-login protection (always on)', () => {
  it('blocks the attacker’s IP for that account after 10 failures, even with the right password', async () => {
    const account = await registerUser(t.app);
    await failTimes(account.email, 10);
    const blocked = await login(t.app, account.email, account.password, { ip: ATTACKER });
    expectProblem(blocked, 429, 'too_many_attempts');
    expect(retryAfter(blocked)).toBe(60 * 60);
    t.clock.advance(10 * MINUTE);
    expect(retryAfter(await login(t.app, account.email, account.password, { ip: ATTACKER }))).toBe(50 * 60);
    t.clock.advance(50 * MINUTE);
    expect((await login(t.app, account.email, account.password, { ip: ATTACKER })).statusCode).toBe(200);
  });

  it('checks at most 10 guesses from one IP even when they are sent all at once', async () => {
    const account = await registerUser(t.app);
    const burst = await Promise.all(Array.from({ length: 25 }, (_, i) => login(t.app, account.email, `wrong password ${i}`, { ip: ATTACKER })));
    const checked = burst.filter((res) => res.statusCode === 401);
    expect(checked.length).toBeLessThanOrEqual(10);
    for (const res of burst.filter((r) => r.statusCode !== 401)) expectProblem(res, 429, 'too_many_attempts');
    expectProblem(await login(t.app, account.email, account.password, { ip: ATTACKER }), 429, 'too_many_attempts');
  });

  it('lets the owner in from another network after the attacker’s failures, with at most a short wait', async () => {
    const account = await registerUser(t.app);
    await failTimes(account.email, 10);
    const slowed = expectProblem(await login(t.app, account.email, account.password, { ip: OWNER_HOME }), 429, 'login_slowed');
    expect(slowed.retryAfterSeconds).toBeGreaterThan(0);
    expect(slowed.retryAfterSeconds).toBeLessThanOrEqual(5 * 60);
    t.clock.advance(Number(slowed.retryAfterSeconds) * SECOND);
    expect((await login(t.app, account.email, account.password, { ip: OWNER_HOME })).statusCode).toBe(200);
    expect((await login(t.app, account.email, account.password, { ip: '198.51.100.21' })).statusCode).toBe(200);
    expectProblem(await login(t.app, account.email, account.password, { ip: ATTACKER }), 429, 'too_many_attempts');
  });

  it('slows the account across IPs with a growing, capped delay instead of locking it', async () => {
    const account = await registerUser(t.app);
    for (let i = 0; i < 5; i++) await failTimes(account.email, 1, `192.0.2.${i}`);
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      const early = await login(t.app, account.email, 'another guess here', { ip: `192.0.2.${100 + i}` });
      expectProblem(early, 429, 'login_slowed');
      waits.push(retryAfter(early));
      t.clock.advance(retryAfter(early) * SECOND);
      expectProblem(await login(t.app, account.email, 'another guess here', { ip: `192.0.2.${100 + i}` }), 401, 'invalid_credentials');
    }
    expect(waits).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 300]);
    const last = await login(t.app, account.email, account.password, { ip: OWNER_HOME });
    expect(retryAfter(last)).toBe(300);
    t.clock.advance(300 * SECOND);
    expect((await login(t.app, account.email, account.password, { ip: OWNER_HOME })).statusCode).toBe(200);
  });

  it('lets only one attempt through when the delay passes, however many arrive at once', async () => {
    const account = await registerUser(t.app);
    await failTimes(account.email, 5);
    t.clock.advance(2 * SECOND);
    const burst = await Promise.all(
      Array.from({ length: 6 }, (_, i) => login(t.app, account.email, `burst guess ${i}`, { ip: `192.0.2.${200 + i}` })),
    );
    expect(burst.map((r) => r.statusCode).sort()).toEqual([401, 429, 429, 429, 429, 429]);
  });

  it('never slows or blocks a device that already holds a session of the account', async () => {
    const account = await registerUser(t.app);
    await failTimes(account.email, 10);
    expect((await loginFromDevice(account, 'cookie')).statusCode).toBe(200);
    expect((await loginFromDevice(account, 'bearer')).statusCode).toBe(200);
    expect((await loginFromDevice(account, 'cookie', account.password, OWNER_HOME)).statusCode).toBe(200);
  });

  it('does not count the attacker’s failures against the session holder, but does limit its own guesses', async () => {
    const account = await registerUser(t.app);
    await failTimes(account.email, 10);
    for (let i = 0; i < 10; i++) expectProblem(await loginFromDevice(account, 'cookie', `wrong guess ${i}`), 401, 'invalid_credentials');
    expectProblem(await loginFromDevice(account, 'cookie'), 429, 'too_many_attempts');
  });

  it('blocks a session that guesses its own password through a password change after 10 failures', async () => {
    const account = await registerUser(t.app);
    const change = (token: string, currentPassword: string) =>
      call(t.app, 'POST', '/v1/auth/password', { token, body: { currentPassword, newPassword: 'a brand new long passphrase' } });
    for (let i = 0; i < 10; i++) expectProblem(await change(account.accessToken, `wrong guess ${i}`), 400, 'validation_failed');
    expectProblem(await change(account.accessToken, account.password), 429, 'too_many_attempts');
    // Another device of the owner is not held back by the guessing one.
    const other = await login(t.app, account.email, account.password, { ip: OWNER_HOME });
    expect(other.statusCode, other.body).toBe(200);
    expect((await change(other.json().accessToken, account.password)).statusCode).toBe(204);
  });

  it('gives no pass to a session of another account, or to a session that has ended', async () => {
    const account = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    await failTimes(account.email, 10);
    const foreign = { ...stranger, email: account.email, password: account.password };
    expectProblem(await loginFromDevice(foreign, 'cookie'), 429, 'too_many_attempts');
    expectProblem(await loginFromDevice(foreign, 'bearer'), 429, 'too_many_attempts');
    expect((await call(t.app, 'POST', '/v1/auth/logout', { token: account.accessToken })).statusCode).toBe(204);
    expectProblem(await loginFromDevice(account, 'cookie'), 429, 'too_many_attempts');
  });

  it('treats an unknown email exactly like a known one', async () => {
    const account = await registerUser(t.app);
    const ghost = uniqueEmail('ghost');
    for (let i = 0; i < 10; i++) {
      await failTimes(account.email, 1);
      await failTimes(ghost, 1);
    }
    const known = expectProblem(await login(t.app, account.email, 'whatever it is', { ip: ATTACKER }), 429, 'too_many_attempts');
    const unknown = expectProblem(await login(t.app, ghost, 'whatever it is', { ip: ATTACKER }), 429, 'too_many_attempts');
    expect({ ...known, requestId: null }).toEqual({ ...unknown, requestId: null });
    const slowedKnown = expectProblem(await login(t.app, account.email, 'whatever it is', { ip: OWNER_HOME }), 429, 'login_slowed');
    const slowedUnknown = expectProblem(await login(t.app, ghost, 'whatever it is', { ip: OWNER_HOME }), 429, 'login_slowed');
    expect({ ...slowedKnown, requestId: null }).toEqual({ ...slowedUnknown, requestId: null });
  });

  it('forgets failures after a successful sign-in', async () => {
    const account = await registerUser(t.app);
    await failTimes(account.email, 4);
    expect((await login(t.app, account.email, account.password, { ip: ATTACKER })).statusCode).toBe(200);
    await failTimes(account.email, 4);
    expect((await login(t.app, account.email, account.password, { ip: ATTACKER })).statusCode).toBe(200);
  });

  it('slows down one network that fails across many accounts', async () => {
    for (let i = 0; i < 50; i++) await failTimes(uniqueEmail(`spray${i}`), 1, '192.0.2.50');
    const account = await registerUser(t.app);
    expectProblem(await login(t.app, account.email, account.password, { ip: '192.0.2.50' }), 429, 'too_many_failures');
    expect((await login(t.app, account.email, account.password, { ip: '192.0.2.51' })).statusCode).toBe(200);
  });

  it('lifts the slow-down and every block of the account once the password is reset', async () => {
    const account = await registerUser(t.app);
    await failTimes(account.email, 10);
    await call(t.app, 'POST', '/v1/auth/password-reset/request', { body: { email: account.email } });
    await t.app.backgroundTasks.idle();
    const mail = await t.database.db.query.mailOutbox.findFirst();
    const token = /#token=([\w-]+)/.exec(mail!.bodyText)![1];
    await call(t.app, 'POST', '/v1/auth/password-reset/confirm', { body: { token, newPassword: 'a safer phrase for me' } });
    expect((await login(t.app, account.email, 'a safer phrase for me', { ip: ATTACKER })).statusCode).toBe(200);
    expect((await login(t.app, account.email, 'a safer phrase for me', { ip: OWNER_HOME })).statusCode).toBe(200);
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

  it('limits logins per account across IPs, except from a device that holds a session', async () => {
    const { app } = await t.build({ config: { rateLimitsEnabled: true } });
    const account = await registerUser(app);
    for (let i = 0; i < 10; i++) {
      expect((await login(app, account.email, account.password, { ip: `192.0.2.${i + 10}` })).statusCode).toBe(200);
    }
    expectProblem(await login(app, account.email, account.password, { ip: '192.0.2.99' }), 429, 'rate_limited');
    const fromDevice = await call(app, 'POST', '/v1/auth/login', {
      body: { email: account.email, password: account.password },
      ip: '192.0.2.98',
      headers: { cookie: `onering_rt=${account.refreshToken}` },
    });
    expect(fromDevice.statusCode).toBe(200);
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

  it('limits reset confirmations per token and per IP, and refuses a weak password before hashing it', async () => {
    let hashes = 0;
    const real = await createPasswordHasher();
    const counting: PasswordHasher = { verify: real.verify, hash: (password) => (hashes++, real.hash(password)) };
    const { app } = await t.build({ config: { rateLimitsEnabled: true }, passwords: counting });
    const confirm = (token: string, newPassword: string, ip: string) =>
      call(app, 'POST', '/v1/auth/password-reset/confirm', { body: { token, newPassword }, ip });
    expectProblem(await confirm('guessed-token-0', 'password123', '192.0.2.5'), 400, 'validation_failed');
    expect(hashes, 'a weak password costs no hash').toBe(0);
    for (let i = 0; i < 10; i++) expectProblem(await confirm('one-guessed-token', 'a long and unusual passphrase', `192.0.2.${60 + i}`), 400, 'invalid_reset_token');
    expectProblem(await confirm('one-guessed-token', 'a long and unusual passphrase', '192.0.2.80'), 429, 'rate_limited');
    for (let i = 0; i < 29; i++) await confirm(`guessed-token-${i + 1}`, 'a long and unusual passphrase', '192.0.2.5');
    expectProblem(await confirm('another-guessed-token', 'a long and unusual passphrase', '192.0.2.5'), 429, 'rate_limited');
  });

  it('RATE_LIMITS=off lifts request limits but keeps the failed-login protection', async () => {
    const account = await registerUser(t.app);
    for (let i = 0; i < 40; i++) expect((await login(t.app, account.email, account.password, { ip: '192.0.2.4' })).statusCode).toBe(200);
    await failTimes(account.email, 10, '192.0.2.4');
    expectProblem(await login(t.app, account.email, account.password, { ip: '192.0.2.4' }), 429, 'too_many_attempts');
  });
});
