import {
  BrokenCircuitError,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  DelegateBackoff,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
  type IBackoff,
  type IPolicy,
  type IRetryBackoffContext,
} from 'cockatiel';
import type { BreakerState } from '../../../contract/coach.js';
import type { AiConfig } from '../../config.js';
import { ProviderError } from './providers/provider.js';

/**
 * A server asking us to wait longer than this is better answered at once by the offline provider than
 * after the user has given up.
 */
export const MAX_RETRY_AFTER_MS = 10_000;
/** The longest backoff between attempts when the provider does not say how long to wait. */
export const MAX_BACKOFF_MS = 5_000;

/** Statuses worth another attempt: rate limited, or a server failure that may pass. */
const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

/** An attempt that ran out of time (the envelope's timeout), as the policies see it. */
export class AttemptTimedOut extends Error {
  constructor() {
    super('the provider did not answer in time');
    this.name = 'AttemptTimedOut';
  }
}

/** A failure of the provider (not of our request): what opens the breaker. */
export function isProviderFailure(error: unknown): boolean {
  if (error instanceof AttemptTimedOut) return true;
  return error instanceof ProviderError && (error.connection || (error.status !== null && RETRYABLE_STATUSES.has(error.status)));
}

/**
 * Worth retrying: a retryable status or a refused/reset connection, unless the server asked for a wait
 * longer than MAX_RETRY_AFTER_MS. Timeouts are not retried: a provider too slow once is likely slow again,
 * and the user would wait several timeouts before the fallback answers.
 */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ProviderError) || !isProviderFailure(error)) return false;
  return error.retryAfterMs === null || error.retryAfterMs <= MAX_RETRY_AFTER_MS;
}

/**
 * Decorrelated-jitter exponential backoff (cockatiel's default generator), replaced by the server's
 * Retry-After when it sent one.
 */
function backoff(): DelegateBackoff<IRetryBackoffContext<unknown>, IBackoff<unknown>> {
  const exponential = new ExponentialBackoff({ initialDelay: 100, maxDelay: MAX_BACKOFF_MS });
  return new DelegateBackoff((context, previous?: IBackoff<unknown>) => {
    const next = previous ? previous.next(context) : exponential.next();
    const failure = 'error' in context.result ? context.result.error : undefined;
    const asked = failure instanceof ProviderError ? failure.retryAfterMs : null;
    return { delay: asked ?? next.duration, state: next };
  });
}

/** The breaker of one provider, shared by every call to it. */
export function createBreaker(config: AiConfig): CircuitBreakerPolicy {
  return circuitBreaker(handleWhen(isProviderFailure), {
    halfOpenAfter: config.breakerHalfOpenMs,
    breaker: new ConsecutiveBreaker(config.breakerThreshold),
  });
}

export function breakerStateOf(breaker: CircuitBreakerPolicy): BreakerState {
  switch (breaker.state) {
    case CircuitState.Closed:
      return 'closed';
    case CircuitState.HalfOpen:
      return 'half-open';
    case CircuitState.Open:
      return 'open';
    case CircuitState.Isolated:
      return 'isolated';
  }
}

/**
 * One call's policies, outermost first: retries (each a fresh attempt through the breaker), the breaker,
 * and the attempt's timeout. The timeout is cooperative: it aborts the attempt's signal and waits for the
 * attempt to end, so every attempt is over (and recorded) when the call settles. `keepSignal` leaves the
 * signal alive once the attempt returns: a stream goes on reading after its first delta.
 */
export function callPolicy(breaker: CircuitBreakerPolicy, config: AiConfig, timeoutMs: number, keepSignal = false): IPolicy {
  const retries = retry(handleWhen(isRetryable), { maxAttempts: config.maxRetries, backoff: backoff() });
  const perAttempt = timeout(timeoutMs, { strategy: TimeoutStrategy.Cooperative, abortOnReturn: !keepSignal });
  return wrap(retries, breaker, perAttempt);
}

/** Whether a call never reached the provider because its breaker is open (or held open). */
export function isBreakerOpen(error: unknown): boolean {
  return error instanceof BrokenCircuitError;
}
