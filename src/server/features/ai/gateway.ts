import { randomUUID } from 'node:crypto';
import { isBlank } from '../../../contract/text.js';
import type { AiProvider, BreakerState } from '../../../contract/coach.js';
import type { Db } from '../../db/client.js';
import { cleanAnswer } from './answer-text.js';
import { estimateMicros, secondsUntilNextUtcDay, utcDay } from './cost.js';
import { AiBudgetExhaustedError, SafetyHold } from './errors.js';
import type { AiAnswer, AiEnvelope, AiGateway, Admission, AiStream, Reservation } from './gateway-types.js';
import { logFailure, settle, type Attempt } from './ledger.js';
import { AiMetrics } from './metrics.js';
import { createLocalProvider, LOCAL_MODEL } from './providers/local.js';
import { createOpenAiProvider } from './providers/openai.js';
import { noTextAnswered, type Completion, type Provider, type ProviderRequest } from './providers/provider.js';
import { PriceBook } from './prices.js';
import { reserve } from './repo.js';
import { AttemptTimedOut, breakerStateOf, callPolicy, createBreaker, isBreakerOpen } from './resilience.js';
import { screen } from './safety-gate.js';
import { streamAnswer } from './streaming.js';
import { attemptTimeoutMs, requestOf, type AiGatewayDeps, type CallContext, type Upstream } from './call-context.js';
import { ABANDONED_SWEEP_EVERY_MS, leaseMs, sweepAbandoned } from './sweep.js';

/** The gateway as the app holds it: the interface features use, and the sweep the app's timer runs. */
export type AiGatewayService = AiGateway & {
  /** Settles reservations open longer than the lease at their estimate; answers how many. */
  sweepAbandoned(): Promise<number>;
};

/** Who answered a call, and what. */
type Answered = { completion: Completion; provider: AiProvider; model: string; fallback: boolean };

/**
 * The only way to a model: admits each call against the safety precheck and the daily budgets, calls the
 * configured provider through timeout, retries and a breaker, falls back to the offline provider, and
 * records every provider call's usage and cost.
 */
