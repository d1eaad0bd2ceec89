import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { LEADERBOARD_METRICS } from '../../src/contract/analytics.js';
import { reduceDraftAnalytics, reduceLeaderboard, reduceUserAnalytics, type AnalyticsEvent } from '../../src/server/features/analytics/reducers.js';
import { addCollaborator, call, createDraft, registerUser, type Account } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();

type Row = { idempotency_key: string; schema_version: number; type: AnalyticsEvent['type']; occurred_at: Date; draft_id: string; user_id: string | null; target_user_id: string | null; payload: Record<string, unknown> };

async function recordedEvents(): Promise<AnalyticsEvent[]> {
  const result = await t.database.db.execute(sql`select * from analytics_events order by id`);
  return (result as unknown as { rows: Row[] }).rows.map((r) => ({
    idempotencyKey: r.idempotency_key,
    schemaVersion: r.schema_version,
    type: r.type,
    occurredAt: r.occurred_at,
    draftId: r.draft_id,
    userId: r.user_id,
    targetUserId: r.target_user_id,
    payload: r.payload,
  }));
}

describe('analytics under concurrent changes (PostgreSQL)', () => {
  it('keeps the projections equal to the reducers while two writers pass rings to each other, append and open drafts at once', async () => {
    const [a, b] = [await registerUser(t.app), await registerUser(t.app)];
    // Each owns a draft the other collaborates on, and a draft of their own to append to.
    const shared = [await createDraft(t.app, a), await createDraft(t.app, b)];
    await addCollaborator(t.app, a, shared[0]!.id, b);
    await addCollaborator(t.app, b, shared[1]!.id, a);
    const own = [await createDraft(t.app, a), await createDraft(t.app, b)];
    const holder = [a, b];
    const pass = (i: number, from: Account, to: Account) =>
      call(t.app, 'POST', `/v1/drafts/${shared[i]!.id}/ring/pass`, { token: from.accessToken, body: { toUserId: to.user.id } });
    const append = (who: Account, draftId: string, n: number) => call(t.app, 'POST', `/v1/drafts/${draftId}/segments`, { token: who.accessToken, body: { content: `segment ${n}` } });
    for (let round = 0; round < 12; round++) {
      t.clock.advance(61_000);
      // a passes draft 0 to b while b passes draft 1 to a: each statement adds to both users' rows.
      const [from0, from1] = [holder[0]!, holder[1]!];
      const to0 = from0 === a ? b : a;
      const to1 = from1 === a ? b : a;
      const answers = await Promise.all([
        pass(0, from0, to0),
        pass(1, from1, to1),
        append(a, own[0]!.id, round),
        append(b, own[1]!.id, round),
        append(a, own[0]!.id, round + 100),
        call(t.app, 'GET', `/v1/drafts/${shared[0]!.id}`, { token: a.accessToken }),
        call(t.app, 'GET', `/v1/drafts/${shared[0]!.id}`, { token: b.accessToken }),
      ]);
      expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 201, 201, 201, 200, 200]);
      holder[0] = to0;
      holder[1] = to1;
    }
    const events = await recordedEvents();
    const now = t.clock.now();
    for (const draft of [...shared, ...own]) {
      const res = await call(t.app, 'GET', `/v1/drafts/${draft.id}/analytics`, { token: (draft.ownerId === a.user.id ? a : b).accessToken });
      const { contributors, ...rest } = res.json();
      const reduced = reduceDraftAnalytics(draft.id, events, now);
      expect({ ...rest, contributors: contributors.map((c: { userId: string; segments: number }) => ({ userId: c.userId, segments: c.segments })) }).toEqual(reduced);
    }
    for (const user of [a, b]) expect((await call(t.app, 'GET', `/v1/users/${user.user.id}/analytics`, { token: user.accessToken })).json()).toEqual(reduceUserAnalytics(user.user.id, events, now));
    for (const metric of LEADERBOARD_METRICS) {
      const board = (await call(t.app, 'GET', `/v1/leaderboard?metric=${metric}&window=all`, { token: a.accessToken })).json();
      const reduced = reduceLeaderboard(metric, 'all', events, now);
      expect(board.entries.map(({ displayName: _, ...entry }: { displayName: string }) => entry)).toEqual(reduced.entries);
    }
    expect(events.filter((e) => e.type === 'DraftViewed')).toHaveLength(2);
  });
});
