import { v7 as uuidv7 } from 'uuid';
import {
  MAX_ACTIONS_PER_GOAL,
  type CreateActionBody,
  type GoalWithSafety,
  type CreateGoalBody,
  type DayActions,
  type GoalDetail,
  type GoalStatus,
  type LensAction,
  type SafetyNotice,
  type UpdateActionBody,
  type UpdateGoalBody,
} from '../../../contract/coach.js';
import type { PageQuery } from '../../../contract/common.js';
import { isBlank } from '../../../contract/text.js';
import type { Db } from '../../db/client.js';
import type { AuthUser } from '../../platform/auth.js';
import type { Clock } from '../../platform/clock.js';
import { decodeCursor, pageOf } from '../../platform/cursor.js';
import { transaction, type Transact } from '../../platform/unit-of-work.js';
import type { Enforce } from '../plans/enforce.js';
import { noticeFor } from '../safety/copy.js';
import { precheck } from '../safety/precheck.js';
import { recordSafetyEvent } from '../safety/repo.js';
import { actionNotFound, goalActionsFull, goalNotFound, invalidField } from './errors.js';
import { presentAction, presentDayActions, presentGoal, presentGoalDetail } from './present.js';
import * as repo from './repo.js';

/**
 * Lens: the user's goals and the small daily actions toward them. `enforce` keeps active goals within the
 * plan's `coach.goals.max`; a goal's words go through the safety precheck (a match still sets or changes
 * the goal, and answers with support alongside it).
 */
export type LensDeps = { db: Db; clock: Clock; enforce: Enforce; transact?: Transact };

/** The UTC calendar day of an instant, YYYY-MM-DD. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

const LINE_CONTROL = /[\p{Cc}\u2028\u2029]/u;
// A goal's "why" may take several lines; other control characters are refused.
const TEXT_CONTROL = /[^\P{Cc}\t\n\r]|[\u2028\u2029]/u;

/** A one-line title, trimmed: 400 when blank or holding control characters. */
function requireLine(raw: string, path: string): string {
  const value = raw.trim();
  if (isBlank(value)) throw invalidField(path, 'Give it a few words.');
  if (LINE_CONTROL.test(value)) throw invalidField(path, 'Keep it to one line, without control characters.');
  return value;
}

function requireText(raw: string, path: string): string {
  const value = raw.trim();
  if (TEXT_CONTROL.test(value)) throw invalidField(path, 'Remove control characters from the text.');
  return value;
}

/**
 * The precheck over a goal's words, the title and the reason read as one text (a thought may run from one
 * into the other): on a match, a safety event in the caller's transaction and the notice to answer.
 */
async function safetyCheck(tx: Db, actor: AuthUser, goal: repo.GoalRow, now: Date): Promise<SafetyNotice | null> {
  const found = precheck(`${goal.title}\n${goal.why}`);
  if (!found) return null;
  await recordSafetyEvent(tx, { userId: actor.id, feature: 'lens', category: found.category, ruleId: found.ruleId, at: now });
  return noticeFor(found.category);
}

/** Sets a goal and its reason; enforced against `coach.goals.max` before any write. */
export async function createGoal(deps: LensDeps, actor: AuthUser, input: CreateGoalBody): Promise<GoalWithSafety> {
  const title = requireLine(input.title, 'body.title');
  const why = requireText(input.why ?? '', 'body.why');
  const transact = deps.transact ?? transaction(deps.db);
  return transact(async ({ tx }) => {
    const now = deps.clock.now();
    await deps.enforce(tx, actor.id, 'coach.goals.max', now);
    const row: repo.GoalRow = { id: uuidv7(), userId: actor.id, title, why, targetDay: input.targetDay ?? null, status: 'active', createdAt: now, updatedAt: now };
    await repo.insertGoal(tx, row);
    return { ...presentGoal(row, undefined), safety: await safetyCheck(tx, actor, row, now) };
  });
}

/** The user's goals of one status (or all), newest first. */
export async function listGoals(deps: LensDeps, actor: AuthUser, status: GoalStatus | 'all', page: PageQuery) {
  const after = page.cursor === undefined ? null : decodeCursor(page.cursor);
  const rows = await repo.listGoals(deps.db, actor.id, status, page.limit + 1, after);
  const counts = await repo.actionCounts(
    deps.db,
    rows.slice(0, page.limit).map((r) => r.id),
  );
  return pageOf(rows, page.limit, (g) => ({ at: g.createdAt, id: g.id }), (g) => presentGoal(g, counts.get(g.id)));
}

export async function getGoal(deps: LensDeps, actor: AuthUser, goalId: string): Promise<GoalDetail> {
  const goal = await repo.findGoal(deps.db, actor.id, goalId);
  if (!goal) throw goalNotFound();
  return presentGoalDetail(goal, await repo.goalActions(deps.db, goalId));
}

