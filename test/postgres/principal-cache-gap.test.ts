import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { call, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();

describe('when the notification channel is lost', () => {
  it('stops trusting remembered sessions, so an unannounced revocation still takes effect', async () => {
    const account = await registerUser(t.app);
    expect((await call(t.app, 'GET', '/v1/me', { token: account.accessToken })).statusCode).toBe(200);
    await t.database.db.execute(sql`
      select pg_terminate_backend(pid) from pg_stat_activity
      where datname = current_database() and query ilike 'listen%' and pid <> pg_backend_pid()`);
    // Revoked without any announcement: only a cache that distrusts itself after the loss notices.
    await t.database.db.execute(sql`update sessions set revoked_at = now() where id = ${account.sessionId}`);
    await expect.poll(async () => (await call(t.app, 'GET', '/v1/me', { token: account.accessToken })).statusCode).toBe(401);
  });
});
