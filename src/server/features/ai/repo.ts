import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
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

/** An upsert adding `micros` to one budget's use for the day, only while the sum stays within the budget. */
function budgetUpsert(r: Reservation, scope: BudgetScope, holder: string, guard: SQL): SQL {
  const budget = sql`(select daily_micros from ai_budgets where feature = ${r.feature} and scope = ${scope})`;
  return sql`insert into ai_budget_days (day, feature, holder, used_micros)
    select ${r.day}::date, ${r.feature}, ${holder}, ${r.estimateMicros}::bigint where ${r.estimateMicros}::bigint <= ${budget} ${guard}
    on conflict (day, feature, holder) do update set used_micros = ai_budget_days.used_micros + excluded.used_micros
      where ai_budget_days.used_micros + excluded.used_micros <= ${budget} ${guard}
    returning 1`;
}

/**
 * Reserves `r.estimateMicros` on the user's budget, then the feature's global one, and writes the
 * reservation, in one statement: each budget row moves only while its sum stays within its budget, and the
 * global row and the reservation only when the user's row moved. Under READ COMMITTED a concurrent
 * reservation on the same row waits for its lock and re-checks the condition against the committed sum, so
 * parallel calls cannot pass a budget together; a missing budget refuses (the comparison with null is not
 * true). The user's row is always locked before the global one, as the settlement takes them: no deadlock.
 * When the global budget refuses, the user's share is given back at once (the caller's transaction rolls
 * back anyway, but one that went on would keep nothing). Answers which budget refused, or null.
 */
export async function reserve(db: Db, r: Reservation, at: Date): Promise<BudgetScope | null> {
  const result = await db.execute(sql`
    with by_user as (${budgetUpsert(r, 'user', r.userId, sql``)}),
    by_all as (${budgetUpsert(r, 'global', 'global', sql`and exists (select 1 from by_user)`)}),
    reserved as (
      insert into ai_reservations (id, user_id, feature, day, estimate_micros, created_at)
      select ${r.id}::uuid, ${r.userId}::uuid, ${r.feature}, ${r.day}::date, ${r.estimateMicros}::bigint, ${at.toISOString()}::timestamptz
      where exists (select 1 from by_all) returning 1)
    select (select count(*) from by_user)::int as by_user, (select count(*) from reserved)::int as reserved`);
  const [row] = rowsOf<{ by_user: number; reserved: number }>(result);
  if (row!.reserved === 1) return null;
  if (row!.by_user === 0) return 'user';
  await db.execute(sql`
    update ai_budget_days set used_micros = used_micros - ${r.estimateMicros}::bigint
    where day = ${r.day}::date and feature = ${r.feature} and holder = ${r.userId}`);
  return 'global';
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
