import { eq } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { MIRROR_MAX_MESSAGES } from '../../src/contract/coach.js';
import { coachTurns, mirrorMessages, mirrorSessions } from '../../src/server/db/schema/index.js';
import { call, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';
import { waitForLockWaiters } from '../helpers/database.js';

const t = useTestApp();


describe('Turn and Mirror under parallel requests (PostgreSQL)', () => {
  it('a session two exchanges from full takes exactly two of eight parallel messages; the rest are 409 and store nothing', async () => {
    const ann = await registerUser(t.app);
    const session = (await call(t.app, 'POST', '/v1/coach/mirror/sessions', { token: ann.accessToken, body: {} })).json() as { id: string };
    await t.database.db.update(mirrorSessions).set({ messageCount: MIRROR_MAX_MESSAGES - 4 }).where(eq(mirrorSessions.id, session.id));
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        call(t.app, 'POST', `/v1/coach/mirror/sessions/${session.id}/messages`, { token: ann.accessToken, body: { content: `thought ${i}` } }),
      ),
    );
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(2);
    expect(statuses.filter((s) => s === 409)).toHaveLength(6);
    const [row] = await t.database.db.select().from(mirrorSessions).where(eq(mirrorSessions.id, session.id));
    expect(row!.messageCount).toBe(MIRROR_MAX_MESSAGES);
    expect(await t.database.db.select().from(mirrorMessages).where(eq(mirrorMessages.sessionId, session.id))).toHaveLength(4);
  });

  it('twenty parallel turns use exactly the free plan\'s ten a day; the rest are 403 and store nothing', async () => {
    const ann = await registerUser(t.app);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => call(t.app, 'POST', '/v1/coach/turns', { token: ann.accessToken, body: { text: `small win number ${i}` } })),
    );
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 403)).toHaveLength(10);
    const rows = await t.database.db.select().from(coachTurns).where(eq(coachTurns.userId, ann.user.id));
    expect(rows.map((r) => r.status)).toEqual(Array.from({ length: 10 }, () => 'done'));
  });

  it('a turn waiting on its quota holds no lock on the budget every user shares: the reservation comes last', async () => {
    const ann = await registerUser(t.app);
    expect((await call(t.app, 'POST', '/v1/coach/turns', { token: ann.accessToken, body: { text: 'A first thought.' } })).statusCode).toBe(201);
    // Another use of Ann's quota is in progress (her plan row is held), so her next turn waits at its gate.
    const blocker = new pg.Client({ connectionString: t.databaseUrl! });
    const other = new pg.Client({ connectionString: t.databaseUrl! });
    await blocker.connect();
    await other.connect();
    try {
      await blocker.query('begin');
      await blocker.query('select 1 from user_plans where user_id = $1 for update', [ann.user.id]);
      const waiting = call(t.app, 'POST', '/v1/coach/turns', { token: ann.accessToken, body: { text: 'A second thought.' } });
      await waitForLockWaiters(blocker);
      // Meanwhile anyone else's call can still take the global budget row.
      await other.query('begin');
      const { rowCount } = await other.query(`select 1 from ai_budget_days where feature = 'turn' and holder = 'global' for update nowait`);
      expect(rowCount).toBe(1);
      await other.query('rollback');
      await blocker.query('rollback');
      expect((await waiting).statusCode).toBe(201);
    } finally {
      await blocker.end();
      await other.end();
    }
  });
});
