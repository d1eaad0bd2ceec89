import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { AiFeature, AiProvider } from '../../../contract/coach.js';
import type { Db } from '../../db/client.js';
import { aiPrices, aiReservations, aiUsage } from '../../db/schema/coach.js';
import type { Price } from './cost.js';
import type { BudgetScope } from './errors.js';
import type { Reservation, UsageRecord } from './gateway-types.js';

type Rows<T> = { rows: T[] };
const rowsOf = <T>(result: unknown): T[] => (result as Rows<T>).rows;

/** The model's price, else the provider's `*` price; null when the table has neither. */
export async function findPrice(db: Db, provider: AiProvider, model: string): Promise<Price | null> {
  const rows = await db
    .select({ model: aiPrices.model, inputMicrosPerMillion: aiPrices.inputMicrosPerMillion, outputMicrosPerMillion: aiPrices.outputMicrosPerMillion })
    .from(aiPrices)
    .where(and(eq(aiPrices.provider, provider), inArray(aiPrices.model, [model, '*'])));
  const row = rows.find((r) => r.model === model) ?? rows.find((r) => r.model === '*');
  return row ? { inputMicrosPerMillion: row.inputMicrosPerMillion, outputMicrosPerMillion: row.outputMicrosPerMillion } : null;
}

/**
 * Adds `micros` to one budget's use for the day in one statement, only while the sum stays within the
 * budget. Under READ COMMITTED, a concurrent reservation on the same row makes this one wait for the row
 * lock and then re-check the condition against the committed sum, so parallel calls cannot pass the
 * budget together. A budget that is missing refuses (the comparison with null is not true).
 */
export async function reserveBudget(db: Db, day: string, feature: AiFeature, scope: BudgetScope, holder: string, micros: number): Promise<boolean> {
  const budget = sql`(select daily_micros from ai_budgets where feature = ${feature} and scope = ${scope})`;
  const result = await db.execute(sql`
    insert into ai_budget_days (day, feature, holder, used_micros)
    select ${day}, ${feature}, ${holder}, ${micros} where ${micros}::bigint <= ${budget}
    on conflict (day, feature, holder) do update set used_micros = ai_budget_days.used_micros + excluded.used_micros
      where ai_budget_days.used_micros + excluded.used_micros <= ${budget}
    returning used_micros`);
  return rowsOf(result).length === 1;
}

/** Moves a budget's use by `delta` (a settled call's cost minus its estimate; negative gives back). */
export async function adjustBudget(db: Db, day: string, feature: AiFeature, holder: string, delta: number): Promise<void> {
  if (delta === 0) return;
  await db.execute(sql`
    update ai_budget_days set used_micros = greatest(0, used_micros + ${delta})
    where day = ${day} and feature = ${feature} and holder = ${holder}`);
}

export async function insertReservation(db: Db, reservation: Reservation, at: Date): Promise<void> {
  await db.insert(aiReservations).values({
    id: reservation.id,
    userId: reservation.userId,
    feature: reservation.feature,
    day: reservation.day,
    estimateMicros: reservation.estimateMicros,
    createdAt: at,
  });
}

export async function insertUsage(db: Db, records: readonly UsageRecord[], at: Date): Promise<void> {
  if (records.length === 0) return;
  await db.insert(aiUsage).values(records.map((r) => ({ id: randomUUID(), ...r, createdAt: at })));
}

/** Marks a reservation settled at `micros`; false when it already was (the abandoned sweep got there first). */
export async function markSettled(db: Db, reservationId: string, micros: number, at: Date): Promise<boolean> {
  const rows = await db
    .update(aiReservations)
    .set({ settledMicros: micros, settledAt: at })
    .where(and(eq(aiReservations.id, reservationId), isNull(aiReservations.settledAt)))
    .returning({ id: aiReservations.id });
  return rows.length === 1;
}

/**
 * Open reservations made before `cutoff`, locked for the caller's transaction; rows another instance's
 * sweep holds are skipped rather than waited for.
 */
export async function lockAbandoned(db: Db, cutoff: Date, limit: number): Promise<Array<Omit<Reservation, 'userId'> & { userId: string | null }>> {
  const rows = await db
    .select({
      id: aiReservations.id,
      feature: aiReservations.feature,
      userId: aiReservations.userId,
      day: aiReservations.day,
      estimateMicros: aiReservations.estimateMicros,
    })
    .from(aiReservations)
    .where(and(isNull(aiReservations.settledAt), lt(aiReservations.createdAt, cutoff)))
    .orderBy(asc(aiReservations.createdAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  return rows.map((r) => ({ ...r, feature: r.feature as AiFeature }));
}
