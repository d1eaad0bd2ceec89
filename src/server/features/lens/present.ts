import type { DayActions, Goal, GoalDetail, LensAction } from '../../../contract/coach.js';
import type { ActionCounts, ActionRow, DayActionRow, GoalRow } from './repo.js';

export function presentGoal(row: GoalRow, counts: ActionCounts | undefined): Goal {
  return {
    id: row.id,
    title: row.title,
    why: row.why,
    targetDay: row.targetDay,
    status: row.status as Goal['status'],
    actionsDone: counts?.done ?? 0,
    actionsPlanned: counts?.planned ?? 0,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function presentAction(row: ActionRow): LensAction {
  return { id: row.id, goalId: row.goalId, title: row.title, day: row.day, doneAt: row.doneAt?.toISOString() ?? null, createdAt: row.createdAt.toISOString() };
}

/** A goal and its actions (newest day first); its counts are the actions'. */
export function presentGoalDetail(row: GoalRow, actions: ActionRow[]): GoalDetail {
  const counts = { done: actions.filter((a) => a.doneAt !== null).length, planned: actions.length };
  return { ...presentGoal(row, counts), actions: actions.map(presentAction) };
}

export function presentDayActions(day: string, rows: DayActionRow[]): DayActions {
  return { day, items: rows.map((row) => ({ ...presentAction(row), goalTitle: row.goalTitle })) };
}
