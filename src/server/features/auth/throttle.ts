import { createHash } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import { TooManyRequestsError } from '../../platform/errors.js';
import type { RateLimiter } from '../../platform/limits.js';
import { AUTH_ACTION_LIMITS } from '../../platform/rate-limits.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Failed-login protection: always on, whatever RATE_LIMITS says. Nothing here can lock the owner out:
 * one source (an IP, or a signed-in device) is blocked after `sourceFailures` guesses at an account,
 * while the account as a whole is only slowed down, with a delay that stops growing at `maxDelayMs`.
 */
export const LOGIN_PROTECTION = {
  sourceFailures: 10,
  sourceWindowMs: HOUR,
  sourceBlockMs: HOUR,
  /** Failures across every IP before each further attempt must wait. */
  freeFailures: 5,
  firstDelayMs: 2 * SECOND,
  maxDelayMs: 5 * MINUTE,
  accountMemoryMs: 24 * HOUR,
  /** Password spraying: many accounts tried from one network. */
  ipFailures: 50,
  ipWindowMs: 15 * MINUTE,
  /** How long an admitted attempt holds its slot if it never reports back (a crash mid-request). */
  slotMs: 30 * SECOND,
};

export type AuthAction = keyof typeof AUTH_ACTION_LIMITS;

/**
 * Who is trying to sign in: an IP, or — when the request proves it holds a live session of the very
 * account it signs in to — that session, which others' failures never block or slow down.
 */
export type LoginSource = { ip: string; sessionId: string | null };

/** Email addresses are hashed before they become keys, so the limit store holds no personal data. */
function accountKey(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);
}

function sourceKey(account: string, source: LoginSource): string {
  return source.sessionId ? `${account}:session:${source.sessionId}` : `${account}:ip:${source.ip}`;
}

/** The wait before the next attempt after `failures` failures across all IPs: 2 s, doubling, at most 5 min. */
export function slowDownDelayMs(failures: number): number {
  const { freeFailures, firstDelayMs, maxDelayMs } = LOGIN_PROTECTION;
  if (failures < freeFailures) return 0;
  return Math.min(maxDelayMs, firstDelayMs * 2 ** Math.min(failures - freeFailures, 30));
}

const tooManyAttempts = (seconds: number) =>
  new TooManyRequestsError(
    'too_many_attempts',
    'Too many failed sign-ins to this account from here; try later, or reset your password.',
    seconds,
    'auth',
  );
const loginSlowed = (seconds: number) =>
  new TooManyRequestsError('login_slowed', 'Sign-in to this account is slowed down after failed attempts; try again in a moment.', seconds, 'auth');

/**
 * Brute-force protection for sign-in, sign-up and reset. Unknown and known emails are counted and
 * slowed the same way, so neither the answers nor their timing tell whether an account exists.
 */
