import type { AiOutcome, AiProvider } from '../../../contract/coach.js';
import { isBlank } from '../../../contract/text.js';
import { StreamedAnswerText } from './answer-text.js';
import { inputTokensBound } from './cost.js';
import { DeltaQueue } from './delta-queue.js';
import { attemptTimeoutMs, requestOf, type CallContext } from './call-context.js';
import type { AiAnswer, AiEnvelope, AiStream, Reservation } from './gateway-types.js';
import { logFailure, settle, type Attempt } from './ledger.js';
import { LOCAL_MODEL } from './providers/local.js';
import { noTextAnswered, type Provider, type ProviderRequest, type StreamEvent } from './providers/provider.js';
import { AttemptTimedOut, callPolicy, isBreakerOpen } from './resilience.js';

/** A provider's stream once its first event arrived: from here on it is not retried nor replaced. */
type Opened = {
  iterator: AsyncIterator<StreamEvent>;
  first: IteratorResult<StreamEvent>;
  provider: Provider;
  request: ProviderRequest;
  started: number;
};

/** Why a stream's signal was aborted: the user left (`cancel`) or no event came within the timeout (`idle`). */
type Stops = { cancel: AbortController; idle: AbortController; any: AbortSignal };

/**
 * Streams an answer: the configured provider through the policies until its first event (failures before
 * it retry, then fall back to the offline provider), then its deltas as they come. A stream cut, stalled
 * or cancelled after that settles with `finishReason: 'cut'` and the text that arrived.
 */
export async function streamAnswer(ctx: CallContext, envelope: AiEnvelope, model: string, reservation: Reservation): Promise<AiStream> {
  const cancel = new AbortController();
  const idle = new AbortController();
  const stops: Stops = { cancel, idle, any: AbortSignal.any([cancel.signal, idle.signal]) };
  const queue = new DeltaQueue(() => cancel.abort());
  const answer = run(ctx, envelope, model, reservation, stops, queue).finally(() => queue.close());
  // The caller may only read the deltas; a failure still reaches whoever awaits the answer.
  answer.catch(() => undefined);
  return { deltas: queue, answer, cancel: () => cancel.abort() };
}

async function run(ctx: CallContext, envelope: AiEnvelope, model: string, reservation: Reservation, stops: Stops, queue: DeltaQueue): Promise<AiAnswer> {
  const started = performance.now();
  const attempts: Attempt[] = [];
  const { upstream, local } = ctx;
  let opened: Opened | null = null;
  let fallback = false;
  const timeoutMs = attemptTimeoutMs(ctx.deps.config, envelope);
  try {
    const request = requestOf(envelope, model);
    opened = upstream.breaker
      ? await callPolicy(upstream.breaker, ctx.deps.config, timeoutMs, true).execute(
          ({ signal }) => open(upstream.provider, request, signal, stops, attempts),
          stops.cancel.signal,
        )
      : await open(upstream.provider, request, new AbortController().signal, stops, attempts);
  } catch (error) {
    if (!stops.cancel.signal.aborted) {
      if (!isBreakerOpen(error)) logFailure(ctx.deps.logger, envelope.feature, upstream.provider.name, error, upstream.breaker !== null);
      if (!upstream.breaker) {
        // Settled all the same: the failed attempt gets its usage row and the reservation closes now.
        await settle(ctx.deps.db, ctx.deps.clock, ctx.metrics, ctx.prices, reservation, attempts);
        throw error;
      }
      fallback = true;
      opened = await open(local, requestOf(envelope, LOCAL_MODEL), new AbortController().signal, stops, attempts).catch(() => null);
    }
  }
  let read = opened ? await readAll(opened, timeoutMs, stops, queue, attempts, envelope.maxTokens) : { text: '', finishReason: 'cut' as const, usage: noUsage };
  // A provider that ended its stream with nothing to show (a content filter, a broken server): the offline
  // provider answers instead, as when the call fails.
  if (opened && opened.provider !== local && upstream.breaker && read.finishReason !== 'cut' && isBlank(read.text)) {
    logFailure(ctx.deps.logger, envelope.feature, upstream.provider.name, noTextAnswered(), true);
    const offline = await open(local, requestOf(envelope, LOCAL_MODEL), new AbortController().signal, stops, attempts).catch(() => null);
    if (offline) {
      opened = offline;
      fallback = true;
      read = await readAll(offline, timeoutMs, stops, queue, attempts, envelope.maxTokens);
    }
  }
  const micros = await settle(ctx.deps.db, ctx.deps.clock, ctx.metrics, ctx.prices, reservation, attempts);
  return {
    ...read,
    provider: opened?.provider.name ?? upstream.provider.name,
    model: opened?.request.model ?? model,
    latencyMs: Math.round(performance.now() - started),
    costUsd: micros / 1_000_000,
    fallback,
  };
}

