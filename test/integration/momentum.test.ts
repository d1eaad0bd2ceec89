import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Momentum } from '../../src/contract/analytics.js';
import type { NewAnalyticsEvent } from '../../src/server/features/analytics/record.js';
import { archetypeSignalsFromEvents } from '../../src/server/features/momentum/archetype.js';
import { momentumFromEvents } from '../../src/server/features/momentum/momentum.js';
import { archetypeSignals, archetypeSignalsQuery, segmentDaysQuery } from '../../src/server/features/momentum/repo.js';
import { call, expectProblem, registerUser, type Account } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';
import { analyticsEvent, seedEvents, segmentsAdded } from '../helpers/momentum-events.js';

const t = useTestApp();

const momentumAt = (who: Account, now?: string) =>
  call(t.app, 'GET', `/v1/me/momentum${now === undefined ? '' : `?now=${encodeURIComponent(now)}`}`, { token: who.accessToken });

async function momentum(who: Account, now?: string): Promise<Momentum> {
  const res = await momentumAt(who, now);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Momentum;
}

const streakOf = async (who: Account, now: string) => {
  const m = await momentum(who, now);
  return { streakDays: m.streakDays, longestStreak: m.longestStreak, wroteToday: m.wroteToday };
};

describe('GET /v1/me/momentum', () => {
  it('counts a streak across UTC midnights, as of now', async () => {
    const me = await registerUser(t.app);
    await seedEvents(t.database, segmentsAdded(me.user.id, '2026-03-13T23:59:59.999Z', '2026-03-14T00:00:00.000Z', '2026-03-15T10:00:00.000Z'));

    const m = await momentum(me, '2026-03-15T12:00:00.000Z');
    expect(m).toMatchObject({ streakDays: 3, longestStreak: 3, wroteToday: true, score: Math.round((100 * (30 + 29 + 28)) / 465) });
    expect(m.last30Days).toHaveLength(30);
    expect(m.last30Days.slice(-3)).toEqual([
      { date: '2026-03-13', segments: 1, score: Math.round(3000 / 465) },
      { date: '2026-03-14', segments: 1, score: Math.round(5900 / 465) },
      { date: '2026-03-15', segments: 1, score: m.score },
    ]);
    expect(m.last30Days[0]!.date).toBe('2026-02-14');
    expect(m.generatedAt).toBe('2026-03-15T12:00:00.000Z');

    // Before today's segment the streak still stands on yesterday's.
    expect(await streakOf(me, '2026-03-15T09:59:59.999Z')).toEqual({ streakDays: 2, longestStreak: 2, wroteToday: false });
    // The first instant of a day belongs to it; the last one to the day before.
    expect(await streakOf(me, '2026-03-14T00:00:00.000Z')).toEqual({ streakDays: 2, longestStreak: 2, wroteToday: true });
    expect(await streakOf(me, '2026-03-13T23:59:59.999Z')).toEqual({ streakDays: 1, longestStreak: 1, wroteToday: true });
    // A now given with an offset is the same instant: 01:00+02:00 on the 14th is 23:00 UTC on the 13th.
    expect(await streakOf(me, '2026-03-14T01:00:00+02:00')).toEqual({ streakDays: 0, longestStreak: 0, wroteToday: false });
  });

  it('ignores events after now', async () => {
    const me = await registerUser(t.app);
    await seedEvents(t.database, segmentsAdded(me.user.id, '2026-03-10T08:00:00.000Z', '2026-03-20T08:00:00.000Z'));
    const m = await momentum(me, '2026-03-10T07:59:59.999Z');
    expect(m).toMatchObject({ streakDays: 0, longestStreak: 0, score: 0, wroteToday: false });
    expect(m.last30Days.every((day) => day.segments === 0 && day.score === 0)).toBe(true);
    expect((await momentum(me, '2026-03-10T08:00:00.000Z')).wroteToday).toBe(true);
  });

  it('resets the streak after a day without a segment, and keeps the longest', async () => {
    const me = await registerUser(t.app);
    const march = (day: number) => `2026-03-${String(day).padStart(2, '0')}T15:00:00.000Z`;
    await seedEvents(t.database, segmentsAdded(me.user.id, ...[1, 2, 3, 4, 5, 10, 11].map(march)));
    expect(await streakOf(me, '2026-03-11T20:00:00.000Z')).toEqual({ streakDays: 2, longestStreak: 5, wroteToday: true });
    expect(await streakOf(me, '2026-03-12T20:00:00.000Z')).toEqual({ streakDays: 2, longestStreak: 5, wroteToday: false });
    expect(await streakOf(me, '2026-03-13T00:00:00.000Z')).toEqual({ streakDays: 0, longestStreak: 5, wroteToday: false });
  });

  it("counts the caller's own segments only", async () => {
    const [me, other] = [await registerUser(t.app), await registerUser(t.app)];
    await seedEvents(t.database, [
      ...segmentsAdded(other.user.id, '2026-03-15T10:00:00.000Z'),
      analyticsEvent('SegmentEdited', me.user.id, '2026-03-15T10:00:00.000Z'),
      analyticsEvent('DraftCreated', me.user.id, '2026-03-15T10:00:00.000Z'),
      analyticsEvent('RingPassed', other.user.id, '2026-03-15T10:00:00.000Z', { targetUserId: me.user.id, payload: { kind: 'pass' } }),
    ]);
    expect(await momentum(me, '2026-03-15T12:00:00.000Z')).toMatchObject({ streakDays: 0, score: 0, wroteToday: false });
    expect(await momentum(other, '2026-03-15T12:00:00.000Z')).toMatchObject({ streakDays: 1, wroteToday: true });
  });

  it('answers byte for byte the same for the same data and now, and moves with now', async () => {
    const me = await registerUser(t.app);
    await seedEvents(t.database, segmentsAdded(me.user.id, '2026-03-14T10:00:00.000Z', '2026-03-15T10:00:00.000Z'));
    const first = await momentumAt(me, '2026-03-15T12:00:00.000Z');
    const second = await momentumAt(me, '2026-03-15T12:00:00.000Z');
    expect(first.statusCode).toBe(200);
    expect(second.body).toBe(first.body);
    expect((await streakOf(me, '2026-03-16T12:00:00.000Z')).streakDays).toBe(2);
    expect((await streakOf(me, '2026-03-17T00:00:00.000Z')).streakDays).toBe(0);
  });

  it("takes now from the server's clock when none is given", async () => {
    const me = await registerUser(t.app);
    t.clock.advance(5 * 60_000); // TEST_START is 09:00 on 2026-03-01
    await seedEvents(t.database, segmentsAdded(me.user.id, '2026-03-01T09:03:00.000Z', '2026-03-01T09:10:00.000Z'));
    const m = await momentum(me);
    expect(m.generatedAt).toBe('2026-03-01T09:05:00.000Z');
    expect(m.last30Days.at(-1)).toEqual({ date: '2026-03-01', segments: 1, score: m.score });
  });

  it.each([
    ['not an instant', 'yesterday'],
    ['a day that does not exist', '2026-02-30T00:00:00Z'],
    ['no time zone', '2026-03-15T12:00:00'],
    ['year zero', '0000-06-01T00:00:00Z'],
    ['past year 9999 in UTC', '9999-12-31T23:00:00-05:00'],
  ])('refuses a now that is %s with 400 validation_failed', async (_what, now) => {
    const me = await registerUser(t.app);
    const body = expectProblem(await momentumAt(me, now), 400, 'validation_failed');
    expect(body.errors).toEqual([expect.objectContaining({ path: 'querystring.now' })]);
  });

  it('needs a signed-in user', async () => {
    expectProblem(await call(t.app, 'GET', '/v1/me/momentum'), 401, 'unauthorized');
  });

  it('refuses to count an event of a schema version it does not know', async () => {
    const me = await registerUser(t.app);
    await seedEvents(t.database, segmentsAdded(me.user.id, '2026-03-15T10:00:00.000Z'));
    await t.database.db.execute(sql`update analytics_events set schema_version = 2`);
    expectProblem(await momentumAt(me, '2026-03-15T12:00:00.000Z'), 500, 'unknown_schema_version');
  });
});

