import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, expectProblem, GOOD_PASSWORD, login, registerUser, uniqueEmail } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp({ config: { adminEmails: ['boss@example.test'] } });

describe('registration', () => {
  it('creates an account, signs it in and answers the auth shape', async () => {
    const email = uniqueEmail('new');
    const res = await call(t.app, 'POST', '/v1/auth/register', {
      body: { email, password: GOOD_PASSWORD, device: { name: 'Pixel 9', platform: 'android' } },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['accessToken', 'accessTokenExpiresAt', 'refreshToken', 'sessionId', 'user']);
    expect(body.user).toEqual({
      id: expect.any(String),
      email,
      displayName: `@u_${createHash('sha1').update(body.user.id).digest('hex').slice(0, 6)}`,
      role: 'user',
      createdAt: '2026-03-01T09:00:00.000Z',
    });
    expect(body.accessTokenExpiresAt).toBe('2026-03-01T09:15:00.000Z');
    expect(Buffer.from(body.refreshToken, 'base64url').length).toBeGreaterThanOrEqual(32);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/onering_rt=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Strict/);
  });

  it('refuses a second account with the same email in any letter case', async () => {
    const first = await registerUser(t.app, { email: 'Frodo@Example.test' });
    expect(first.user.email).toBe('Frodo@Example.test');
    const res = await call(t.app, 'POST', '/v1/auth/register', { body: { email: 'frodo@example.TEST', password: GOOD_PASSWORD } });
    expectProblem(res, 409, 'email_taken');
  });

  it('refuses short and common passwords, naming the field', async () => {
    const short = await call(t.app, 'POST', '/v1/auth/register', { body: { email: uniqueEmail(), password: 'short' } });
    expect(expectProblem(short, 400, 'validation_failed').errors).toEqual([{ path: 'body.password', message: expect.any(String) }]);
    const common = await call(t.app, 'POST', '/v1/auth/register', { body: { email: uniqueEmail(), password: 'qwertyuiop' } });
    expect(expectProblem(common, 400, 'validation_failed').errors).toEqual([
      { path: 'body.password', message: expect.stringMatching(/common/) },
    ]);
  });

  it('refuses an easily guessed password with zxcvbn’s reasons, and the email as a password', async () => {
    const guessable = await call(t.app, 'POST', '/v1/auth/register', { body: { email: uniqueEmail(), password: 'password123' } });
    const body = expectProblem(guessable, 400, 'validation_failed');
    expect(body.errors).toEqual([{ path: 'body.password', message: 'This is a commonly used password. Add more words that are less common.' }]);
    expect(body.detail).toBe('This is a commonly used password. Add more words that are less common.');
    const email = uniqueEmail('samwise.gamgee');
    const ownEmail = await call(t.app, 'POST', '/v1/auth/register', { body: { email, password: email } });
    expect(expectProblem(ownEmail, 400, 'validation_failed').errors).toEqual([{ path: 'body.password', message: expect.any(String) }]);
    expect((await call(t.app, 'POST', '/v1/auth/register', { body: { email: uniqueEmail(), password: 'copper kettle on a quiet hill' } })).statusCode).toBe(201);
  });

  it('lists every bad field at once', async () => {
    const res = await call(t.app, 'POST', '/v1/auth/register', { body: { email: 'not-an-email', password: 1, extra: true } });
    const paths = (expectProblem(res, 400, 'validation_failed').errors as Array<{ path: string }>).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.email', 'body.password']));
  });

  it('makes accounts listed in ADMIN_EMAILS admins', async () => {
    const boss = await registerUser(t.app, { email: 'Boss@example.test' });
    expect(boss.user.role).toBe('admin');
    const other = await registerUser(t.app);
    expect(other.user.role).toBe('user');
  });

  it('writes nothing when registration is refused', async () => {
    await call(t.app, 'POST', '/v1/auth/register', { body: { email: 'x@example.test', password: 'qwertyuiop' } });
    const res = await login(t.app, 'x@example.test', 'qwertyuiop');
    expectProblem(res, 401, 'invalid_credentials');
  });
});

describe('login', () => {
  it('signs in with the right password, whatever the email case', async () => {
    const account = await registerUser(t.app, { email: 'Sam@example.test' });
    const res = await login(t.app, 'sam@EXAMPLE.test', account.password, { device: { name: 'Laptop' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.id).toBe(account.user.id);
    expect(res.json().sessionId).not.toBe(account.sessionId);
  });

  it('answers a wrong password and an unknown email identically', async () => {
    const account = await registerUser(t.app);
    const wrong = expectProblem(await login(t.app, account.email, 'not the password at all'), 401, 'invalid_credentials');
    const unknown = expectProblem(await login(t.app, uniqueEmail('ghost'), 'not the password at all'), 401, 'invalid_credentials');
    const { requestId: _a, ...wrongRest } = wrong;
    const { requestId: _b, ...unknownRest } = unknown;
    expect(wrongRest).toEqual(unknownRest);
  });
});

describe('/v1/me', () => {
  it('answers the signed-in user with email', async () => {
    const account = await registerUser(t.app);
    const res = await call(t.app, 'GET', '/v1/me', { token: account.accessToken });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(account.user);
  });

  it('needs a token', async () => {
    expectProblem(await call(t.app, 'GET', '/v1/me'), 401, 'unauthorized');
    expectProblem(await call(t.app, 'GET', '/v1/me', { token: 'garbage' }), 401, 'invalid_token');
    expectProblem(await call(t.app, 'GET', '/v1/me', { headers: { authorization: 'Basic abc' } }), 401, 'invalid_token');
  });

  it('refuses an access token once it expired', async () => {
    const account = await registerUser(t.app);
    t.clock.advance(15 * 60 * 1000 + 1000);
    expectProblem(await call(t.app, 'GET', '/v1/me', { token: account.accessToken }), 401, 'token_expired');
  });

  it('sets a trimmed display name and restores the default with null', async () => {
    const account = await registerUser(t.app);
    const res = await call(t.app, 'PATCH', '/v1/me', { token: account.accessToken, body: { displayName: '  Gandalf the Grey  ' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().displayName).toBe('Gandalf the Grey');
    const again = await call(t.app, 'GET', '/v1/me', { token: account.accessToken });
    expect(again.json().displayName).toBe('Gandalf the Grey');
    const reset = await call(t.app, 'PATCH', '/v1/me', { token: account.accessToken, body: { displayName: null } });
    expect(reset.json().displayName).toMatch(/^@u_[0-9a-f]{6}$/);
  });

  it.each([
    ['empty', '   '],
    ['too long', 'x'.repeat(51)],
    ['a control character', 'Bilbo\u0007'],
    ['a newline', 'Bil\nbo'],
  ])('refuses a display name that is %s', async (_label, displayName) => {
    const account = await registerUser(t.app);
    const res = await call(t.app, 'PATCH', '/v1/me', { token: account.accessToken, body: { displayName } });
    expect(expectProblem(res, 400, 'validation_failed').errors).toEqual([{ path: 'body.displayName', message: expect.any(String) }]);
    const me = await call(t.app, 'GET', '/v1/me', { token: account.accessToken });
    expect(me.json().displayName).toBe(account.user.displayName);
  });

  it('counts a display name in user-perceived characters', async () => {
    const account = await registerUser(t.app);
    const fifty = '👩‍👩‍👧‍👦'.repeat(50);
    const res = await call(t.app, 'PATCH', '/v1/me', { token: account.accessToken, body: { displayName: fifty } });
    expect(res.statusCode).toBe(200);
  });
});
