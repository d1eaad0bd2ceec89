import { eq } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { auditLog, users } from '../../src/server/db/schema/index.js';
import { call, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';
import { waitForLockWaiters } from '../helpers/database.js';

const t = useTestApp({ config: { adminEmails: ['gandalf@example.test', 'saruman@example.test'] } });


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
