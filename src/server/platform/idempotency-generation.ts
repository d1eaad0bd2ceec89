import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../db/client.js';
import { idempotencyKeys } from '../db/schema/index.js';
import {
  AnsweredMeanwhile,
  answerFor,
  claimOf,
  findAnswer,
  insertAnswer,
  PENDING_STATUS,
  replay,
  sendAnswer,
  sendStored,
  serialize,
  takeKey,
  type AnswerOf,
  type Claim,
  type Options,
  type StoredAnswer,
} from './idempotency.js';
import type { Unit } from './unit-of-work.js';

/**
 * What a generation's first transaction decided: the whole answer is already known (the safety precheck
 * answered, no model call follows), or a model call follows and `pending` is what it needs.
 */
export type Opened<R, P> = { answered: R } | { pending: P };

/**
 * The two transactions of a generation, with the model call between them and outside both (a model call
 * must not hold a transaction, or a connection: PGlite has one). A service calls `open` once, then, when it
 * opened a call, `finish` once with the call's result. Under an Idempotency-Key, `open` also holds the key
 * with a pending marker (a repeat meanwhile is 409) and `finish` stores the answer with the result.
 */
export type GenerationPhases<R> = {
  /** Phase 1: checks, gates, reservation and the pending row; under a key, also the key's marker. */
  open<P>(work: (unit: Unit) => Promise<Opened<R, P>>): Promise<Opened<R, P>>;
  /** Phase 2: stores the call's result; under a key, also the answer made from it. */
  finish(work: (unit: Unit) => Promise<R>): Promise<R>;
};

/**
 * An answer a route streams itself (Server-Sent Events): `transcript` is the whole stream as the client
 * receives it for this result (stored under the key, replayed byte for byte); `send` sends what is not sent
 * yet once the result is stored.
 */
export type StreamedAnswer<R> = { transcript(result: R): string; send(result: R): Promise<FastifyReply> | FastifyReply };

/** How a generation answers: like `reply.commit` (a status, or a function of the result), or streamed. */
export type GenerationAnswer<R> = AnswerOf<R> | { stream: StreamedAnswer<R> };

declare module 'fastify' {
  interface FastifyReply {
    /**
     * Runs a generation (a mutation with a model call inside: Turn, a Mirror message) and sends its answer.
     * Unlike `commit`, whose one transaction holds the key, the service gets two phases (see
     * `GenerationPhases`): without an Idempotency-Key each is an ordinary transaction; with one, the first
     * also stores a pending marker for the key, leased for GENERATION_LEASE_MS, and the second stores the
     * answer along with the result. A failure in between removes the marker, so the key can be used again;
     * a marker past its lease (its process died) is treated as absent. A refusal in the first phase is
     * stored like any refusal of `commit`.
     */
    commitGeneration<R>(answer: GenerationAnswer<R>, run: (phases: GenerationPhases<R>) => Promise<R>): Promise<FastifyReply>;
  }
}

async function runEffects(effects: Array<() => Promise<void>>): Promise<void> {
  for (const effect of effects) await effect();
}

/** Each phase its own transaction: a generation without a key. */
export function plainPhases<R>(db: Db): GenerationPhases<R> {
  const inTransaction = async <T>(work: (unit: Unit) => Promise<T>): Promise<T> => {
    const effects: Array<() => Promise<void>> = [];
    const result = await db.transaction((tx) => work({ tx, afterCommit: (effect) => effects.push(effect) }));
    await runEffects(effects);
    return result;
  };
  return { open: inTransaction, finish: inTransaction };
}

/** Takes the key for the rest of the transaction, waiting for a twin's short transaction to end. */
async function waitForKey(tx: Db, claim: Claim): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${claim.userId}:${claim.key}`}, 0))`);
}

/** The key's marker is still this generation's (a twin did not take it over after the lease ran out). */
const markerOf = (claim: Claim, token: string) =>
  and(
    eq(idempotencyKeys.userId, claim.userId),
    eq(idempotencyKeys.key, claim.key),
    eq(idempotencyKeys.responseStatus, PENDING_STATUS),
    eq(idempotencyKeys.responseBody, token),
  );

