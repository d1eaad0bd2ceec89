import type { Logger } from 'pino';
import type { AiOutcome, AiProvider } from '../../../contract/coach.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../platform/clock.js';
import { costMicros } from './cost.js';
import type { PriceBook } from './prices.js';
import { ProviderError } from './providers/provider.js';
import type { AiMetrics } from './metrics.js';
import type { Reservation, UsageRecord } from './gateway-types.js';
import { settleReservation } from './repo.js';

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
 * Writes a call's attempts (one usage row each, priced from the table) and settles its reservation with
 * the sum of their costs, in one statement (repo.settleReservation). Answers the sum in micro-dollars.
 */
export async function settle(
  db: Db,
  clock: Clock,
  metrics: AiMetrics,
  prices: PriceBook,
  reservation: Reservation,
  attempts: readonly Attempt[],
): Promise<number> {
  const records: UsageRecord[] = [];
  for (const a of attempts) {
    const price = await prices.priceOf(db, a.provider, a.model);
    const micros = price ? costMicros(price, a.inputTokens, a.outputTokens) : 0;
    records.push({ reservationId: reservation.id, userId: reservation.userId, feature: reservation.feature, ...a, costMicros: micros });
  }
  const total = records.reduce((sum, r) => sum + r.costMicros, 0);
  // The settlement commits without waiting for the WAL flush (a few ms on most disks, the most of what it
  // costs): one lost to a database crash leaves its reservation open, and the sweep settles it at its
  // estimate, the upper bound, so a lost write never under-charges a budget. The admission, which a crash
  // must not lose, commits durably with the caller's transaction.
  await settleReservation(db, reservation, records, total, clock.now());
  for (const r of records) {
    metrics.call(r.feature, r.provider, r.outcome, r.latencyMs / 1000, { input: r.inputTokens, output: r.outputTokens }, r.costMicros);
  }
  return total;
}

/**
 * Logs a failed call by its kind only (status, connection, timeout, breaker): a provider's error message
 * may quote the request, and the user's words never reach the logs.
 */
export function logFailure(log: Logger, feature: string, provider: AiProvider, error: unknown, fallback: boolean): void {
  const failure =
    error instanceof ProviderError
      ? { status: error.status, connection: error.connection, retryAfterMs: error.retryAfterMs }
      : { kind: error instanceof Error ? error.name : typeof error };
  log.warn({ feature, provider, failure, fallback }, 'ai provider call failed');
}
