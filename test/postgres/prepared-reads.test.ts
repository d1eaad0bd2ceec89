import { describe, expect, it } from 'vitest';
import { call, createDraft, login, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();

/** Names of the statements prepared on every connection the app's pool holds. */
async function preparedNames(): Promise<Set<string>> {
  const database = t.database;
  if (database.kind !== 'postgres') throw new Error('PostgreSQL only');
  const clients = await Promise.all(Array.from({ length: database.pool.totalCount }, () => database.pool.connect()));
  try {
    const names = new Set<string>();
    for (const client of clients) {
      for (const row of (await client.query<{ name: string }>('select name from pg_prepared_statements')).rows) names.add(row.name);
    }
    return names;
  } finally {
    for (const client of clients) client.release();
  }
}

describe('hot reads', () => {
  it('run as named prepared statements, parsed and planned once per connection', async () => {
    const account = await registerUser(t.app);
    expect((await login(t.app, account.email, account.password)).statusCode).toBe(200);
    const draft = await createDraft(t.app, account);
    const first = await call(t.app, 'GET', '/v1/auth/sessions?limit=1', { token: account.accessToken });
    expect(first.statusCode).toBe(200);
    const cursor = first.json().nextCursor as string;
    expect((await call(t.app, 'GET', `/v1/auth/sessions?limit=1&cursor=${cursor}`, { token: account.accessToken })).statusCode).toBe(200);
    expect((await call(t.app, 'GET', `/v1/drafts/${draft.id}`, { token: account.accessToken })).statusCode).toBe(200);
    expect((await call(t.app, 'GET', `/v1/drafts/${draft.id}/events`, { token: account.accessToken })).statusCode).toBe(200);

    const names = await preparedNames();
    for (const name of ['find_principal', 'list_live_sessions', 'list_live_sessions_after', 'find_draft', 'find_member', 'list_events']) expect(names).toContain(name);
  });

  it('include the analytics reads and the names they show', async () => {
    const account = await registerUser(t.app);
    const draft = await createDraft(t.app, account, { initialSegment: 'one' });
    for (const url of [
      `/v1/drafts/${draft.id}/analytics`,
      `/v1/users/${account.user.id}/analytics`,
      '/v1/leaderboard?metric=collaboration&window=7d',
      '/v1/leaderboard?metric=momentum&window=all',
    ]) {
      expect((await call(t.app, 'GET', url, { token: account.accessToken })).statusCode).toBe(200);
    }
    const names = await preparedNames();
    for (const name of ['analytics_draft', 'analytics_user', 'analytics_leaderboard_collaboration_window', 'analytics_leaderboard_momentum_all', 'display_names']) {
      expect(names).toContain(name);
    }
  });
});