describe('the SQL paths equal the pure reducers', () => {
  it('for random histories of two users and a random now (property)', async () => {
    const [me, other] = [await registerUser(t.app), await registerUser(t.app)];
    const drafts = ['01a200cb-3f70-74d5-8e75-7a0ac9ba7ba1', '01a200cb-3f70-74d5-8e75-7a0ac9ba7ba2', '01a200cb-3f70-74d5-8e75-7a0ac9ba7ba3'];
    const start = Date.parse('2026-01-01T00:00:00.000Z');
    const instant = fc.integer({ min: start, max: start + 60 * 86_400_000 }).map((ms) => new Date(ms).toISOString());
    const event = fc
      .record({
        type: fc.constantFrom('SegmentAdded', 'SegmentAdded', 'SegmentEdited', 'DraftCreated', 'RingPassed', 'DraftViewed') as fc.Arbitrary<NewAnalyticsEvent['type']>,
        user: fc.constantFrom(me.user.id, other.user.id),
        at: instant,
        draftId: fc.constantFrom(...drafts),
        length: fc.oneof(fc.nat({ max: 500 }), fc.constant(undefined)),
        kind: fc.constantFrom('pass', 'take', 'return'),
      })
      .map((e) =>
        analyticsEvent(e.type, e.user, e.at, {
          draftId: e.draftId,
          payload: e.type === 'SegmentAdded' ? { length: e.length } : e.type === 'RingPassed' ? { kind: e.kind } : {},
        }),
      );
    await fc.assert(
      fc.asyncProperty(fc.array(event, { maxLength: 40 }), instant, async (events, now) => {
        await t.database.db.execute(sql`delete from analytics_events`);
        await seedEvents(t.database, events);
        const rows = events.map((e) => ({ ...e, schemaVersion: 1, userId: e.userId ?? null, payload: e.payload ?? {} }));
        const { generatedAt, ...served } = await momentum(me, now);
        expect(generatedAt).toBe(now);
        expect(served).toEqual(momentumFromEvents(me.user.id, rows, new Date(now)));
        expect(await archetypeSignals(t.database.db, me.user.id, new Date(now))).toEqual(archetypeSignalsFromEvents(me.user.id, rows, new Date(now)));
      }),
      { numRuns: 25 },
    );
  });
});

describe('the momentum queries', () => {
  it("read the user's part of the (user_id, type, occurred_at) index, never the whole table", async () => {
    const me = await registerUser(t.app);
    const now = new Date('2026-03-15T12:00:00.000Z');
    for (const query of [segmentDaysQuery(me.user.id, now), archetypeSignalsQuery(me.user.id, now)]) {
      const plan = await t.database.db.transaction(async (tx) => {
        // With a handful of rows the planner would rightly scan the table: take that option away to see the path it has.
        await tx.execute(sql`set local enable_seqscan = off`);
        const result = await tx.execute(sql`explain ${query}`);
        return (result as unknown as { rows: Array<{ 'QUERY PLAN': string }> }).rows.map((r) => r['QUERY PLAN']).join('\n');
      });
      expect(plan).toContain('Index Scan using analytics_events_user_idx');
      // The index is entered at the user, not read whole and filtered (the planner may test the type either way).
      expect(plan).toContain(`Index Cond: ((user_id = '${me.user.id}'::uuid) AND (`);
      expect(plan).not.toMatch(/Seq Scan on analytics_events/);
    }
  });
});
