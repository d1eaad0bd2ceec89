import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEADERBOARD_METRICS, LEADERBOARD_WINDOWS, SHARE_CHANNELS, type AnalyticsEventType } from '../../src/contract/analytics.js';
import { DAY_MS } from '../../src/server/features/analytics/model.js';
import { rebuildProjections, PROJECTION_TABLES } from '../../src/server/features/analytics/rebuild.js';
import { recordAnalyticsEvents, type NewAnalyticsEvent } from '../../src/server/features/analytics/record.js';
import { reduceDraftAnalytics, reduceLeaderboard, reduceUserAnalytics, type AnalyticsEvent } from '../../src/server/features/analytics/reducers.js';
import { readDraftAnalytics, readLeaderboard, readUserAnalytics } from '../../src/server/features/analytics/service.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();

// Random histories recorded through the one write path, then every read model from the projections must be
// the reducer's, byte for byte, for random `now` and window; and again after a rebuild in small batches.

const USERS = Array.from({ length: 12 }, (_, i) => `0190${String(i).padStart(4, '0')}-0000-7000-8000-000000000000`);
const DRAFTS = Array.from({ length: 4 }, (_, i) => `0191${String(i).padStart(4, '0')}-0000-7000-8000-000000000000`);
const START = Date.parse('2026-01-01T00:00:00.000Z');
const SPAN_DAYS = 60;

/** A time within the span, often on a day's edge (midnight, its last millisecond, noon) where windows cut. */
const instant = fc
  .tuple(fc.integer({ min: 0, max: SPAN_DAYS - 1 }), fc.oneof(fc.constantFrom(0, 1, DAY_MS / 2, DAY_MS - 1), fc.integer({ min: 0, max: DAY_MS - 1 })))
  .map(([day, ms]) => START + day * DAY_MS + ms);

const user = fc.constantFrom(...USERS);

const event: fc.Arbitrary<NewAnalyticsEvent> = fc
  .record({
    type: fc.constantFrom<AnalyticsEventType>('DraftCreated', 'DraftViewed', 'DraftShared', 'SegmentAdded', 'SegmentAdded', 'SegmentAdded', 'SegmentEdited', 'SegmentDeleted', 'RingPassed', 'RingPassed', 'DraftPublished'),
    key: fc.integer({ min: 0, max: 80 }),
    at: instant,
    draftId: fc.constantFrom(...DRAFTS),
    userId: user,
    otherId: user,
    signedOut: fc.boolean(),
    // Mostly a real hold; now and then one that "started" after the pass (counted as 0).
    heldFor: fc.oneof(fc.integer({ min: 0, max: 3 * DAY_MS }), fc.integer({ min: -DAY_MS, max: 0 })),
    length: fc.integer({ min: 1, max: 500 }),
    channel: fc.constantFrom(...SHARE_CHANNELS),
  })
  .map((g) => {
    const base = { type: g.type, idempotencyKey: `k${g.key}`, occurredAt: new Date(g.at), draftId: g.draftId, userId: g.userId };
    switch (g.type) {
      case 'SegmentAdded':
        return { ...base, payload: { segmentId: `s${g.key}`, length: g.length } };
      case 'SegmentEdited':
        return { ...base, payload: { segmentId: `s${g.key}` } };
      case 'SegmentDeleted':
        return { ...base, targetUserId: g.otherId, payload: { segmentId: `s${g.key}` } };
      case 'RingPassed':
        return {
          ...base,
          userId: g.signedOut ? null : g.userId,
          targetUserId: g.otherId,
          payload: { kind: 'pass', heldSince: new Date(g.at - g.heldFor).toISOString() },
        };
      case 'DraftShared':
        return { ...base, userId: g.signedOut ? null : g.userId, payload: { channel: g.channel } };
      default:
        return base;
    }
  });

/** A `now` anywhere from before the first event to after the last, often on a day's edge or an event's own time. */
const now = fc.oneof(instant, fc.integer({ min: START - 2 * DAY_MS, max: START + (SPAN_DAYS + 2) * DAY_MS })).map((ms) => new Date(ms));

const asRecorded = (e: NewAnalyticsEvent): AnalyticsEvent => ({
  idempotencyKey: e.idempotencyKey,
  schemaVersion: 1,
  type: e.type,
  occurredAt: e.occurredAt,
  draftId: e.draftId,
  userId: e.userId,
  targetUserId: e.targetUserId ?? null,
  payload: e.payload ?? {},
});

async function wipe(): Promise<void> {
  await t.database.db.execute(sql.raw(`truncate analytics_events, ${PROJECTION_TABLES.join(', ')}`));
}

/** Every read model the projections answer, next to the reducers' answer for the same events. */
async function answers(events: AnalyticsEvent[], at: Date, window: (typeof LEADERBOARD_WINDOWS)[number]) {
  const db = t.database;
  const projected: string[] = [];
  const reduced: string[] = [];
  for (const metric of LEADERBOARD_METRICS) {
    projected.push(JSON.stringify(await readLeaderboard(db, metric, window, at)));
    reduced.push(JSON.stringify(reduceLeaderboard(metric, window, events, at)));
  }
  for (const draftId of DRAFTS) {
    projected.push(JSON.stringify(await readDraftAnalytics(db, draftId, at)));
    reduced.push(JSON.stringify(reduceDraftAnalytics(draftId, events, at)));
  }
  for (const userId of USERS) {
    projected.push(JSON.stringify(await readUserAnalytics(db, userId, at)));
    reduced.push(JSON.stringify(reduceUserAnalytics(userId, events, at)));
  }
  return { projected, reduced };
}

describe('projections', () => {
  it('answer exactly what the reducers answer, for random histories, `now` and windows, before and after a rebuild', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(event, { minLength: 1, maxLength: 25 }), { maxLength: 5 }),
        fc.array(fc.tuple(now, fc.constantFrom(...LEADERBOARD_WINDOWS)), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 40 }),
        async (batches, queries, rebuildBatch) => {
          await wipe();
          for (const batch of batches) await recordAnalyticsEvents(t.database.db, batch);
          const events = batches.flat().map(asRecorded);
          for (const [at, window] of queries) {
            const { projected, reduced } = await answers(events, at, window);
            expect(projected).toEqual(reduced);
          }
          await rebuildProjections(t.database.db, { batchSize: rebuildBatch });
          const [at, window] = queries[0]!;
          const { projected, reduced } = await answers(events, at, window);
          expect(projected).toEqual(reduced);
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});