const noUsage = { inputTokens: 0, outputTokens: 0 };

/** One attempt to start a stream: it counts as answered once its first event arrives. */
async function open(provider: Provider, request: ProviderRequest, attemptSignal: AbortSignal, stops: Stops, attempts: Attempt[]): Promise<Opened> {
  const started = performance.now();
  const iterator = provider.stream(request, AbortSignal.any([attemptSignal, stops.any]))[Symbol.asyncIterator]();
  try {
    return { iterator, first: await iterator.next(), provider, request, started };
  } catch (error) {
    const outcome: AiOutcome = stops.cancel.signal.aborted ? 'cancelled' : attemptSignal.aborted ? 'timeout' : 'error';
    attempts.push({ provider: provider.name, model: request.model, outcome, ...noUsage, latencyMs: Math.round(performance.now() - started) });
    throw outcome === 'timeout' ? new AttemptTimedOut() : error;
  }
}

/**
 * Reads an opened stream to its end, passing each delta on. No event within `timeoutMs` stops it
 * (`timeout`); the user leaving stops it (`cancelled`); a connection lost midway is `cut`. Without the
 * server's usage, the upper bounds are recorded (UTF-8 bytes), so the budgets are never under-charged.
 */
async function readAll(
  opened: Opened,
  timeoutMs: number,
  stops: Stops,
  queue: DeltaQueue,
  attempts: Attempt[],
  maxTokens: number,
): Promise<Pick<AiAnswer, 'text' | 'finishReason' | 'usage'>> {
  let text = '';
  const shown = new StreamedAnswerText(maxTokens);
  // Blank pieces before the first visible one are held back: an answer that stays blank is replaced by the
  // offline provider's, and the client should see only that one.
  let blankLead = '';
  const pass = (piece: string) => {
    if (piece === '') return;
    if (text === '' && isBlank(blankLead + piece)) {
      blankLead += piece;
      return;
    }
    text += blankLead + piece;
    queue.push(blankLead + piece);
    blankLead = '';
  };
  let end: Extract<StreamEvent, { type: 'end' }> | null = null;
  let outcome: AiOutcome = 'ok';
  let timer: NodeJS.Timeout | undefined;
  const watch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stops.idle.abort(), timeoutMs);
    timer.unref();
  };
  try {
    watch();
    for (let next = opened.first; !next.done; next = await opened.iterator.next()) {
      if (next.value.type === 'delta') pass(shown.push(next.value.text));
      else end = next.value;
      // A model past the cap is not listened to further (returning the iterator closes its connection).
      if (shown.full) {
        await Promise.resolve(opened.iterator.return?.()).catch(() => undefined);
        break;
      }
      watch();
    }
    pass(shown.end());
    if (shown.full) end = { type: 'end', finishReason: 'length', usage: null };
    // The client ends an aborted stream quietly: without its last event, it stopped early all the same.
    else if (!end || end.finishReason === 'cut') outcome = stopped(stops);
  } catch {
    outcome = stopped(stops);
  } finally {
    clearTimeout(timer);
  }
  const { request } = opened;
  const usage = end?.usage ?? { inputTokens: inputTokensBound(request.messages), outputTokens: Math.min(request.maxTokens, Buffer.byteLength(text, 'utf8')) };
  attempts.push({ provider: opened.provider.name as AiProvider, model: request.model, outcome, ...usage, latencyMs: Math.round(performance.now() - opened.started) });
  return { text, finishReason: outcome === 'ok' && end ? end.finishReason : 'cut', usage };
}

/** Why a stream ended early: the user left, it stalled past the timeout, or the connection was cut. */
function stopped(stops: Stops): AiOutcome {
  if (stops.cancel.signal.aborted) return 'cancelled';
  return stops.idle.signal.aborted ? 'timeout' : 'cut';
}
