import type { AiProvider } from '../../../../contract/coach.js';
import type { AiAnswer, AiMessage } from '../gateway-types.js';

/** What a provider is asked: the envelope without the bookkeeping. */
export type ProviderRequest = {
  model: string;
  temperature: number;
  maxTokens: number;
  messages: AiMessage[];
  /** Which feature asks: the offline provider answers each in its own way. */
  feature: 'turn' | 'mirror';
};

export type FinishReason = AiAnswer['finishReason'];
export type Usage = AiAnswer['usage'];

/** A provider's whole answer to one call. */
export type Completion = { text: string; finishReason: FinishReason; usage: Usage };

/** One event of a streamed answer: a piece of text, then how it ended (with usage, when the server sent it). */
export type StreamEvent = { type: 'delta'; text: string } | { type: 'end'; finishReason: FinishReason; usage: Usage | null };

export type Provider = {
  readonly name: AiProvider;
  /** Rejects with a ProviderError (or the signal's abort) when the call fails. */
  complete(request: ProviderRequest, signal: AbortSignal): Promise<Completion>;
  /** Events as they arrive; the iteration throws when the call fails or the connection is cut. */
  stream(request: ProviderRequest, signal: AbortSignal): AsyncIterable<StreamEvent>;
};

/**
 * A failed provider call, as the resilience policies judge it: the HTTP status when the server answered,
 * whether the connection was refused or reset, and how long the server asked us to wait (Retry-After).
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly connection: boolean,
    readonly retryAfterMs: number | null,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** An answer with nothing to show (no text, or only control characters): the fallback answers instead. */
export const noTextAnswered = () => new ProviderError('the provider answered no text', null, false, null);

/**
 * Retry-After as milliseconds from `now`: delay-seconds or an HTTP date (RFC 9110 §10.2.3); null when absent
 * or unreadable. A date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date starts with the day's name ("Sun, 06 Nov 1994 08:49:37 GMT"); Date.parse alone takes "-1".
  const at = /^[A-Za-z]{3}/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}
