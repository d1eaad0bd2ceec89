import type { AiProvider } from '../../../contract/coach.js';
import type { Db } from '../../db/client.js';
import type { Price } from './cost.js';
import { findPrice } from './repo.js';

/** How long a price read from `ai_prices` is used before it is read again: a changed price applies within it. */
export const PRICE_CACHE_MS = 30_000;

/**
 * Prices as every call reads them twice (the estimate, the settlement): kept for PRICE_CACHE_MS (by the
 * monotonic clock: a cache's age is not a time of day), which spares two round trips a call. Only read
 * prices are kept, never a read in flight: each miss reads on its caller's connection (inside the caller's
 * transaction, the only one PGlite has), so one caller's failed transaction cannot fail another's.
 */
export class PriceBook {
  private readonly cached = new Map<string, { price: Price | null; readAt: number }>();

  async priceOf(db: Db, provider: AiProvider, model: string): Promise<Price | null> {
    const key = `${provider}\0${model}`;
    const hit = this.cached.get(key);
    if (hit && performance.now() - hit.readAt < PRICE_CACHE_MS) return hit.price;
    const price = await findPrice(db, provider, model);
    this.cached.set(key, { price, readAt: performance.now() });
    return price;
  }
}
