/**
 * Usage counted by pure reducers: drafts and collaborators from the collaboration log (`draft_events`), the
 * coach's from its turns, Mirror sessions and Lens goals. The tables that project the log (`drafts.status`,
 * `drafts.owner_id`, `draft_members`) and the coach's tables serve the reads in repo.ts; a test replays real
 * histories and checks both agree.
 */

import { GENERATION_LEASE_MS } from '../../platform/idempotency.js';

/** A logged draft event, as far as usage needs it. */
export type UsageEvent = { draftId: string; type: string; payload: Record<string, unknown>; actorId: string | null };

/** One draft as its log tells it: who owns it, whether it is archived, who writes with its owner. */
export type DraftUsage = { ownerId: string; archived: boolean; collaborators: ReadonlySet<string> };

/** Applies one event to the drafts seen so far (a draft's events come in log order). */
function apply(drafts: Map<string, DraftUsage>, event: UsageEvent): void {
  if (event.type === 'draft.created') {
    if (event.actorId !== null) drafts.set(event.draftId, { ownerId: event.actorId, archived: false, collaborators: new Set() });
    return;
  }
  const draft = drafts.get(event.draftId);
  if (!draft) return;
  if (event.type === 'draft.archived') drafts.set(event.draftId, { ...draft, archived: true });
  const userId = typeof event.payload.userId === 'string' ? event.payload.userId : null;
  if (userId === null || userId === draft.ownerId) return;
  if (event.type !== 'collaborator.joined' && event.type !== 'collaborator.left') return;
  const collaborators = new Set(draft.collaborators);
  if (event.type === 'collaborator.joined') collaborators.add(userId);
  else collaborators.delete(userId);
  drafts.set(event.draftId, { ...draft, collaborators });
}

/** Every draft of a log (each draft's events in order; drafts may interleave). */
export function reduceUsage(events: Iterable<UsageEvent>): Map<string, DraftUsage> {
  const drafts = new Map<string, DraftUsage>();
  for (const event of events) apply(drafts, event);
  return drafts;
}

/** `drafts.max`: the drafts a user owns that are not archived. */
export function draftsInUse(drafts: ReadonlyMap<string, DraftUsage>, ownerId: string): number {
  let count = 0;
  for (const draft of drafts.values()) if (draft.ownerId === ownerId && !draft.archived) count++;
  return count;
}

/** `collaborators.max` on one draft: the people writing on it besides its owner. */
export function collaboratorsOn(drafts: ReadonlyMap<string, DraftUsage>, draftId: string): number {
  return drafts.get(draftId)?.collaborators.size ?? 0;
}

/** `collaborators.max` as a user's status shows it: the most on any one of their drafts in use. */
export function mostCollaborators(drafts: ReadonlyMap<string, DraftUsage>, ownerId: string): number {
  let most = 0;
  for (const draft of drafts.values()) if (draft.ownerId === ownerId && !draft.archived) most = Math.max(most, draft.collaborators.size);
  return most;
}

/** A span of time: from `start` (included) to `end` (excluded). */
export type Period = { start: Date; end: Date };

const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC calendar day holding `now`. */
export function utcDayOf(now: Date): Period {
  const start = new Date(now);
  start.setUTCHours(0, 0, 0, 0);
  return { start, end: new Date(start.getTime() + DAY_MS) };
}

/** The ISO week holding `now`: Monday 00:00 UTC to the next Monday. */
export function isoWeekOf(now: Date): Period {
  const { start } = utcDayOf(now);
  // getUTCDay: Sunday 0 … Saturday 6; days since Monday: Monday 0 … Sunday 6.
  start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  return { start, end: new Date(start.getTime() + 7 * DAY_MS) };
}

const within = (at: Date, period: Period) => at.getTime() >= period.start.getTime() && at.getTime() < period.end.getTime();

/**
 * How long a pending turn counts: a generation's lease (GENERATION_LEASE_MS). A turn still pending after it
 * belongs to a process that died mid-generation; it counts nothing more.
 */
export const PENDING_TURN_LEASE_MS = GENERATION_LEASE_MS;

/** A Turn as usage needs it: `pending` (claimed), `done`, `failed` or `safety` (the precheck answered). */
export type TurnUsage = { userId: string; status: string; createdAt: Date };

/** Whether a turn uses its day's allowance at `now`: answered, or claimed and still within its lease. */
const turnCounts = (turn: TurnUsage, now: Date) =>
  turn.status === 'done' || (turn.status === 'pending' && now.getTime() - turn.createdAt.getTime() < PENDING_TURN_LEASE_MS);

/** `coach.turns_per_day`: the user's turns answered, or claimed within the lease, on `now`'s UTC day; failed and safety turns count nothing. */
export function turnsToday(turns: Iterable<TurnUsage>, userId: string, now: Date): number {
  const day = utcDayOf(now);
  let count = 0;
  for (const turn of turns) if (turn.userId === userId && turnCounts(turn, now) && within(turn.createdAt, day)) count++;
  return count;
}

/** A Mirror session as usage needs it (whether it was deleted since does not matter). */
export type SessionUsage = { userId: string; createdAt: Date };

/**
 * `coach.mirror_sessions_per_week`: the sessions the user started in `now`'s ISO week (Monday 00:00 UTC on),
 * deleted ones included: deleting a session frees no slot.
 */
export function mirrorSessionsThisWeek(sessions: Iterable<SessionUsage>, userId: string, now: Date): number {
  const week = isoWeekOf(now);
  let count = 0;
  for (const session of sessions) if (session.userId === userId && within(session.createdAt, week)) count++;
  return count;
}

/** A Lens goal as usage needs it. */
export type GoalUsage = { userId: string; status: string };

/** `coach.goals.max`: the user's active goals (completed and archived ones do not count). */
export function activeGoals(goals: Iterable<GoalUsage>, userId: string): number {
  let count = 0;
  for (const goal of goals) if (goal.userId === userId && goal.status === 'active') count++;
  return count;
}