export function createAiGateway(deps: AiGatewayDeps): AiGatewayService {
  const { db, clock, config } = deps;
  const metrics = new AiMetrics(deps.registry);
  const local = createLocalProvider();
  const upstream: Upstream = config.baseUrl
    ? { provider: createOpenAiProvider({ baseUrl: config.baseUrl, apiKey: config.apiKey, clock }), model: config.model, breaker: createBreaker(config) }
    : { provider: local, model: LOCAL_MODEL, breaker: null };
  const prices = new PriceBook();
  const context: CallContext = { deps, metrics, upstream, local, prices };
  const breakerState = (): BreakerState => (upstream.breaker ? breakerStateOf(upstream.breaker) : 'closed');
  metrics.breakerState(upstream.provider.name, breakerState());
  const stateListener = upstream.breaker?.onStateChange(() => metrics.breakerState(upstream.provider.name, breakerState()));

  async function admit(tx: Db, envelope: AiEnvelope): Promise<Admission> {
    const safety = await screen(tx, envelope, clock.now());
    if (safety) return { admitted: false, safety };
    return { admitted: true, reservation: await reserveFor(tx, envelope) };
  }

  async function reserveFor(tx: Db, envelope: AiEnvelope): Promise<Reservation> {
    const now = clock.now();
    const price = await prices.priceOf(tx, upstream.provider.name, modelFor(envelope));
    if (!price) throw new Error(`ai_prices has no price for provider ${upstream.provider.name} (model or '*')`);
    const reservation: Reservation = {
      id: randomUUID(),
      feature: envelope.feature,
      userId: envelope.userId,
      day: utcDay(now),
      estimateMicros: estimateMicros(price, envelope.messages, envelope.maxTokens),
    };
    const refused = await reserve(tx, reservation, now);
    if (refused) {
      metrics.refused(envelope.feature, refused);
      throw new AiBudgetExhaustedError(envelope.feature, refused, secondsUntilNextUtcDay(now));
    }
    return reservation;
  }

  /** The model asked of the configured provider: the offline provider has one model of its own. */
  function modelFor(envelope: AiEnvelope): string {
    return upstream.breaker ? envelope.model : LOCAL_MODEL;
  }

  // Each of admit's outcomes is one write statement (a safety event, or the reservation), so without a
  // caller's transaction it needs no transaction of its own.
  async function admitOwn(envelope: AiEnvelope): Promise<Reservation> {
    const admission = await admit(db, envelope);
    if (!admission.admitted) throw new SafetyHold(admission.safety);
    return admission.reservation;
  }

  async function generate(envelope: AiEnvelope, given?: Reservation): Promise<AiAnswer> {
    const reservation = given ?? (await admitOwn(envelope));
    const attempts: Attempt[] = [];
    const started = performance.now();
    let answered: Answered;
    try {
      answered = await callWithFallback(envelope, modelFor(envelope), attempts);
    } catch (error) {
      // A call that failed for good is settled all the same: its attempts get their usage rows and the
      // reservation closes at what they cost, rather than staying open (at its estimate) until the sweep.
      await settle(db, clock, metrics, prices, reservation, attempts);
      throw error;
    }
    const micros = await settle(db, clock, metrics, prices, reservation, attempts);
    const { completion } = answered;
    return {
      text: completion.text,
      finishReason: completion.finishReason,
      usage: completion.usage,
      provider: answered.provider,
      model: answered.model,
      latencyMs: Math.round(performance.now() - started),
      costUsd: micros / 1_000_000,
      fallback: answered.fallback,
    };
  }

  /**
   * The configured provider through its policies, then the offline provider when that fails or answers
   * nothing that can be shown (no text, or only control characters: a content filter, a broken server).
   */
  async function callWithFallback(envelope: AiEnvelope, model: string, attempts: Attempt[]): Promise<Answered> {
    try {
      const completion = cleanCompletion(await callUpstream(envelope, model, attempts), envelope.maxTokens);
      if (upstream.breaker && isBlank(completion.text)) throw noTextAnswered();
      return { completion, provider: upstream.provider.name, model, fallback: false };
    } catch (error) {
      const fallback = upstream.breaker !== null;
      if (!isBreakerOpen(error)) logFailure(deps.logger, envelope.feature, upstream.provider.name, error, fallback);
      if (!fallback) throw error;
      const completion = cleanCompletion(await timedAttempt(local, requestOf(envelope, LOCAL_MODEL), new AbortController().signal, attempts), envelope.maxTokens);
      return { completion, provider: 'local', model: LOCAL_MODEL, fallback: true };
    }
  }

  async function callUpstream(envelope: AiEnvelope, model: string, attempts: Attempt[]): Promise<Completion> {
    const request = requestOf(envelope, model);
    if (!upstream.breaker) return timedAttempt(upstream.provider, request, new AbortController().signal, attempts);
    const policy = callPolicy(upstream.breaker, config, attemptTimeoutMs(config, envelope));
    return policy.execute(({ signal }) => timedAttempt(upstream.provider, request, signal, attempts));
  }

  async function stream(envelope: AiEnvelope, given?: Reservation): Promise<AiStream> {
    const reservation = given ?? (await admitOwn(envelope));
    return streamAnswer(context, envelope, modelFor(envelope), reservation);
  }

  async function sweep(): Promise<number> {
    return sweepAbandoned(db, clock, { provider: upstream.provider.name, model: upstream.model }, leaseMs(config));
  }
  const timer = setInterval(() => {
    sweep().catch((err: unknown) => deps.logger.warn({ err }, 'settling abandoned ai reservations failed'));
  }, ABANDONED_SWEEP_EVERY_MS);
  timer.unref();

  return {
    admit,
    screen: (tx: Db, envelope: AiEnvelope) => screen(tx, envelope, clock.now()),
    reserve: reserveFor,
    generate,
    stream,
    sweepAbandoned: sweep,
    status: () => ({ provider: upstream.provider.name, model: upstream.model, breaker: breakerState() }),
    async close() {
      clearInterval(timer);
      stateListener?.dispose();
      await sweep().catch((err: unknown) => deps.logger.warn({ err }, 'settling abandoned ai reservations failed'));
    },
  };
}

/** The completion with its text as the product keeps it (see answer-text.ts); cut at the cap: `length`. */
function cleanCompletion(completion: Completion, maxTokens: number): Completion {
  const { text, cut } = cleanAnswer(completion.text, maxTokens);
  return { ...completion, text, finishReason: cut ? 'length' : completion.finishReason };
}

/**
 * One provider call, recorded as it ends: `ok` with the provider's usage, `timeout` when the attempt's
 * signal was aborted (its timeout passed), `error` otherwise.
 */
export async function timedAttempt(provider: Provider, request: ProviderRequest, signal: AbortSignal, attempts: Attempt[]): Promise<Completion> {
  const started = performance.now();
  const record = (outcome: Attempt['outcome'], usage = { inputTokens: 0, outputTokens: 0 }) =>
    attempts.push({ provider: provider.name, model: request.model, outcome, ...usage, latencyMs: Math.round(performance.now() - started) });
  try {
    const completion = await provider.complete(request, signal);
    record('ok', completion.usage);
    return completion;
  } catch (error) {
    if (signal.aborted) {
      record('timeout');
      throw new AttemptTimedOut();
    }
    record('error');
    throw error;
  }
}
