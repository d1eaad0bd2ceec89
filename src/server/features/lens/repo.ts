import { and, asc, count, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { GoalStatus } from '../../../contract/coach.js';
import type { Db } from '../../db/client.js';
import { lensActions, lensGoals } from '../../db/schema/index.js';
import type { KeysetCursor } from '../../platform/cursor.js';

export type GoalRow = typeof lensGoals.$inferSelect;
export type ActionRow = typeof lensActions.$inferSelect;
export type GoalChanges = Partial<Pick<GoalRow, 'title' | 'why' | 'targetDay' | 'status'>>;
/** `done`: true marks the action done (keeping the first time it was), false clears it. */
export type ActionChanges = Partial<Pick<ActionRow, 'title' | 'day'>> & { done?: boolean };

export async function insertGoal(tx: Db, row: GoalRow): Promise<void> {
  await tx.insert(lensGoals).values(row);
}

/** The user's goal, locked until the transaction ends when `lock`; undefined for anyone else's. */
export async function findGoal(db: Db, userId: string, goalId: string, lock = false): Promise<GoalRow | undefined> {
  const query = db
    .select()
    .from(lensGoals)
    .where(and(eq(lensGoals.id, goalId), eq(lensGoals.userId, userId)));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

/** The user's goals (of one status, or all), newest first, keyset-paginated (lens_goals_user_idx). */
export async function listGoals(db: Db, userId: string, status: GoalStatus | 'all', limit: number, after: KeysetCursor | null): Promise<GoalRow[]> {
  const conditions = [eq(lensGoals.userId, userId)];
  if (status !== 'all') conditions.push(eq(lensGoals.status, status));
  if (after) conditions.push(or(lt(lensGoals.createdAt, after.at), and(eq(lensGoals.createdAt, after.at), lt(lensGoals.id, after.id)))!);
  return db
    .select()
    .from(lensGoals)
    .where(and(...conditions))
    .orderBy(desc(lensGoals.createdAt), desc(lensGoals.id))
    .limit(limit);
}

export type ActionCounts = { done: number; planned: number };

/** Actions done and planned per goal, for the goals asked (lens_actions_goal_idx); goals without any are absent. */
export async function actionCounts(db: Db, goalIds: readonly string[]): Promise<Map<string, ActionCounts>> {
  if (goalIds.length === 0) return new Map();
  const rows = await db
    .select({ goalId: lensActions.goalId, planned: count(), done: count(lensActions.doneAt) })
    .from(lensActions)
    .where(inArray(lensActions.goalId, [...goalIds]))
    .groupBy(lensActions.goalId);
  return new Map(rows.map((r) => [r.goalId, { done: Number(r.done), planned: Number(r.planned) }]));
}

/** Applies changes to the user's goal and answers it; undefined for anyone else's. */
export async function updateGoal(tx: Db, userId: string, goalId: string, changes: GoalChanges, now: Date): Promise<GoalRow | undefined> {
  const [row] = await tx
    .update(lensGoals)
    .set({ ...changes, updatedAt: now })
    .where(and(eq(lensGoals.id, goalId), eq(lensGoals.userId, userId)))
    .returning();
  return row;
}

/** Deletes the user's goal and its actions; false for anyone else's. */
export async function deleteGoal(tx: Db, userId: string, goalId: string): Promise<boolean> {
  const rows = await tx
    .delete(lensGoals)
    .where(and(eq(lensGoals.id, goalId), eq(lensGoals.userId, userId)))
    .returning({ id: lensGoals.id });
  return rows.length > 0;
}

export async function countActions(db: Db, goalId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(lensActions).where(eq(lensActions.goalId, goalId));
  return Number(row?.n ?? 0);
}

export async function insertAction(tx: Db, row: ActionRow): Promise<void> {
  await tx.insert(lensActions).values(row);
}

/** A goal's actions, newest day first (lens_actions_goal_idx). */
export async function goalActions(db: Db, goalId: string): Promise<ActionRow[]> {
  return db.select().from(lensActions).where(eq(lensActions.goalId, goalId)).orderBy(desc(lensActions.day), desc(lensActions.id));
}

/** Applies changes to an action of the user's goal; undefined when there is no such action there. */
export async function updateAction(tx: Db, userId: string, goalId: string, actionId: string, changes: ActionChanges, now: Date): Promise<ActionRow | undefined> {
  const { done, ...fields } = changes;
  const doneAt = done === undefined ? {} : { doneAt: done ? sql<Date>`coalesce(${lensActions.doneAt}, ${now.toISOString()}::timestamptz)` : null };
  const [row] = await tx
    .update(lensActions)
    .set({ ...fields, ...doneAt, updatedAt: now })
    .where(and(eq(lensActions.id, actionId), eq(lensActions.goalId, goalId), eq(lensActions.userId, userId)))
    .returning();
  return row;
}

export async function deleteAction(tx: Db, userId: string, goalId: string, actionId: string): Promise<boolean> {
  const rows = await tx
    .delete(lensActions)
    .where(and(eq(lensActions.id, actionId), eq(lensActions.goalId, goalId), eq(lensActions.userId, userId)))
    .returning({ id: lensActions.id });
  return rows.length > 0;
}

export type DayActionRow = ActionRow & { goalTitle: string };

/** The user's actions planned for `day` on their active goals, goal by goal in the order they were set (lens_actions_user_day_idx). */
export async function actionsOfDay(db: Db, userId: string, day: string): Promise<DayActionRow[]> {
  const rows = await db
    .select({ action: lensActions, goalTitle: lensGoals.title })
    .from(lensActions)
    .innerJoin(lensGoals, eq(lensGoals.id, lensActions.goalId))
    .where(and(eq(lensActions.userId, userId), eq(lensActions.day, day), eq(lensGoals.status, 'active')))
    .orderBy(asc(lensGoals.createdAt), asc(lensGoals.id), asc(lensActions.createdAt), asc(lensActions.id));
  return rows.map((r) => ({ ...r.action, goalTitle: r.goalTitle }));
}
