import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { AiFeature, AiProvider } from '../../../contract/coach.js';
import type { Db } from '../../db/client.js';
import { aiPrices, aiReservations } from '../../db/schema/coach.js';
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

/**
 * Settles a call in one statement (atomic without a transaction of its own, committed without waiting for
 * the WAL flush, and holding the budget rows' locks only while it runs): its usage rows are written, the reservation takes `total`, and both budget rows
 * move by `total - estimate`. A reservation the abandoned sweep already settled keeps the estimate it was
 * charged (the budgets already hold it); its usage rows are still written.
 */
export async function settleReservation(db: Db, reservation: Reservation, records: readonly UsageRecord[], total: number, at: Date): Promise<void> {
  const when = at.toISOString();
  const values = records.map(
    (r) => sql`(${randomUUID()}::uuid, ${r.reservationId}::uuid, ${r.userId}::uuid, ${r.feature}, ${r.provider}, ${r.model}, ${r.outcome},
      ${r.inputTokens}::int, ${r.outputTokens}::int, ${r.costMicros}::bigint, ${r.latencyMs}::int, ${when}::timestamptz)`,
  );
  const usage =
    values.length === 0
      ? sql``
      : sql`, usage as (insert into ai_usage (id, reservation_id, user_id, feature, provider, model, outcome, input_tokens, output_tokens,
          cost_micros, latency_ms, created_at) values ${sql.join(values, sql`, `)} returning 1)`;
  await db.execute(sql`
    with settled as (
      update ai_reservations set settled_micros = ${total}, settled_at = ${when}::timestamptz
      where id = ${reservation.id} and settled_at is null returning id)
    ${usage},
    budgets as (
      update ai_budget_days b set used_micros = greatest(0, b.used_micros + ${total - reservation.estimateMicros}::bigint)
      from (
        -- The user's row locked before the global one, the order admit takes them in: no deadlock between them.
        select day, feature, holder from ai_budget_days
        where day = ${reservation.day} and feature = ${reservation.feature} and holder in ('global', ${reservation.userId})
          and exists (select 1 from settled)
        order by holder = 'global' for update) locked
      where b.day = locked.day and b.feature = locked.feature and b.holder = locked.holder returning 1)
    -- Commit without waiting for the WAL flush: this statement is its own transaction, so the setting is
    -- for it alone (see ledger.settle for why a lost settlement is safe).
    select count(*), set_config('synchronous_commit', 'off', true) from settled`);
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
