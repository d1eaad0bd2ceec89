import { describe, expect, it } from 'vitest';
import { call, expectProblem, GOOD_PASSWORD, login, registerUser, uniqueEmail } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();

async function secondDevice(email: string, password = GOOD_PASSWORD) {
  const res = await login(t.app, email, password, {
    device: { name: 'Work phone', platform: 'ios' },
    ip: '203.0.113.9',
    userAgent: 'OneRing-iOS/1.0',
  });
  expect(res.statusCode).toBe(200);
  return res.json();
}

describe('sessions and devices', () => {
  it('lists live sessions with device metadata, marking the current one', async () => {
    const account = await registerUser(t.app, { device: { name: 'Desktop', platform: 'web' } });
    t.clock.advance(1000);
    const phone = await secondDevice(account.email);
    const res = await call(t.app, 'GET', '/v1/auth/sessions', { token: account.accessToken });
    expect(res.statusCode).toBe(200);
    const { items, nextCursor } = res.json();
    expect(nextCursor).toBeNull();
    expect(items).toEqual([
      {
        id: phone.sessionId,
        current: false,
        userAgent: 'OneRing-iOS/1.0',
        ip: '203.0.113.9',
        deviceName: 'Work phone',
        platform: 'ios',
        createdAt: '2026-03-01T09:00:01.000Z',
        lastUsedAt: '2026-03-01T09:00:01.000Z',
      },
      expect.objectContaining({ id: account.sessionId, current: true, deviceName: 'Desktop', platform: 'web' }),
    ]);
  });

  it('pages through sessions with a cursor', async () => {
    const account = await registerUser(t.app);
    for (let i = 0; i < 3; i++) {
      t.clock.advance(1000);
      await secondDevice(account.email);
    }
    const first = (await call(t.app, 'GET', '/v1/auth/sessions?limit=3', { token: account.accessToken })).json();
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (
      await call(t.app, 'GET', `/v1/auth/sessions?limit=3&cursor=${first.nextCursor}`, { token: account.accessToken })
    ).json();
    expect(second.items.map((s: { id: string }) => s.id)).toEqual([account.sessionId]);
    expect(second.nextCursor).toBeNull();
    expectProblem(await call(t.app, 'GET', '/v1/auth/sessions?cursor=bogus', { token: account.accessToken }), 400, 'invalid_cursor');
    expectProblem(await call(t.app, 'GET', '/v1/auth/sessions?limit=1000', { token: account.accessToken }), 400, 'validation_failed');
  });

  it('revokes another device: its tokens stop working at once', async () => {
    const account = await registerUser(t.app);
    const phone = await secondDevice(account.email);
    const res = await call(t.app, 'DELETE', `/v1/auth/sessions/${phone.sessionId}`, { token: account.accessToken });
    expect(res.statusCode).toBe(204);
    expectProblem(await call(t.app, 'GET', '/v1/me', { token: phone.accessToken }), 401, 'session_revoked');
    expectProblem(await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: phone.refreshToken } }), 401, 'session_revoked');
    const list = (await call(t.app, 'GET', '/v1/auth/sessions', { token: account.accessToken })).json();
    expect(list.items.map((s: { id: string }) => s.id)).toEqual([account.sessionId]);
  });

  it("answers 404 for someone else's session and leaves it alone", async () => {
    const alice = await registerUser(t.app);
    const bob = await registerUser(t.app);
    expectProblem(await call(t.app, 'DELETE', `/v1/auth/sessions/${bob.sessionId}`, { token: alice.accessToken }), 404, 'session_not_found');
    expect((await call(t.app, 'GET', '/v1/me', { token: bob.accessToken })).statusCode).toBe(200);
    expectProblem(await call(t.app, 'DELETE', '/v1/auth/sessions/not-a-uuid', { token: alice.accessToken }), 400, 'validation_failed');
  });

  it('logs out the current session only', async () => {
    const account = await registerUser(t.app);
    const phone = await secondDevice(account.email);
    const res = await call(t.app, 'POST', '/v1/auth/logout', { token: account.accessToken });
    expect(res.statusCode).toBe(204);
    expect(String(res.headers['set-cookie'])).toMatch(/onering_rt=;/);
    expectProblem(await call(t.app, 'GET', '/v1/me', { token: account.accessToken }), 401, 'session_revoked');
    expect((await call(t.app, 'GET', '/v1/me', { token: phone.accessToken })).statusCode).toBe(200);
  });

  it('logs out with only the refresh token (an expired access token is no obstacle)', async () => {
    const account = await registerUser(t.app);
    t.clock.advance(20 * 60 * 1000);
    const res = await call(t.app, 'POST', '/v1/auth/logout', { body: { refreshToken: account.refreshToken } });
    expect(res.statusCode).toBe(204);
    expectProblem(await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: account.refreshToken } }), 401, 'session_revoked');
    expectProblem(await call(t.app, 'POST', '/v1/auth/logout', { body: {} }), 401, 'invalid_refresh_token');
  });

  it('logs out everywhere', async () => {
    const account = await registerUser(t.app);
    const phone = await secondDevice(account.email);
    expect((await call(t.app, 'POST', '/v1/auth/logout-all', { token: phone.accessToken })).statusCode).toBe(204);
    expectProblem(await call(t.app, 'GET', '/v1/me', { token: account.accessToken }), 401, 'session_revoked');
    expectProblem(await call(t.app, 'GET', '/v1/me', { token: phone.accessToken }), 401, 'session_revoked');
  });
});

