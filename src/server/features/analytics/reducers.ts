import { ANALYTICS_SCHEMA_VERSION, type AnalyticsEventType, type LeaderboardMetric, type LeaderboardWindow, type UserAnalytics } from '../../../contract/analytics.js';
import { AppError } from '../../platform/errors.js';
import {
  ACTIVITY_TYPES,
  draftAnalyticsModel,
  leaderboardModel,
  userAnalyticsModel,
  windowStart,
  type DraftAnalyticsModel,
  type DraftCounts,
  type LeaderboardModel,
  type UserCounts,
  type UserWindowCounts,
} from './model.js';

// Pure reducers: (events, now) → read model, the definition the projections must equal (a property test
// holds them to it). Events are taken in recording order; like the event table's unique key, an idempotency
// key seen before is ignored. Only events at or before `now` count.

/** An analytics event as recorded (the analytics_events row). */
export type AnalyticsEvent = {
  idempotencyKey: string;
  schemaVersion: number;
  type: AnalyticsEventType;
  occurredAt: Date | string;
  draftId: string;
  userId: string | null;
  targetUserId: string | null;
  payload: Record<string, unknown>;
};

/** An event written under a schema this code does not know: refusing beats counting it wrong. */
export class UnknownSchemaVersionError extends AppError {
  constructor(readonly schemaVersion: number) {
    super(500, 'unknown_schema_version', `An analytics event has schema version ${schemaVersion}; this server reads version ${ANALYTICS_SCHEMA_VERSION} only.`);
    this.name = 'UnknownSchemaVersionError';
  }
}

const ACTIVITY = new Set<string>(ACTIVITY_TYPES);

const timeOf = (at: Date | string) => (at instanceof Date ? at.getTime() : Date.parse(at));

/**
 * Visits the events that count as of `now` with their time in ms: every version checked, a repeated key
 * dropped (the first stays), later events left out.
 */
function eachCounted(events: Iterable<AnalyticsEvent>, now: Date, visit: (event: AnalyticsEvent, at: number) => void): void {
  const seen = new Set<string>();
  const limit = now.getTime();
  for (const event of events) {
    if (event.schemaVersion !== ANALYTICS_SCHEMA_VERSION) throw new UnknownSchemaVersionError(event.schemaVersion);
    if (seen.has(event.idempotencyKey)) continue;
    seen.add(event.idempotencyKey);
    const at = timeOf(event.occurredAt);
    if (at <= limit) visit(event, at);
  }
}

/** Whole milliseconds from getting the ring to passing it on at `at` (never negative), or null without a start. */
function holdMsOf(event: AnalyticsEvent, at: number): number | null {
  const heldSince = event.payload.heldSince;
  if (typeof heldSince !== 'string') return null;
  return Math.max(0, at - Date.parse(heldSince));
}

const later = (a: Date | null, at: number) => (a === null || at > a.getTime() ? new Date(at) : a);

/** Views, shares, segments, edits, ring passes, contributors and last activity of one draft. */
export function reduceDraftAnalytics(draftId: string, events: Iterable<AnalyticsEvent>, now: Date): DraftAnalyticsModel {
  const counts: DraftCounts = { views: 0, shares: 0, segmentsAdded: 0, segmentsDeleted: 0, edits: 0, ringPasses: 0, contributors: [], lastActivityAt: null };
  const contributors = new Map<string, { userId: string; firstAt: number; segments: number }>();
  eachCounted(events, now, (e, at) => {
    if (e.draftId !== draftId) return;
    if (e.type === 'DraftViewed') counts.views++;
    else if (e.type === 'DraftShared') counts.shares++;
    else if (e.type === 'SegmentDeleted') counts.segmentsDeleted++;
    else if (e.type === 'SegmentEdited') counts.edits++;
    else if (e.type === 'RingPassed') counts.ringPasses++;
    else if (e.type === 'SegmentAdded') {
      counts.segmentsAdded++;
      if (e.userId !== null) {
        const c = contributors.get(e.userId) ?? { userId: e.userId, firstAt: at, segments: 0 };
        c.firstAt = Math.min(c.firstAt, at);
        c.segments++;
        contributors.set(e.userId, c);
      }
    }
    if (ACTIVITY.has(e.type)) counts.lastActivityAt = later(counts.lastActivityAt, at);
  });
  counts.contributors = [...contributors.values()];
  return draftAnalyticsModel(draftId, counts, now);
}

/** What one user did: drafts created and contributed to, segments, rings held and passed, mean hold. */
export function reduceUserAnalytics(userId: string, events: Iterable<AnalyticsEvent>, now: Date): UserAnalytics {
  const counts: UserCounts = {
    draftsCreated: 0,
    draftsContributed: 0,
    segmentsWritten: 0,
    segmentsEdited: 0,
    ringsHeld: 0,
    ringsPassed: 0,
    holdMs: 0,
    holds: 0,
    lastActiveAt: null,
  };
  const drafts = new Set<string>();
  eachCounted(events, now, (e, at) => {
    if (e.type === 'RingPassed' && e.targetUserId === userId) counts.ringsHeld++;
    if (e.userId !== userId) return;
    if (e.type === 'DraftCreated') counts.draftsCreated++;
    else if (e.type === 'SegmentEdited') counts.segmentsEdited++;
    else if (e.type === 'SegmentAdded') {
      counts.segmentsWritten++;
      drafts.add(e.draftId);
    } else if (e.type === 'RingPassed') {
      counts.ringsPassed++;
      const hold = holdMsOf(e, at);
      if (hold !== null) {
        counts.holdMs += hold;
        counts.holds++;
      }
    }
    if (ACTIVITY.has(e.type)) counts.lastActiveAt = later(counts.lastActiveAt, at);
  });
  counts.draftsContributed = drafts.size;
  return userAnalyticsModel(userId, counts, now);
}

/**
 * The leaderboard of `metric` over `window`: per user, segments added, rings received and drafts created in
 * the window, and drafts whose first segment by them falls in it.
 */
export function reduceLeaderboard(metric: LeaderboardMetric, window: LeaderboardWindow, events: Iterable<AnalyticsEvent>, now: Date): LeaderboardModel {
  const from = windowStart(window, now)?.getTime() ?? -Infinity;
  const users = new Map<string, UserWindowCounts>();
  const countsOf = (userId: string) => {
    let c = users.get(userId);
    if (!c) users.set(userId, (c = { userId, segments: 0, ringsHeld: 0, draftsCreated: 0, draftsContributed: 0 }));
    return c;
  };
  const firstSegments = new Map<string, { userId: string; at: number }>();
  eachCounted(events, now, (e, at) => {
    if (e.type === 'SegmentAdded' && e.userId !== null) {
      const key = `${e.draftId} ${e.userId}`;
      const first = firstSegments.get(key);
      if (!first) firstSegments.set(key, { userId: e.userId, at });
      else if (at < first.at) first.at = at;
    }
    if (at < from) return;
    if (e.type === 'SegmentAdded' && e.userId !== null) countsOf(e.userId).segments++;
    else if (e.type === 'DraftCreated' && e.userId !== null) countsOf(e.userId).draftsCreated++;
    else if (e.type === 'RingPassed' && e.targetUserId !== null) countsOf(e.targetUserId).ringsHeld++;
  });
  for (const first of firstSegments.values()) if (first.at >= from) countsOf(first.userId).draftsContributed++;
  return leaderboardModel(metric, window, [...users.values()], now);
}
