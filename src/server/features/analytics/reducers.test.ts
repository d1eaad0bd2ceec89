import { describe, expect, it } from 'vitest';
import { averageHoldMinutes, windowStart } from './model.js';
import { reduceDraftAnalytics, reduceLeaderboard, reduceUserAnalytics, UnknownSchemaVersionError, type AnalyticsEvent } from './reducers.js';

const DRAFT = '01900000-0000-7000-8000-0000000000d1';
const ANN = '01900000-0000-7000-8000-0000000000a1';
const BEN = '01900000-0000-7000-8000-0000000000b1';
const NOW = new Date('2026-03-10T12:00:00.000Z');

function event(overrides: Partial<AnalyticsEvent> & Pick<AnalyticsEvent, 'type' | 'idempotencyKey'>): AnalyticsEvent {
  return { schemaVersion: 1, occurredAt: '2026-03-10T09:00:00.000Z', draftId: DRAFT, userId: ANN, targetUserId: null, payload: {}, ...overrides };
}

describe('reducers', () => {
  it('refuse an event of an unknown schema version with a typed error, wherever it is in the log', () => {
    const events = [event({ type: 'DraftCreated', idempotencyKey: 'a' }), event({ type: 'DraftViewed', idempotencyKey: 'b', schemaVersion: 2, draftId: BEN, occurredAt: '2027-01-01T00:00:00Z' })];
    for (const reduce of [() => reduceDraftAnalytics(DRAFT, events, NOW), () => reduceUserAnalytics(ANN, events, NOW), () => reduceLeaderboard('momentum', 'all', events, NOW)]) {
      expect(reduce).toThrow(UnknownSchemaVersionError);
      expect(reduce).toThrow(expect.objectContaining({ code: 'unknown_schema_version', schemaVersion: 2 }));
    }
  });

  it('count a repeated idempotency key once, as the event table does: the first recorded stays', () => {
    const events = [
      event({ type: 'SegmentAdded', idempotencyKey: 'k', occurredAt: '2026-03-10T10:00:00.000Z' }),
      event({ type: 'SegmentAdded', idempotencyKey: 'k', occurredAt: '2026-03-10T08:00:00.000Z', userId: BEN }),
    ];
    expect(reduceDraftAnalytics(DRAFT, events, NOW)).toMatchObject({ segments: 1, contributors: [{ userId: ANN, segments: 1 }], lastActivityAt: '2026-03-10T10:00:00.000Z' });
  });

  it('leave out what happens after `now`, and answer the same bytes for the same events and `now`', () => {
    const events = [event({ type: 'DraftCreated', idempotencyKey: 'a' }), event({ type: 'SegmentAdded', idempotencyKey: 'b', occurredAt: '2026-03-10T12:00:00.001Z' })];
    expect(reduceUserAnalytics(ANN, events, NOW)).toMatchObject({ draftsCreated: 1, segmentsWritten: 0, lastActiveAt: '2026-03-10T09:00:00.000Z' });
    expect(JSON.stringify(reduceLeaderboard('momentum', '7d', events, NOW))).toBe(JSON.stringify(reduceLeaderboard('momentum', '7d', [...events], new Date(NOW))));
  });

  it('time holds from heldSince to the pass, never below zero', () => {
    const pass = (key: string, heldSince: string) =>
      event({ type: 'RingPassed', idempotencyKey: key, targetUserId: BEN, occurredAt: '2026-03-10T10:00:00.000Z', payload: { kind: 'pass', heldSince } });
    const analytics = reduceUserAnalytics(ANN, [pass('a', '2026-03-10T09:30:00.000Z'), pass('b', '2026-03-10T09:59:00.000Z'), pass('c', '2026-03-10T11:00:00.000Z')], NOW);
    expect(analytics).toMatchObject({ ringsPassed: 3, avgRingHoldMinutes: 10.3 });
    expect(reduceUserAnalytics(BEN, [pass('a', '2026-03-10T09:30:00.000Z')], NOW)).toMatchObject({ ringsHeld: 1, ringsPassed: 0, avgRingHoldMinutes: null });
  });
});

describe('model arithmetic', () => {
  it('rounds the mean hold to one decimal, half up, from whole milliseconds', () => {
    expect(averageHoldMinutes(0, 0)).toBeNull();
    expect(averageHoldMinutes(90_000, 1)).toBe(1.5);
    expect(averageHoldMinutes(303_000, 1)).toBe(5.1);
    expect(averageHoldMinutes(302_999, 1)).toBe(5);
    expect(averageHoldMinutes(1, 3)).toBe(0);
    expect(averageHoldMinutes(9_000, 3)).toBe(0.1);
  });

  it('starts a window at UTC midnight, N−1 days before the day of `now`', () => {
    expect(windowStart('7d', new Date('2026-03-10T00:00:00.000Z'))?.toISOString()).toBe('2026-03-04T00:00:00.000Z');
    expect(windowStart('30d', new Date('2026-03-10T23:59:59.999Z'))?.toISOString()).toBe('2026-02-09T00:00:00.000Z');
    expect(windowStart('all', NOW)).toBeNull();
  });
});
