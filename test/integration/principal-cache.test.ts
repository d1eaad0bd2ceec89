import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { call, expectProblem, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();

describe('sessions and accounts changed elsewhere', () => {
  it('are seen by every instance as soon as the change is announced', async () => {
    const other = (await t.build()).app;
    const account = await registerUser(t.app);
    expect((await call(other, 'GET', '/v1/me', { token: account.accessToken })).statusCode).toBe(200);
    // Another process revokes the session: the database announces it to every listener.
    await t.database.db.execute(sql`
      with revoked as (update sessions set revoked_at = now() where id = ${account.sessionId})
      select pg_notify('onering_principals', ${`s:${account.sessionId}`})`);
    await expect.poll(async () => (await call(other, 'GET', '/v1/me', { token: account.accessToken })).statusCode).toBe(401);
    expectProblem(await call(t.app, 'GET', '/v1/me', { token: account.accessToken }), 401, 'session_revoked');
  });

  it('shows a new display name and role at once on another instance', async () => {
    const other = (await t.build()).app;
    const account = await registerUser(t.app);
    expect((await call(other, 'GET', '/v1/me', { token: account.accessToken })).json().role).toBe('user');
    await call(t.app, 'PATCH', '/v1/me', { token: account.accessToken, body: { displayName: 'Renamed' } });
    await expect.poll(async () => (await call(other, 'GET', '/v1/me', { token: account.accessToken })).json().displayName).toBe('Renamed');
  });
});
