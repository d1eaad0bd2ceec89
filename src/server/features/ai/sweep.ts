import { randomUUID } from 'node:crypto';
import type { AiProvider } from '../../../contract/coach.js';
import type { AiConfig } from '../../config.js';
import type { Db } from '../../db/client.js';
import { aiReservations, aiUsage } from '../../db/schema/coach.js';
import type { Clock } from '../../platform/clock.js';
import { inArray, sql } from 'drizzle-orm';
import { lockAbandoned } from './repo.js';
import { MAX_BACKOFF_MS, MAX_RETRY_AFTER_MS } from './resilience.js';

export const ABANDONED_SWEEP_EVERY_MS = 60_000;
const SWEEP_BATCH = 100;
/** Beyond the attempts and the waits between them: the settlement's own transaction, and a slow database. */
const LEASE_MARGIN_MS = 60_000;

/**
 * How long a reservation may stay open before it counts as abandoned: every attempt timing out (the retries,
 * and the fallback), the longest wait before each retry, and a margin.
 */
export function leaseMs(config: AiConfig): number {
  const longestWait = Math.max(MAX_RETRY_AFTER_MS, MAX_BACKOFF_MS);
  return config.timeoutMs * (config.maxRetries + 2) + config.maxRetries * longestWait + LEASE_MARGIN_MS;
}

/**
 * Settles reservations whose call never reported back (its process died): each at its estimate, which the
 * budgets already hold, with one `abandoned` usage row. A batch at a time, each in its own transaction.
 */
export async function sweepAbandoned(db: Db, clock: Clock, upstream: { provider: AiProvider; model: string }, lease: number): Promise<number> {
  let settled = 0;
  for (;;) {
    const now = clock.now();
    const cutoff = new Date(now.getTime() - lease);
    const count = await db.transaction(async (tx) => {
      const open = await lockAbandoned(tx, cutoff, SWEEP_BATCH);
      if (open.length === 0) return 0;
      await tx.insert(aiUsage).values(
        open.map((r) => ({
          id: randomUUID(),
          reservationId: r.id,
          userId: r.userId,
          feature: r.feature,
          provider: upstream.provider,
          model: upstream.model,
          outcome: 'abandoned',
          inputTokens: 0,
          outputTokens: 0,
          costMicros: r.estimateMicros,
          latencyMs: 0,
          createdAt: now,
        })),
      );
      await tx
        .update(aiReservations)
        .set({ settledMicros: sql`${aiReservations.estimateMicros}`, settledAt: now })
        .where(inArray(aiReservations.id, open.map((r) => r.id)));
      return open.length;
    });
    settled += count;
    if (count < SWEEP_BATCH) return settled;
  }
}