describe('password change', () => {
  it('changes the password, keeps this session and ends the others', async () => {
    const account = await registerUser(t.app);
    const phone = await secondDevice(account.email);
    const res = await call(t.app, 'POST', '/v1/auth/password', {
      token: account.accessToken,
      body: { currentPassword: account.password, newPassword: 'a brand new secret phrase' },
    });
    expect(res.statusCode).toBe(204);
    expect((await call(t.app, 'GET', '/v1/me', { token: account.accessToken })).statusCode).toBe(200);
    expectProblem(await call(t.app, 'GET', '/v1/me', { token: phone.accessToken }), 401, 'session_revoked');
    expectProblem(await login(t.app, account.email, account.password), 401, 'invalid_credentials');
    expect((await login(t.app, account.email, 'a brand new secret phrase')).statusCode).toBe(200);
  });

  it('refuses a new password built from the account’s own email', async () => {
    const account = await registerUser(t.app, { email: uniqueEmail('meriadoc.brandybuck') });
    const res = await call(t.app, 'POST', '/v1/auth/password', {
      token: account.accessToken,
      body: { currentPassword: account.password, newPassword: account.email.split('@')[0]! },
    });
    expect(expectProblem(res, 400, 'validation_failed').errors).toEqual([{ path: 'body.newPassword', message: expect.any(String) }]);
  });

  it('refuses a wrong current password or a weak new one, changing nothing', async () => {
    const account = await registerUser(t.app);
    const phone = await secondDevice(account.email);
    const wrong = await call(t.app, 'POST', '/v1/auth/password', {
      token: account.accessToken,
      body: { currentPassword: 'not my password', newPassword: 'a brand new secret phrase' },
    });
    expect(expectProblem(wrong, 400, 'validation_failed').errors).toEqual([{ path: 'body.currentPassword', message: expect.any(String) }]);
    const weak = await call(t.app, 'POST', '/v1/auth/password', {
      token: account.accessToken,
      body: { currentPassword: account.password, newPassword: '1234567890' },
    });
    expect(expectProblem(weak, 400, 'validation_failed').errors).toEqual([{ path: 'body.newPassword', message: expect.any(String) }]);
    expect((await call(t.app, 'GET', '/v1/me', { token: phone.accessToken })).statusCode).toBe(200);
    expect((await login(t.app, account.email, account.password)).statusCode).toBe(200);
  });
});
