import { eq } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { auditLog, users } from '../../src/server/db/schema/index.js';
import { call, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp({ config: { adminEmails: ['gandalf@example.test', 'saruman@example.test'] } });

/** Waits until `n` statements of this database wait for a lock (failing, not hanging, if they never do). */
async function waitForLockWaiters(client: pg.Client, n: number): Promise<void> {
  const waiting = async () => {
    // Inside a transaction the activity view is read once; forget that copy to see the waiters arrive.
    await client.query('select pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ waiting: number }>(
      `select count(*)::int as waiting from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
    );
    return rows[0]!.waiting;
  };
  await expect.poll(waiting, { timeout: 30_000, interval: 20 }).toBeGreaterThanOrEqual(n);
}

describe('two admins demoting each other at the same moment', () => {
  it('leaves one admin: one demotion lands, the other is refused as the last admin', async () => {
    const gandalf = await registerUser(t.app, { email: 'gandalf@example.test' });
    const saruman = await registerUser(t.app, { email: 'saruman@example.test' });

    // Another connection holds both admins' rows, so both demotions start before either can change
    // anything; released, they run into each other as truly parallel requests would.
    const blocker = new pg.Client({ connectionString: t.databaseUrl! });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query(`select id from users where role = 'admin' for update`);
      const demotions = Promise.all([
        call(t.app, 'PUT', `/v1/admin/users/${saruman.user.id}/role`, { token: gandalf.accessToken, body: { role: 'user' } }),
        call(t.app, 'PUT', `/v1/admin/users/${gandalf.user.id}/role`, { token: saruman.accessToken, body: { role: 'user' } }),
      ]);
      await waitForLockWaiters(blocker, 2);
      await blocker.query('commit');
      const answers = await demotions;

      expect(answers.map((r) => r.statusCode).sort(), answers.map((r) => r.body).join('\n')).toEqual([200, 409]);
      expect(answers.find((r) => r.statusCode === 409)!.json().code).toBe('last_admin');
    } finally {
      await blocker.end();
    }
    const admins = await t.database.db.select({ id: users.id }).from(users).where(eq(users.role, 'admin'));
    expect(admins).toHaveLength(1);
    const audited = await t.database.db.select().from(auditLog);
    expect(audited.map((r) => r.targetId)).not.toContain(admins[0]!.id);
    expect(audited).toHaveLength(1);
  });
});