/**
 * Changes a goal's words, day or status; making a goal active again counts against `coach.goals.max`. New
 * words go through the precheck as on creation.
 */
export async function updateGoal(deps: LensDeps, actor: AuthUser, goalId: string, input: UpdateGoalBody): Promise<GoalWithSafety> {
  const changes: repo.GoalChanges = {};
  if (input.title !== undefined) changes.title = requireLine(input.title, 'body.title');
  if (input.why !== undefined) changes.why = requireText(input.why, 'body.why');
  if (input.targetDay !== undefined) changes.targetDay = input.targetDay;
  if (input.status !== undefined) changes.status = input.status;
  const transact = deps.transact ?? transaction(deps.db);
  return transact(async ({ tx }) => {
    const now = deps.clock.now();
    const goal = await repo.findGoal(tx, actor.id, goalId, true);
    if (!goal) throw goalNotFound();
    if (changes.status === 'active' && goal.status !== 'active') await deps.enforce(tx, actor.id, 'coach.goals.max', now);
    const updated = Object.keys(changes).length === 0 ? goal : await repo.updateGoal(tx, actor.id, goalId, changes, now);
    if (!updated) throw goalNotFound();
    // Words sent again as they were are no new words: no second notice, no second safety event.
    const reworded = (changes.title !== undefined && changes.title !== goal.title) || (changes.why !== undefined && changes.why !== goal.why);
    const safety = reworded ? await safetyCheck(tx, actor, updated, now) : null;
    const counts = await repo.actionCounts(tx, [goalId]);
    return { ...presentGoal(updated, counts.get(goalId)), safety };
  });
}

export async function deleteGoal(deps: LensDeps, actor: AuthUser, goalId: string): Promise<void> {
  const transact = deps.transact ?? transaction(deps.db);
  await transact(async ({ tx }) => {
    if (!(await repo.deleteGoal(tx, actor.id, goalId))) throw goalNotFound();
  });
}

/** Plans an action for a day (today by the clock when none is given); a goal holds MAX_ACTIONS_PER_GOAL. */
export async function addAction(deps: LensDeps, actor: AuthUser, goalId: string, input: CreateActionBody): Promise<LensAction> {
  const title = requireLine(input.title, 'body.title');
  const transact = deps.transact ?? transaction(deps.db);
  return transact(async ({ tx }) => {
    const now = deps.clock.now();
    // The goal's lock makes concurrent additions count one after another.
    if (!(await repo.findGoal(tx, actor.id, goalId, true))) throw goalNotFound();
    if ((await repo.countActions(tx, goalId)) >= MAX_ACTIONS_PER_GOAL) throw goalActionsFull();
    const row: repo.ActionRow = { id: uuidv7(), goalId, userId: actor.id, title, day: input.day ?? utcDay(now), doneAt: null, createdAt: now, updatedAt: now };
    await repo.insertAction(tx, row);
    return presentAction(row);
  });
}

/** Renames, moves or ticks off an action: `done: true` keeps the first time it was done, `false` clears it. */
export async function updateAction(deps: LensDeps, actor: AuthUser, goalId: string, actionId: string, input: UpdateActionBody): Promise<LensAction> {
  const changes: repo.ActionChanges = {};
  if (input.title !== undefined) changes.title = requireLine(input.title, 'body.title');
  if (input.day !== undefined) changes.day = input.day;
  if (input.done !== undefined) changes.done = input.done;
  const transact = deps.transact ?? transaction(deps.db);
  return transact(async ({ tx }) => {
    const updated = await repo.updateAction(tx, actor.id, goalId, actionId, changes, deps.clock.now());
    if (!updated) throw (await repo.findGoal(tx, actor.id, goalId)) ? actionNotFound() : goalNotFound();
    return presentAction(updated);
  });
}

export async function deleteAction(deps: LensDeps, actor: AuthUser, goalId: string, actionId: string): Promise<void> {
  const transact = deps.transact ?? transaction(deps.db);
  await transact(async ({ tx }) => {
    if (await repo.deleteAction(tx, actor.id, goalId, actionId)) return;
    throw (await repo.findGoal(tx, actor.id, goalId)) ? actionNotFound() : goalNotFound();
  });
}

/** The actions planned for `day` (today by `now` when none is given) on the user's active goals. */
export async function dayActions(deps: LensDeps, actor: AuthUser, day: string | undefined, now: Date): Promise<DayActions> {
  const which = day ?? utcDay(now);
  return presentDayActions(which, await repo.actionsOfDay(deps.db, actor.id, which));
}
