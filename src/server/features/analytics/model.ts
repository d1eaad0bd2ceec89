import {
  LEADERBOARD_SIZE,
  type DraftAnalytics,
  type Leaderboard,
  type LeaderboardEntry,
  type LeaderboardMetric,
  type LeaderboardWindow,
  type UserAnalytics,
} from '../../../contract/analytics.js';
import { leaderboardCopy, type InsightBand } from './copy.js';

// The read models as both paths finish them: the reducers (from events) and the projections (from the read
// tables) each arrive at the counts below and hand them to the same functions, so ordering, cuts, rounding
// and copy are decided once. Models carry user ids; the presenter adds display names.

export const DAY_MS = 86_400_000;

/** Event types that count as activity on a draft (and of its actor): views and shares are attention, not activity. */
export const ACTIVITY_TYPES = ['DraftCreated', 'SegmentAdded', 'SegmentEdited', 'SegmentDeleted', 'RingPassed', 'DraftPublished'] as const;

/** What a leaderboard score adds up, per user, over a window. */
export type ScoreCounts = { segments: number; ringsHeld: number; draftsCreated: number; draftsContributed: number };
export type UserWindowCounts = ScoreCounts & { userId: string };

/** SPEC.md §5's formulas as weights; the projection's SQL score is written from the same table. */
export const METRIC_WEIGHTS: Record<LeaderboardMetric, Partial<Record<keyof ScoreCounts, number>>> = {
  collaboration: { segments: 3, ringsHeld: 2, draftsContributed: 1 },
  momentum: { segments: 1, draftsCreated: 5 },
  consistency: { draftsCreated: 5, draftsContributed: 2 },
};

export function scoreOf(metric: LeaderboardMetric, counts: ScoreCounts): number {
  let score = 0;
  for (const [key, weight] of Object.entries(METRIC_WEIGHTS[metric]) as Array<[keyof ScoreCounts, number]>) score += weight * counts[key];
  return score;
}

const WINDOW_DAYS: Record<LeaderboardWindow, number | null> = { '7d': 7, '30d': 30, all: null };

/** Midnight UTC of the day `at` falls in. */
export function dayStart(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

/** The first instant a window counts (UTC midnight, N−1 days before `now`'s day), or null for `all`. */
export function windowStart(window: LeaderboardWindow, now: Date): Date | null {
  const days = WINDOW_DAYS[window];
  return days === null ? null : new Date(dayStart(now).getTime() - (days - 1) * DAY_MS);
}

/** The insight band of an entry: the first place is in the spotlight, the rest by the score they earned. */
export function insightBand(rank: number, score: number): InsightBand {
  if (rank === 1) return 'spotlight';
  if (score >= 60) return 'strong';
  if (score >= 15) return 'steady';
  return 'rising';
}

const byUserId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export type LeaderboardEntryModel = Omit<LeaderboardEntry, 'displayName'>;
export type LeaderboardModel = Omit<Leaderboard, 'entries'> & { entries: LeaderboardEntryModel[] };

/**
 * The leaderboard from each user's counts over the window: score 0 left out, score desc then user id asc, the
 * first 10. `counts` may hold everyone (reducer) or just the candidates the projection query kept.
 */
export function leaderboardModel(metric: LeaderboardMetric, window: LeaderboardWindow, counts: readonly UserWindowCounts[], now: Date): LeaderboardModel {
  const top = counts
    .map((c) => ({ ...c, score: scoreOf(metric, c) }))
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score || byUserId(a.userId, b.userId))
    .slice(0, LEADERBOARD_SIZE);
  return {
    metric,
    window,
    message: leaderboardCopy.message(metric),
    entries: top.map((c, i) => ({
      userId: c.userId,
      rank: i + 1,
      score: c.score,
      insight: leaderboardCopy.insight(metric, insightBand(i + 1, c.score)),
      segments: c.segments,
      ringsHeld: c.ringsHeld,
      draftsCreated: c.draftsCreated,
      draftsContributed: c.draftsContributed,
    })),
    generatedAt: now.toISOString(),
  };
}

/** A draft's counts as of `now`; `contributors` are those whose first segment there is at or before it. */
export type DraftCounts = {
  views: number;
  shares: number;
  segmentsAdded: number;
  segmentsDeleted: number;
  edits: number;
  ringPasses: number;
  contributors: Array<{ userId: string; firstAt: number; segments: number }>;
  lastActivityAt: Date | null;
};

export type DraftAnalyticsModel = Omit<DraftAnalytics, 'contributors'> & { contributors: Array<{ userId: string; segments: number }> };

export function draftAnalyticsModel(draftId: string, counts: DraftCounts, now: Date): DraftAnalyticsModel {
  const contributors = [...counts.contributors].sort((a, b) => a.firstAt - b.firstAt || byUserId(a.userId, b.userId));
  return {
    draftId,
    views: counts.views,
    shares: counts.shares,
    segments: Math.max(0, counts.segmentsAdded - counts.segmentsDeleted),
    edits: counts.edits,
    ringPasses: counts.ringPasses,
    contributorsCount: contributors.length,
    contributors: contributors.map((c) => ({ userId: c.userId, segments: c.segments })),
    lastActivityAt: counts.lastActivityAt?.toISOString() ?? null,
    generatedAt: now.toISOString(),
  };
}

/** A user's counts as of `now`; `holdMs` sums whole milliseconds over `holds` finished holds. */
export type UserCounts = {
  draftsCreated: number;
  draftsContributed: number;
  segmentsWritten: number;
  segmentsEdited: number;
  ringsHeld: number;
  ringsPassed: number;
  holdMs: number;
  holds: number;
  lastActiveAt: Date | null;
};

/**
 * The mean hold in minutes to one decimal, half up, from the integer sum: both paths hand the same integers
 * here, so they agree to the last digit. (Sums stay far below 2^52 ms, where the division is exact enough
 * for the floor, and the remainder is computed exactly.)
 */
export function averageHoldMinutes(holdMs: number, holds: number): number | null {
  if (holds === 0) return null;
  const tenth = holds * 6_000;
  const whole = Math.floor(holdMs / tenth);
  const rest = holdMs - whole * tenth;
  return (whole + (2 * rest >= tenth ? 1 : 0)) / 10;
}

export function userAnalyticsModel(userId: string, counts: UserCounts, now: Date): UserAnalytics {
  return {
    userId,
    draftsCreated: counts.draftsCreated,
    draftsContributed: counts.draftsContributed,
    segmentsWritten: counts.segmentsWritten,
    segmentsEdited: counts.segmentsEdited,
    ringsHeld: counts.ringsHeld,
    ringsPassed: counts.ringsPassed,
    avgRingHoldMinutes: averageHoldMinutes(counts.holdMs, counts.holds),
    lastActiveAt: counts.lastActiveAt?.toISOString() ?? null,
    generatedAt: now.toISOString(),
  };
}
