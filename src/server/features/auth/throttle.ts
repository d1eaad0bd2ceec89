import { createHash } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import { TooManyRequestsError } from '../../platform/errors.js';
import type { RateLimiter, RateRule } from '../../platform/limits.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Request-rate limits on the anonymous auth endpoints (off with RATE_LIMITS=off). */
export const AUTH_RATE_RULES = {
  login: { ip: { name: 'login:ip', max: 30, windowMs: MINUTE }, account: { name: 'login:account', max: 10, windowMs: MINUTE } },
  register: { ip: { name: 'register:ip', max: 20, windowMs: HOUR }, account: { name: 'register:account', max: 5, windowMs: HOUR } },
  reset: { ip: { name: 'reset:ip', max: 20, windowMs: HOUR }, account: { name: 'reset:account', max: 3, windowMs: HOUR } },
} satisfies Record<string, { ip: RateRule; account: RateRule }>;

/** Failed-login protection: always on, whatever RATE_LIMITS says. */
export const LOCKOUT_POLICY = {
  accountFailures: 5,
  ipFailures: 50,
  windowMs: 15 * MINUTE,
  lockMs: 15 * MINUTE,
};

export type AuthAction = keyof typeof AUTH_RATE_RULES;

/** Email addresses are hashed before they become keys, so the limit store holds no personal data. */
function accountKey(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);
}

/**
 * Brute-force protection for sign-in, sign-up and reset. Unknown and known emails are counted and
 * locked the same way, so neither the answers nor their timing tell whether an account exists.
 */
export class AuthThrottle {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
  ) {}

  /** Applies the per-IP and per-account request limits of an action. */
  async guard(action: AuthAction, ip: string, email: string): Promise<void> {
    const rules = AUTH_RATE_RULES[action];
    const now = this.clock.now().getTime();
    const waits = await Promise.all([
      this.limiter.consume(rules.ip, ip, now),
      this.limiter.consume(rules.account, accountKey(email), now),
    ]);
    const wait = Math.max(...waits.map((w) => w ?? 0));
    if (wait > 0) throw new TooManyRequestsError('rate_limited', 'Too many attempts; wait a moment and try again.', wait);
  }

  /** Refuses a login while the account is locked or the IP has failed too often. */
  async assertLoginAllowed(ip: string, email: string): Promise<void> {
    const store = this.limiter.store;
    const now = this.clock.now().getTime();
    const lockedUntil = await store.get(`lock:login:${accountKey(email)}`);
    if (lockedUntil !== null && lockedUntil > now) {
      throw new TooManyRequestsError(
        'account_locked',
        'Too many failed sign-ins: sign-in is paused for this account for a while. Reset the password or try later.',
        (lockedUntil - now) / 1000,
      );
    }
    const ipFailures = await store.peek(`fail:login:ip:${ip}`, LOCKOUT_POLICY.windowMs);
    if (ipFailures.count >= LOCKOUT_POLICY.ipFailures) {
      throw new TooManyRequestsError('too_many_failures', 'Too many failed sign-ins from this network; try later.', (ipFailures.resetAt - now) / 1000);
    }
  }

  async recordLoginFailure(ip: string, email: string): Promise<void> {
    const store = this.limiter.store;
    const key = accountKey(email);
    const [account] = await Promise.all([
      store.hit(`fail:login:account:${key}`, LOCKOUT_POLICY.windowMs),
      store.hit(`fail:login:ip:${ip}`, LOCKOUT_POLICY.windowMs),
    ]);
    if (account.count >= LOCKOUT_POLICY.accountFailures) {
      const until = this.clock.now().getTime() + LOCKOUT_POLICY.lockMs;
      await store.setUntil(`lock:login:${key}`, until, until);
      await store.reset(`fail:login:account:${key}`, LOCKOUT_POLICY.windowMs);
    }
  }

  async recordLoginSuccess(email: string): Promise<void> {
    await this.limiter.store.reset(`fail:login:account:${accountKey(email)}`, LOCKOUT_POLICY.windowMs);
  }

  /** Lifts a lock, e.g. after the owner proved control of the mailbox by resetting the password. */
  async unlock(email: string): Promise<void> {
    await this.limiter.store.delete(`lock:login:${accountKey(email)}`);
  }
}
