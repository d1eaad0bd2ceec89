import type { Redis } from 'ioredis';
import type { Clock } from './clock.js';

/** The state of one fixed-window counter after a hit. */
export type WindowCount = { count: number; resetAt: number };

/**
 * Shared counters and short-lived values for rate limits, lockouts and usage counts.
 * Windows are computed from the injected clock, so tests move time instead of sleeping.
 */
export interface LimitStore {
  /** Adds one to `key` in the fixed window of `windowMs` that contains now. */
  hit(key: string, windowMs: number): Promise<WindowCount>;
  /** Reads the count of the window that contains `at` (epoch ms; now by default) without changing it. */
  peek(key: string, windowMs: number, at?: number): Promise<WindowCount>;
  /** Forgets every window of `key`. */
  reset(key: string, windowMs: number): Promise<void>;
  /** Keeps a number until `expiresAt` (epoch ms). */
  setUntil(key: string, value: number, expiresAt: number): Promise<void>;
  /** The number kept under `key`, or null once it expired. */
  get(key: string): Promise<number | null>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}

function windowOf(now: number, windowMs: number): { index: number; resetAt: number } {
  const index = Math.floor(now / windowMs);
  return { index, resetAt: (index + 1) * windowMs };
}

/** In-process store: correct for one instance only. */
export class MemoryLimitStore implements LimitStore {
  private readonly values = new Map<string, { value: number; expiresAt: number }>();
  /** The size at which expired entries are next swept out. */
  private sweepAt = 10_000;

  constructor(private readonly clock: Clock) {}

  /**
   * Drops expired entries once the map reaches `sweepAt`, then waits until it has doubled from what is
   * left: entries that live for a day (usage counters) must not turn every hit into a full scan.
   */
  private sweep(now: number): void {
    if (this.values.size < this.sweepAt) return;
    for (const [k, v] of this.values) if (v.expiresAt <= now) this.values.delete(k);
    this.sweepAt = Math.max(10_000, 2 * this.values.size);
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const now = this.clock.now().getTime();
    this.sweep(now);
    const { index, resetAt } = windowOf(now, windowMs);
    const k = `${key}:${windowMs}:${index}`;
    const entry = this.values.get(k);
    const count = (entry && entry.expiresAt > now ? entry.value : 0) + 1;
    this.values.set(k, { value: count, expiresAt: resetAt });
    return { count, resetAt };
  }

  async peek(key: string, windowMs: number, at = this.clock.now().getTime()): Promise<WindowCount> {
    const { index, resetAt } = windowOf(at, windowMs);
    const entry = this.values.get(`${key}:${windowMs}:${index}`);
    return { count: entry && entry.expiresAt > at ? entry.value : 0, resetAt };
  }

  async reset(key: string, windowMs: number): Promise<void> {
    const { index } = windowOf(this.clock.now().getTime(), windowMs);
    this.values.delete(`${key}:${windowMs}:${index}`);
  }

  async setUntil(key: string, value: number, expiresAt: number): Promise<void> {
    this.values.set(key, { value, expiresAt });
  }

  async get(key: string): Promise<number | null> {
    const entry = this.values.get(key);
    if (!entry || entry.expiresAt <= this.clock.now().getTime()) return null;
    return entry.value;
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }

  async close(): Promise<void> {
    this.values.clear();
  }
}

/** Redis store: every instance pointed at the same Redis shares the counts. */
export class RedisLimitStore implements LimitStore {
  constructor(
    private readonly redis: Redis,
    private readonly clock: Clock,
    private readonly prefix = 'onering:limits:',
  ) {}

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const { index, resetAt } = windowOf(this.clock.now().getTime(), windowMs);
    const k = `${this.prefix}${key}:${windowMs}:${index}`;
    // Expiry is a real-time safety net for cleanup; the window itself follows the injected clock.
    const results = await this.redis.multi().incr(k).pexpire(k, windowMs * 2).exec();
    const count = Number(results?.[0]?.[1] ?? 0);
    return { count, resetAt };
  }

  async peek(key: string, windowMs: number, at = this.clock.now().getTime()): Promise<WindowCount> {
    const { index, resetAt } = windowOf(at, windowMs);
    const raw = await this.redis.get(`${this.prefix}${key}:${windowMs}:${index}`);
    return { count: raw ? Number(raw) : 0, resetAt };
  }

  async reset(key: string, windowMs: number): Promise<void> {
    const { index } = windowOf(this.clock.now().getTime(), windowMs);
    await this.redis.del(`${this.prefix}${key}:${windowMs}:${index}`);
  }

  async setUntil(key: string, value: number, expiresAt: number): Promise<void> {
    const ttl = Math.max(1, expiresAt - this.clock.now().getTime());
    await this.redis.set(`${this.prefix}${key}`, `${value}:${expiresAt}`, 'PX', ttl * 2);
  }

  async get(key: string): Promise<number | null> {
    const raw = await this.redis.get(`${this.prefix}${key}`);
    if (!raw) return null;
    const [value, expiresAt] = raw.split(':').map(Number);
    if (expiresAt === undefined || value === undefined || expiresAt <= this.clock.now().getTime()) return null;
    return value;
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(`${this.prefix}${key}`);
  }

  async close(): Promise<void> {}
}

/** A named limit: at most `max` hits per `windowMs` for one subject (an IP, an account...). */
export type RateRule = { name: string; max: number; windowMs: number };

/** Endpoint rate limits over a LimitStore; `RATE_LIMITS=off` makes them all pass. */
export class RateLimiter {
  constructor(
    readonly store: LimitStore,
    readonly enabled: boolean,
  ) {}

  /** Counts one hit and answers how long to wait (seconds) if the rule is exceeded, else null. */
  async consume(rule: RateRule, subject: string, now: number): Promise<number | null> {
    if (!this.enabled) return null;
    const { count, resetAt } = await this.store.hit(`rate:${rule.name}:${subject}`, rule.windowMs);
    return count > rule.max ? Math.max(1, Math.ceil((resetAt - now) / 1000)) : null;
  }
}
