import { describe, expect, it } from 'vitest';
import { call, expectProblem, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();

const refresh = (refreshToken: string) => call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken } });

type Client = { ip: string; userAgent: string };
const PHONE: Client = { ip: '198.51.100.7', userAgent: 'OneRing/2.1 (iPhone; iOS 19.1)' };
const THIEF: Client = { ip: '203.0.113.66', userAgent: 'curl/8.11.0' };
const refreshFrom = (refreshToken: string, from: Client) =>
  call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken }, ip: from.ip, headers: { 'user-agent': from.userAgent } });

describe('refresh token rotation', () => {
  it('trades a refresh token for a new pair on the same session', async () => {
    const account = await registerUser(t.app);
    t.clock.advance(60_000);
    const res = await refresh(account.refreshToken);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.sessionId).toBe(account.sessionId);
    expect(body.refreshToken).not.toBe(account.refreshToken);
    expect(body.accessTokenExpiresAt).toBe('2026-03-01T09:16:00.000Z');
    expect((await call(t.app, 'GET', '/v1/me', { token: body.accessToken })).statusCode).toBe(200);
    expect((await refresh(body.refreshToken)).statusCode).toBe(200);
  });

  it('reads the refresh token from the httpOnly cookie when the body has none', async () => {
    const account = await registerUser(t.app);
    const res = await call(t.app, 'POST', '/v1/auth/refresh', { headers: { cookie: `onering_rt=${account.refreshToken}` } });
    expect(res.statusCode, res.body).toBe(200);
    expect(String(res.headers['set-cookie'])).toContain(`onering_rt=${res.json().refreshToken}`);
  });

  it('refuses an unknown or missing refresh token', async () => {
    expectProblem(await refresh('not-a-real-token'), 401, 'invalid_refresh_token');
    expectProblem(await call(t.app, 'POST', '/v1/auth/refresh', { body: {} }), 401, 'invalid_refresh_token');
  });

  it('treats a rotated-out token seen within 10 s as a race and revokes nothing', async () => {
    const account = await registerUser(t.app);
    const next = (await refresh(account.refreshToken)).json();
    t.clock.advance(10_000);
    expectProblem(await refresh(account.refreshToken), 401, 'refresh_token_stale');
    expect((await refresh(next.refreshToken)).statusCode).toBe(200);
  });

  it('treats a token replayed within 10 s from another user agent and IP than its rotation as reuse', async () => {
    const account = await registerUser(t.app);
    const next = (await refreshFrom(account.refreshToken, PHONE)).json();
    t.clock.advance(5_000);
    expectProblem(await refreshFrom(account.refreshToken, THIEF), 401, 'refresh_token_reused');
    expectProblem(await refreshFrom(next.refreshToken, PHONE), 401, 'session_revoked');
    expectProblem(await call(t.app, 'GET', '/v1/me', { token: next.accessToken }), 401, 'session_revoked');
  });

  it('keeps a replay within 10 s a harmless race when its user agent or its IP matches the rotation', async () => {
    const account = await registerUser(t.app);
    const next = (await refreshFrom(account.refreshToken, PHONE)).json();
    t.clock.advance(5_000);
    expectProblem(await refreshFrom(account.refreshToken, { ip: THIEF.ip, userAgent: PHONE.userAgent }), 401, 'refresh_token_stale');
    expectProblem(await refreshFrom(account.refreshToken, { ip: PHONE.ip, userAgent: THIEF.userAgent }), 401, 'refresh_token_stale');
    expect((await refreshFrom(next.refreshToken, PHONE)).statusCode).toBe(200);
  });

  it('revokes the whole session when a rotated-out token comes back later', async () => {
    const account = await registerUser(t.app);
    const next = (await refresh(account.refreshToken)).json();
    t.clock.advance(10_001);
    expectProblem(await refresh(account.refreshToken), 401, 'refresh_token_reused');
    expectProblem(await refresh(next.refreshToken), 401, 'session_revoked');
    expectProblem(await call(t.app, 'GET', '/v1/me', { token: next.accessToken }), 401, 'session_revoked');
  });

  it('issues exactly one new pair when two refreshes race with one token', async () => {
    const account = await registerUser(t.app);
    const results = await Promise.all([refresh(account.refreshToken), refresh(account.refreshToken)]);
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, 401]);
    const loser = results.find((r) => r.statusCode === 401)!;
    expectProblem(loser, 401, 'refresh_token_stale');
    const winner = results.find((r) => r.statusCode === 200)!.json();
    expect((await refresh(winner.refreshToken)).statusCode).toBe(200);
  });

  it('ends sessions that were not refreshed within their lifetime', async () => {
    const account = await registerUser(t.app);
    t.clock.advance(31 * 24 * 60 * 60 * 1000);
    expectProblem(await refresh(account.refreshToken), 401, 'session_revoked');
  });

  it('clears the cookie when a refresh is refused', async () => {
    const res = await refresh('nope');
    expect(String(res.headers['set-cookie'])).toMatch(/onering_rt=;/);
  });
});