/** The phases of one keyed generation, and what they stored. */
function keyedPhases<R>(opts: Options, claim: Claim, reply: FastifyReply, record: (result: R) => StoredAnswer) {
  const state = { opened: false, token: null as string | null, stored: null as StoredAnswer | null };
  const phases: GenerationPhases<R> = {
    async open(work) {
      if (state.opened) throw new Error('A generation opened twice; a keyed generation has one first phase.');
      state.opened = true;
      const effects: Array<() => Promise<void>> = [];
      const opened = await opts.db.transaction(async (tx) => {
        const now = await takeKey(tx, opts, claim, reply);
        const result = await work({ tx, afterCommit: (effect) => effects.push(effect) });
        if ('answered' in result) {
          state.stored = record(result.answered);
          await insertAnswer(tx, claim, state.stored, now);
        } else {
          state.token = randomUUID();
          await insertAnswer(tx, claim, { status: PENDING_STATUS, body: state.token, type: null, headers: null }, now);
        }
        return result;
      });
      // From here on the key holds a marker or an answer: no refusal is stored for it any more.
      reply.request.idempotencyPending = null;
      await runEffects(effects);
      return opened;
    },
    async finish(work) {
      const token = state.token;
      if (token === null) throw new Error('A generation finished without a pending first phase.');
      const effects: Array<() => Promise<void>> = [];
      const result = await opts.db.transaction(async (tx) => {
        await waitForKey(tx, claim);
        const value = await work({ tx, afterCommit: (effect) => effects.push(effect) });
        const [mine] = await tx.select({ key: idempotencyKeys.key }).from(idempotencyKeys).where(markerOf(claim, token)).for('update');
        // A twin that took the key over after the lease ran out keeps it: this result still commits.
        if (mine) {
          state.stored = record(value);
          await insertAnswer(tx, claim, state.stored, opts.clock.now());
        }
        return value;
      });
      state.token = null;
      await runEffects(effects);
      return result;
    },
  };
  /** After a failure between the phases: frees the key (when the marker is still this generation's). */
  const release = async () => {
    const token = state.token;
    if (token === null) return;
    state.token = null;
    await opts.db.delete(idempotencyKeys).where(markerOf(claim, token));
  };
  return { phases, state, release };
}

/** Registers `reply.commitGeneration`; needs the idempotency plugin's options (register it after that one). */
export const generationIdempotencyPlugin = fp(async function generationIdempotency(app: FastifyInstance, opts: Options) {
  app.decorateReply('commitGeneration', async function commitGeneration<R>(
    this: FastifyReply,
    answer: GenerationAnswer<R>,
    run: (phases: GenerationPhases<R>) => Promise<R>,
  ): Promise<FastifyReply> {
    const streamed = typeof answer === 'object' ? answer.stream : null;
    const deliver = (result: R, stored: StoredAnswer | null) => {
      if (streamed) return streamed.send(result);
      return stored ? sendStored(this, stored) : sendAnswer(this, answerFor(answer as AnswerOf<R>, result));
    };
    const claim = claimOf(this.request);
    if (!claim) return deliver(await run(plainPhases(opts.db)), null);
    const found = await findAnswer(opts.db, claim, opts.clock.now());
    if (found) return replay(this, claim, found);
    const record = (result: R): StoredAnswer =>
      streamed
        ? { status: 200, body: streamed.transcript(result), type: 'text/event-stream; charset=utf-8', headers: null }
        : serialize(this, answerFor(answer as AnswerOf<R>, result));
    this.request.idempotencyPending = claim;
    const keyed = keyedPhases(opts, claim, this, record);
    let result: R;
    try {
      result = await run(keyed.phases);
    } catch (error) {
      // Left in place, the marker frees itself when its lease runs out.
      await keyed.release().catch((err: unknown) => this.log.warn({ err }, 'releasing an idempotency key failed'));
      if (!(error instanceof AnsweredMeanwhile)) throw error;
      this.request.idempotencyPending = null;
      return replay(this, claim, error.row);
    }
    return deliver(result, keyed.state.stored);
  });
});
