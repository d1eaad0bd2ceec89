import type { Logger } from 'pino';
import type { AiOutcome, AiProvider } from '../../../contract/coach.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../platform/clock.js';
import { costMicros } from './cost.js';
import type { AiMetrics } from './metrics.js';
import type { Reservation, UsageRecord } from './gateway-types.js';
import { adjustBudget, findPrice, insertUsage, markSettled } from './repo.js';

/** One provider call as it ended, before it is priced. */
export type Attempt = {
  provider: AiProvider;
  model: string;
  outcome: AiOutcome;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
};

/**
 * Writes a call's attempts (one usage row each, priced from the table) and settles its reservation in one
 * transaction: the reservation takes the sum of their costs, and both budget rows move from the estimate to
 * that sum. A reservation the abandoned sweep already settled keeps the estimate it was charged. Answers the
 * sum in micro-dollars.
 */
export async function settle(db: Db, clock: Clock, metrics: AiMetrics, reservation: Reservation, attempts: readonly Attempt[]): Promise<number> {
  const priced = await db.transaction(async (tx) => {
    const records: UsageRecord[] = [];
    for (const a of attempts) {
      const price = await findPrice(tx, a.provider, a.model);
      const micros = price ? costMicros(price, a.inputTokens, a.outputTokens) : 0;
      records.push({ reservationId: reservation.id, userId: reservation.userId, feature: reservation.feature, ...a, costMicros: micros });
    }
    const now = clock.now();
    await insertUsage(tx, records, now);
    const total = records.reduce((sum, r) => sum + r.costMicros, 0);
    if (await markSettled(tx, reservation.id, total, now)) {
      const delta = total - reservation.estimateMicros;
      await adjustBudget(tx, reservation.day, reservation.feature, 'global', delta);
      await adjustBudget(tx, reservation.day, reservation.feature, reservation.userId, delta);
    }
    return records;
  });
  for (const r of priced) {
    metrics.call(r.feature, r.provider, r.outcome, r.latencyMs / 1000, { input: r.inputTokens, output: r.outputTokens }, r.costMicros);
  }
  return priced.reduce((sum, r) => sum + r.costMicros, 0);
}

/** Logs a failed attempt without the user's words: which provider, what went wrong. */
export function logFailure(log: Logger, feature: string, provider: AiProvider, error: unknown, fallback: boolean): void {
  const message = error instanceof Error ? error.message : String(error);
  log.warn({ feature, provider, failure: message.slice(0, 200), fallback }, 'ai provider call failed');
}
