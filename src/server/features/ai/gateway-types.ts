import type { AiFeature, AiOutcome, AiProvider, SafetyNotice } from '../../../contract/coach.js';
import type { Db } from '../../db/client.js';

/** One message of a conversation with a model. */
export type AiMessage = { role: 'system' | 'user' | 'assistant'; content: string };

/** Everything a model call needs; the gateway is the only way to make one. */
export type AiEnvelope = {
  feature: AiFeature;
  /** The configured model unless a feature asks for another. */
  model: string;
  temperature: number;
  maxTokens: number;
  /**
   * Per attempt (streamed: also the longest silence between chunks). `AI_TIMEOUT_MS` unless a shorter one is
   * asked; never longer, so every call ends within the sweep's lease (see sweep.ts `leaseMs`).
   */
  timeoutMs?: number;
  messages: AiMessage[];
  /** Whose call it is: the user's budget is charged, the usage record names them. */
  userId: string;
};

/** A provider's answer, the same shape whoever answered. */
export type AiAnswer = {
  text: string;
  finishReason: 'stop' | 'length' | 'content_filter' | 'cut';
  usage: { inputTokens: number; outputTokens: number };
  provider: AiProvider;
  model: string;
  latencyMs: number;
  costUsd: number;
  /** True when the offline provider answered because the configured one failed or its breaker is open. */
  fallback: boolean;
};

/** A call's claim on the daily budgets, made before the call (see `AiGateway.admit`). */
export type Reservation = { id: string; feature: AiFeature; userId: string; day: string; estimateMicros: number };

/**
 * What `admit` decided: the call may go ahead on this reservation, or the safety precheck matched the
 * user's words and the caller answers `safety` instead (the gateway already wrote the safety event).
 */
export type Admission = { admitted: true; reservation: Reservation } | { admitted: false; safety: SafetyNotice };

/** A streamed answer: the text as it arrives, then the whole answer (also when the stream was cut). */
export type AiStream = {
  deltas: AsyncIterable<string>;
  /** Settles once the stream is over, however it ended; usage is recorded by then. */
  answer: Promise<AiAnswer>;
  /** Stops the stream (the user left); the answer settles with `finishReason: 'cut'`. */
  cancel(): void;
};

export type AiGateway = {
  /**
   * Inside the caller's transaction, before any call: runs the safety precheck on the envelope's last user
   * message (a match writes a safety event and admits nothing), then reserves the call's worst-case cost on
   * the feature's global and per-user budgets for the day. Throws `429 ai_budget_exhausted` naming the
   * budget when either would be passed. The reservation commits or rolls back with the caller's work.
   */
  admit(tx: Db, envelope: AiEnvelope): Promise<Admission>;
  /**
   * `admit` in two steps, for a caller with work of its own between them: the safety precheck (a match writes
   * its safety event and answers the notice), then the reservation, best made as the caller's last statement
   * so the budget rows stay locked for as short a time as can be.
   */
  screen(tx: Db, envelope: AiEnvelope): Promise<SafetyNotice | null>;
  reserve(tx: Db, envelope: AiEnvelope): Promise<Reservation>;
  /**
   * Calls the model (timeout, retries, breaker, then the offline provider as fallback), writes one usage
   * record per provider call and settles the reservation with what the calls cost. Without a reservation it
   * admits the call itself (in its own transaction) and throws `SafetyHold` when the precheck matched.
   */
  generate(envelope: AiEnvelope, reservation?: Reservation): Promise<AiAnswer>;
  /** As `generate`, streamed. Falls back to the offline provider only before the first delta. */
  stream(envelope: AiEnvelope, reservation?: Reservation): Promise<AiStream>;
  /** For /readyz and metrics: the configured provider and its breaker's state. */
  status(): { provider: AiProvider; model: string; breaker: 'closed' | 'open' | 'half-open' | 'isolated' };
  /** Settles reservations left open by a process that died (at their estimate), and stops timers. */
  close(): Promise<void>;
};

/** A usage record as written: one per provider call. */
export type UsageRecord = {
  reservationId: string;
  userId: string;
  feature: AiFeature;
  provider: AiProvider;
  model: string;
  outcome: AiOutcome;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  latencyMs: number;
};
