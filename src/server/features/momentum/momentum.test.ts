import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MomentumSchema } from '../../../contract/analytics.js';
import { UnknownSchemaVersionError } from '../analytics/reducers.js';
import { momentumFromDays, momentumFromEvents, type DaySegments, type MomentumEvent } from './momentum.js';

const USER = '01a200cb-3f70-74d5-8e75-7a0ac9ba7b91';
const OTHER = '01a200cb-3f70-74d5-8e75-7a0ac9ba7b92';
const NOW = new Date('2026-03-15T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;

/** `YYYY-MM-DD` of the UTC day `daysAgo` before NOW's. */
const ago = (daysAgo: number, from = NOW) => new Date(from.getTime() - daysAgo * DAY).toISOString().slice(0, 10);
const days = (...daysAgo: number[]): DaySegments[] => daysAgo.map((d) => ({ date: ago(d), segments: 1 }));
const added = (occurredAt: string, userId = USER): MomentumEvent => ({ schemaVersion: 1, type: 'SegmentAdded', userId, occurredAt: new Date(occurredAt) });

/** The score straight from the formula in words, computed another way: by calendar arithmetic on dates. */
function expectedScore(active: readonly string[], asOf: string): number {
  let points = 0;
  for (const date of new Set(active)) {
    const age = Math.round((Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / DAY);
    if (age >= 0 && age < 30) points += 30 - age;
  }
  return Math.round((100 * points) / 465);
}

describe('momentum from segments per UTC day', () => {
  it('is all zeros for someone who has not written, with the 30 days ending today, oldest first', () => {
    const m = momentumFromDays([], NOW);
    expect(m).toMatchObject({ streakDays: 0, longestStreak: 0, score: 0, wroteToday: false });
    expect(m.last30Days).toHaveLength(30);
    expect(m.last30Days[0]).toEqual({ date: '2026-02-14', segments: 0, score: 0 });
    expect(m.last30Days[29]).toEqual({ date: '2026-03-15', segments: 0, score: 0 });
    expect(MomentumSchema.omit({ generatedAt: true }).parse(m)).toEqual(m);
  });

  it('counts a streak that ends today', () => {
    expect(momentumFromDays(days(0, 1, 2), NOW)).toMatchObject({ streakDays: 3, longestStreak: 3, wroteToday: true });
  });

  it('keeps yesterday’s streak standing while today has no segment yet', () => {
    expect(momentumFromDays(days(1, 2, 3, 4), NOW)).toMatchObject({ streakDays: 4, longestStreak: 4, wroteToday: false });
  });

  it('resets the streak after a whole day without a segment, and keeps the longest', () => {
    expect(momentumFromDays(days(2, 3, 4, 5, 6), NOW)).toMatchObject({ streakDays: 0, longestStreak: 5 });
    expect(momentumFromDays(days(0, 2, 3, 4), NOW)).toMatchObject({ streakDays: 1, longestStreak: 3 });
  });

  it('finds the longest streak anywhere in the past, beyond the 30 days', () => {
    expect(momentumFromDays(days(100, 101, 102, 103, 104, 105, 0), NOW)).toMatchObject({ streakDays: 1, longestStreak: 6 });
  });

  it('scores linearly: today is worth 30 points, 29 days ago 1, every day of the 30 is 100', () => {
    expect(momentumFromDays(days(0), NOW).score).toBe(Math.round(3000 / 465)); // 6
    expect(momentumFromDays(days(0, 1), NOW).score).toBe(Math.round(5900 / 465)); // 13
    expect(momentumFromDays(days(29), NOW).score).toBe(0); // 100 / 465 rounds to 0
    expect(momentumFromDays(days(30), NOW).score).toBe(0);
    expect(momentumFromDays(days(...Array.from({ length: 30 }, (_, i) => i)), NOW).score).toBe(100);
  });

  it('weighs a day by whether anything was written, not by how much', () => {
    expect(momentumFromDays([{ date: ago(0), segments: 50 }], NOW).score).toBe(momentumFromDays(days(0), NOW).score);
  });

  it('gives each of the last 30 days its segments and the score as of the end of that day', () => {
    const m = momentumFromDays([...days(0, 1, 5), { date: ago(1), segments: 2 }], NOW);
    const yesterday = m.last30Days[28]!;
    expect(yesterday).toEqual({ date: ago(1), segments: 3, score: expectedScore([ago(1), ago(5)], ago(1)) });
    expect(m.last30Days[29]!.score).toBe(m.score);
  });

  it('ignores days after now and days without segments', () => {
    const future = [{ date: '2026-03-16', segments: 4 }, { date: ago(3), segments: 0 }];
    expect(momentumFromDays(future, NOW)).toEqual(momentumFromDays([], NOW));
  });

  it('agrees with the formula, the streak rules and itself for any history (property)', () => {
    const history = fc.uniqueArray(fc.integer({ min: 0, max: 80 }), { maxLength: 60 });
    fc.assert(
      fc.property(history, (daysAgo) => {
        const m = momentumFromDays(days(...daysAgo), NOW);
        const dates = daysAgo.map((d) => ago(d));
        expect(m.score).toBe(expectedScore(dates, ago(0)));
        for (const day of m.last30Days) expect(day.score).toBe(expectedScore(dates, day.date));
        let streak = 0;
        for (let d = daysAgo.includes(0) ? 0 : 1; daysAgo.includes(d); d++) streak++;
        expect(m.streakDays).toBe(streak);
        expect(m.longestStreak).toBeGreaterThanOrEqual(m.streakDays);
        expect(m.wroteToday).toBe(daysAgo.includes(0));
        // Writing on one more day never lowers the score.
        const more = momentumFromDays(days(...daysAgo, 0), NOW);
        expect(more.score).toBeGreaterThanOrEqual(m.score);
      }),
    );
  });
});

describe('momentum from analytics events', () => {
  it('splits days at UTC midnight', () => {
    const events = [added('2026-03-14T23:59:59.999Z'), added('2026-03-15T00:00:00.000Z')];
    expect(momentumFromEvents(USER, events, NOW)).toMatchObject({ streakDays: 2, wroteToday: true });
    expect(momentumFromEvents(USER, events, new Date('2026-03-14T23:59:59.999Z'))).toMatchObject({ streakDays: 1, wroteToday: true });
  });

  it('counts an event at exactly now and none after it', () => {
    expect(momentumFromEvents(USER, [added(NOW.toISOString())], NOW).wroteToday).toBe(true);
    expect(momentumFromEvents(USER, [added('2026-03-15T12:00:00.001Z')], NOW).wroteToday).toBe(false);
  });

  it("counts only the user's own SegmentAdded", () => {
    const events: MomentumEvent[] = [
      added(NOW.toISOString(), OTHER),
      { schemaVersion: 1, type: 'SegmentEdited', userId: USER, occurredAt: NOW },
      { schemaVersion: 1, type: 'DraftCreated', userId: USER, occurredAt: NOW },
    ];
    expect(momentumFromEvents(USER, events, NOW)).toEqual(momentumFromDays([], NOW));
  });

  it('refuses an event of an unknown schema version', () => {
    const events = [added(NOW.toISOString()), { ...added(NOW.toISOString()), schemaVersion: 2 }];
    expect(() => momentumFromEvents(USER, events, NOW)).toThrow(UnknownSchemaVersionError);
    expect(() => momentumFromEvents(USER, events, NOW)).toThrow(expect.objectContaining({ code: 'unknown_schema_version', schemaVersion: 2 }));
  });

  it('equals the per-day path for any events and now, in any order (property)', () => {
    const start = Date.parse('2026-01-01T00:00:00.000Z');
    const instant = fc.integer({ min: start, max: start + 90 * DAY }).map((ms) => new Date(ms));
    const event = fc.record({
      schemaVersion: fc.constant(1),
      type: fc.constantFrom('SegmentAdded', 'SegmentAdded', 'SegmentEdited', 'DraftCreated'),
      userId: fc.constantFrom(USER, OTHER, null),
      occurredAt: instant,
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 200 }), instant, (events, now) => {
        const perDay = new Map<string, number>();
        for (const e of events) {
          if (e.type !== 'SegmentAdded' || e.userId !== USER || e.occurredAt > now) continue;
          const date = e.occurredAt.toISOString().slice(0, 10);
          perDay.set(date, (perDay.get(date) ?? 0) + 1);
        }
        const fromDays = momentumFromDays([...perDay].map(([date, segments]) => ({ date, segments })), now);
        expect(momentumFromEvents(USER, events, now)).toEqual(fromDays);
        expect(momentumFromEvents(USER, [...events].reverse(), now)).toEqual(fromDays);
      }),
    );
  });
});