export class AuthThrottle {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
  ) {}

  /** Applies the per-IP and per-account request limits of an action; a session holder skips the account's. */
  async guard(action: AuthAction, ip: string, email: string, opts: { sessionHolder?: boolean } = {}): Promise<void> {
    const rules = AUTH_ACTION_LIMITS[action];
    const now = this.clock.now().getTime();
    const waits = await Promise.all([
      this.limiter.consume(rules.ip, ip, now),
      opts.sessionHolder ? null : this.limiter.consume(rules.account, accountKey(email), now),
    ]);
    const wait = Math.max(...waits.map((w) => w ?? 0));
    if (wait > 0) throw new TooManyRequestsError('rate_limited', 'Too many attempts; wait a moment and try again.', wait, 'auth');
  }

  /**
   * Refuses an attempt while its source is blocked, its network sprays failures, or the account's
   * delay has not passed. Once it has, exactly one attempt takes the slot (a burst gets one guess).
   */
  async assertLoginAllowed(email: string, source: LoginSource): Promise<void> {
    const store = this.limiter.store;
    const now = this.clock.now().getTime();
    const account = accountKey(email);
    await this.assertSourceNotBlocked(account, source);
    if (source.sessionId) return this.reserveSourceAttempt(account, source);

    const ipFailures = await store.peek(`login:fail:ip:${source.ip}`, LOGIN_PROTECTION.ipWindowMs);
    if (ipFailures.count >= LOGIN_PROTECTION.ipFailures) {
      throw new TooManyRequestsError('too_many_failures', 'Too many failed sign-ins from this network; try later.', (ipFailures.resetAt - now) / 1000, 'auth');
    }

    const [failures, lastFailureAt] = await Promise.all([
      store.peek(`login:fail:account:${account}`, LOGIN_PROTECTION.accountMemoryMs),
      store.get(`login:last:${account}`),
    ]);
    const delay = slowDownDelayMs(failures.count);
    if (delay > 0 && lastFailureAt !== null) {
      const nextAt = lastFailureAt + delay;
      if (now < nextAt) throw loginSlowed((nextAt - now) / 1000);
      const slot = await store.hit(`login:slot:${account}:${failures.count}:${lastFailureAt}`, LOGIN_PROTECTION.slotMs);
      if (slot.count > 1) throw loginSlowed(1);
    }
    await this.reserveSourceAttempt(account, source);
  }

  /**
   * Counts the attempt against its source before the password is checked, as if it failed (a success
   * forgets it): guesses sent all at once cannot slip past the block while the first ones are verified.
   */
  private async reserveSourceAttempt(account: string, source: LoginSource): Promise<void> {
    const attempts = await this.limiter.store.hit(`login:fail:source:${sourceKey(account, source)}`, LOGIN_PROTECTION.sourceWindowMs);
    if (attempts.count > LOGIN_PROTECTION.sourceFailures) throw tooManyAttempts((attempts.resetAt - this.clock.now().getTime()) / 1000);
    // The block starts a fresh count: an attempt that reserved after it was set must still see it.
    await this.assertSourceNotBlocked(account, source);
  }

  private async assertSourceNotBlocked(account: string, source: LoginSource): Promise<void> {
    const store = this.limiter.store;
    const [blockedAt, clearedAt] = await Promise.all([store.get(`login:block:${sourceKey(account, source)}`), store.get(`login:cleared:${account}`)]);
    if (blockedAt !== null && (clearedAt === null || clearedAt < blockedAt)) {
      throw tooManyAttempts((blockedAt + LOGIN_PROTECTION.sourceBlockMs - this.clock.now().getTime()) / 1000);
    }
  }

  async recordLoginFailure(email: string, source: LoginSource): Promise<void> {
    const store = this.limiter.store;
    const now = this.clock.now().getTime();
    const account = accountKey(email);
    const key = sourceKey(account, source);
    // The attempt was counted when it was let in (reserveSourceAttempt).
    const bySource = await store.peek(`login:fail:source:${key}`, LOGIN_PROTECTION.sourceWindowMs);
    if (bySource.count >= LOGIN_PROTECTION.sourceFailures) {
      await store.setUntil(`login:block:${key}`, now, now + LOGIN_PROTECTION.sourceBlockMs);
      await store.reset(`login:fail:source:${key}`, LOGIN_PROTECTION.sourceWindowMs);
    }
    // A session holder's guesses stay its own: they neither slow the account nor the network for others.
    if (source.sessionId) return;
    await Promise.all([
      store.hit(`login:fail:ip:${source.ip}`, LOGIN_PROTECTION.ipWindowMs),
      store.hit(`login:fail:account:${account}`, LOGIN_PROTECTION.accountMemoryMs),
      store.setUntil(`login:last:${account}`, now, now + LOGIN_PROTECTION.accountMemoryMs),
    ]);
  }

  /** The right password: the source's failures are forgotten and the account is no longer slowed. */
  async recordLoginSuccess(email: string, source: LoginSource): Promise<void> {
    const store = this.limiter.store;
    const account = accountKey(email);
    await Promise.all([
      store.reset(`login:fail:source:${sourceKey(account, source)}`, LOGIN_PROTECTION.sourceWindowMs),
      store.reset(`login:fail:account:${account}`, LOGIN_PROTECTION.accountMemoryMs),
      store.delete(`login:last:${account}`),
    ]);
  }

  /** After the owner proved control of the mailbox (a password reset): lifts the slow-down and every block. */
  async clearAccount(email: string): Promise<void> {
    const store = this.limiter.store;
    const now = this.clock.now().getTime();
    const account = accountKey(email);
    await Promise.all([
      store.setUntil(`login:cleared:${account}`, now, now + LOGIN_PROTECTION.sourceBlockMs),
      store.reset(`login:fail:account:${account}`, LOGIN_PROTECTION.accountMemoryMs),
      store.delete(`login:last:${account}`),
    ]);
  }
}
