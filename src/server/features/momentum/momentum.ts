import { ANALYTICS_SCHEMA_VERSION, type Momentum } from '../../../contract/analytics.js';
import type { AnalyticsEventRow } from '../../db/schema/analytics.js';
import { UnknownSchemaVersionError } from '../analytics/reducers.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The momentum score looks back over this many UTC days, today included. */
export const MOMENTUM_WINDOW_DAYS = 30;

/** 30 + 29 + … + 1: the points of a segment on every day of the window. */
const MAX_POINTS = (MOMENTUM_WINDOW_DAYS * (MOMENTUM_WINDOW_DAYS + 1)) / 2;

/** Segments a user added on one UTC calendar day (`YYYY-MM-DD`). */
export type DaySegments = { date: string; segments: number };

/** Momentum without its `generatedAt`: what the profile embeds. */
export type MomentumModel = Omit<Momentum, 'generatedAt'>;

/** The UTC calendar day of an instant, as days since 1970-01-01. */
export function epochDayOf(instant: Date): number {
  return Math.floor(instant.getTime() / DAY_MS);
}

/** `YYYY-MM-DD` of a day counted from 1970-01-01. */
export function dateOfEpochDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function epochDayOfDate(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00.000Z`) / DAY_MS);
}

/**
 * The linear 30-day momentum as of the end of `day`: a day `i` days before it (i = 0..29) with at least
 * one segment contributes `30 − i` points, and the score is `round(100 × points / 465)` (465 = 30 + … + 1),
 * so writing every day of the window is 100 and a day's weight fades evenly over a month.
 */
function scoreAsOf(day: number, activeDays: ReadonlySet<number>): number {
  let points = 0;
  for (let i = 0; i < MOMENTUM_WINDOW_DAYS; i++) if (activeDays.has(day - i)) points += MOMENTUM_WINDOW_DAYS - i;
  return Math.round((100 * points) / MAX_POINTS);
}

/** The longest run of consecutive days in a set of days. */
function longestRun(activeDays: ReadonlySet<number>): number {
  let longest = 0;
  for (const day of activeDays) {
    // Count each run once, from its first day.
    if (activeDays.has(day - 1)) continue;
    let length = 1;
    while (activeDays.has(day + length)) length++;
    longest = Math.max(longest, length);
  }
  return longest;
}

/**
 * A user's momentum from their segment counts per UTC day (counting only segments added up to `now`):
 * - `streakDays`: consecutive UTC days with at least one segment, ending today, or ending yesterday while
 *   today has none yet (today is still open, so yesterday's streak stands until the day is over);
 * - `longestStreak`: the longest such run ever;
 * - `score`: the linear 30-day score as of now (see `scoreAsOf`);
 * - `last30Days`: the 30 UTC days ending today, oldest first, each with its segments and the score as of
 *   the end of that day (today's is the score as of now).
 * Days after `now`'s day and days without segments are ignored.
 */
export function momentumFromDays(days: readonly DaySegments[], now: Date): MomentumModel {
  const today = epochDayOf(now);
  const counts = new Map<number, number>();
  for (const { date, segments } of days) {
    const day = epochDayOfDate(date);
    if (segments > 0 && day <= today) counts.set(day, (counts.get(day) ?? 0) + segments);
  }
  const active = new Set(counts.keys());
  const wroteToday = active.has(today);
  let streakDays = 0;
  for (let day = wroteToday ? today : today - 1; active.has(day); day--) streakDays++;
  const last30Days = Array.from({ length: MOMENTUM_WINDOW_DAYS }, (_, i) => {
    const day = today - (MOMENTUM_WINDOW_DAYS - 1) + i;
    return { date: dateOfEpochDay(day), segments: counts.get(day) ?? 0, score: scoreAsOf(day, active) };
  });
  return { streakDays, longestStreak: longestRun(active), score: scoreAsOf(today, active), wroteToday, last30Days };
}

/** What the momentum reducer reads of an analytics event. */
export type MomentumEvent = Pick<AnalyticsEventRow, 'schemaVersion' | 'type' | 'userId' | 'occurredAt'>;

/**
 * The same momentum straight from analytics events: the user's `SegmentAdded` events up to `now`, counted
 * per UTC day. Refuses any event of a schema version it does not know.
 */
export function momentumFromEvents(userId: string, events: Iterable<MomentumEvent>, now: Date): MomentumModel {
  const perDay = new Map<string, number>();
  for (const event of events) {
    if (event.schemaVersion !== ANALYTICS_SCHEMA_VERSION) throw new UnknownSchemaVersionError(event.schemaVersion);
    if (event.type !== 'SegmentAdded' || event.userId !== userId || event.occurredAt > now) continue;
    const date = dateOfEpochDay(epochDayOf(event.occurredAt));
    perDay.set(date, (perDay.get(date) ?? 0) + 1);
  }
  return momentumFromDays([...perDay].map(([date, segments]) => ({ date, segments })), now);
}
