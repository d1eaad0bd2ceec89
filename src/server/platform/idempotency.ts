import { createHash } from 'node:crypto';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../db/client.js';
import { idempotencyKeys } from '../db/schema/index.js';
import type { Clock } from './clock.js';
import { AppError, BadRequestError, ConflictError } from './errors.js';
import type { Transact } from './unit-of-work.js';

/** How long a stored answer is replayed. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;
/** How often answers past retention are swept. */
export const IDEMPOTENCY_SWEEP_EVERY_MS = 10 * 60 * 1000;
const SWEEP_BATCH = 1000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** A request's use of a key: whose key, which key, and a hash of what was asked with it. */
export type Claim = { userId: string; key: string; hash: string };

/**
 * The status of a key's row while a generation holds it between its two transactions (no answer yet; see
 * idempotency-generation.ts). Never sent: a repeat meanwhile is 409 (or 422 with another body).
 */
export const PENDING_STATUS = 102;
/**
 * How long a pending key is held for its generation. Past it the process that took it is taken as dead and
 * the key as free: far longer than any model call may last (their timeouts are below a minute).
 */
export const GENERATION_LEASE_MS = 10 * 60 * 1000;

/** A response as sent, byte for byte, with the headers its route chose (an ETag). */
export type StoredAnswer = { status: number; body: string; type: string | null; headers: Record<string, string> | null };

/** The status, body and headers a route answers. */
type Answer = { status: number; body: unknown; headers?: Record<string, string> };

/** What a route answers for its service's result: a status with the result as body, or all chosen from it. */
export type AnswerOf<T> = number | ((result: T) => Answer);

declare module 'fastify' {
  interface FastifyReply {
    /**
     * Runs a mutation and sends its answer. Without an Idempotency-Key, `run` gets no runner and its
     * service commits as it always does. With one, `run` gets a runner whose transaction also holds the key
     * and stores the exact response, so the change and its answer commit together or not at all.
     */
    commit<T>(answer: AnswerOf<T>, run: (transact: Transact | undefined) => Promise<T>): Promise<FastifyReply>;
  }
  interface FastifyRequest {
    /** A key whose answer is still to be stored when the response goes out (one no change carried). */
    idempotencyPending: Claim | null;
  }
}

export function claimOf(request: FastifyRequest): Claim | null {
  const header = request.headers['idempotency-key'];
  if (header === undefined || !request.user) return null;
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined || !KEY_PATTERN.test(key)) {
    throw new BadRequestError('invalid_idempotency_key', 'Idempotency-Key must be 1–255 visible ASCII characters.');
  }
  const hash = createHash('sha256').update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`);
  // The version a change is based on is part of what was asked; added only when sent, so the requests
  // of routes that take none hash as they always did.
  const ifMatch = request.headers['if-match'];
  if (ifMatch !== undefined) hash.update(`\nif-match: ${String(ifMatch)}`);
  return { userId: request.user.id, key, hash: hash.digest('hex') };
}

const keyReused = () => new AppError(422, 'idempotency_key_reused', 'This Idempotency-Key was used with a different request.');
const keyInProgress = () => new ConflictError('idempotency_in_progress', 'A request with this Idempotency-Key is still being processed.');

/**
 * Takes the key for the rest of the transaction, or answers false when another transaction has it. The
 * lock goes with the commit, the rollback, or the connection of a process that died.
 */
async function holdKey(tx: Db, claim: Claim): Promise<boolean> {
  const result = await tx.execute(sql`select pg_try_advisory_xact_lock(hashtextextended(${`${claim.userId}:${claim.key}`}, 0)) as held`);
  return (result as unknown as { rows: Array<{ held: boolean }> }).rows[0]?.held === true;
}

type AnswerRow = typeof idempotencyKeys.$inferSelect;

/** Whether a key's row is a generation's hold rather than an answer. */
const isPending = (row: AnswerRow) => row.responseStatus === PENDING_STATUS;

/** The stored answer (or live generation hold) for this key, unless it is past retention (or its lease). */
export async function findAnswer(db: Db, claim: Claim, now: Date): Promise<AnswerRow | undefined> {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, claim.userId), eq(idempotencyKeys.key, claim.key)));
  if (!row) return undefined;
  const keptFor = isPending(row) ? GENERATION_LEASE_MS : IDEMPOTENCY_RETENTION_MS;
  return row.createdAt.getTime() > now.getTime() - keptFor ? row : undefined;
}

/**
 * Stores the answer (or a generation's hold); an expired answer or hold of the same key (not swept yet)
 * gives way. Call with the key held.
 */
export async function insertAnswer(tx: Db, claim: Claim, answer: StoredAnswer, now: Date): Promise<void> {
  const row = {
    userId: claim.userId,
    key: claim.key,
    requestHash: claim.hash,
    responseStatus: answer.status,
    responseBody: answer.body,
    responseType: answer.type,
    responseHeaders: answer.headers,
    createdAt: now,
  };
  await tx
    .insert(idempotencyKeys)
    .values(row)
    .onConflictDoUpdate({ target: [idempotencyKeys.userId, idempotencyKeys.key], set: row });
}

/** Another request with this key committed between our look-up and our transaction. */
export class AnsweredMeanwhile extends Error {
  constructor(readonly row: AnswerRow) {
    super('answered meanwhile');
  }
}

export function sendStored(reply: FastifyReply, answer: StoredAnswer): FastifyReply {
  reply.code(answer.status).headers(answer.headers ?? {});
  if (answer.type) reply.type(answer.type);
  return reply.send(answer.body.length > 0 ? answer.body : null);
}

/** Answers a repeat: the stored answer, 422 for another body, 409 while a generation holds the key. */
export function replay(reply: FastifyReply, claim: Claim, row: AnswerRow): FastifyReply {
  if (row.requestHash !== claim.hash) throw keyReused();
  if (isPending(row)) throw keyInProgress();
  reply.header('idempotent-replayed', 'true');
  return sendStored(reply, { status: row.responseStatus, body: row.responseBody, type: row.responseType, headers: row.responseHeaders });
}

export function answerFor<T>(answer: AnswerOf<T>, result: T): Answer {
  return typeof answer === 'number' ? { status: answer, body: result } : answer(result);
}

/** The response exactly as it will be sent: the route's serializer for that status, no body for 204. */
export function serialize(reply: FastifyReply, { status, body, headers }: Answer): StoredAnswer {
  reply.code(status);
  if (status === 204) return { status, body: '', type: null, headers: headers ?? null };
  return { status, body: String(reply.serialize(body)), type: 'application/json; charset=utf-8', headers: headers ?? null };
}

/** Sends an answer no key stores. */
export function sendAnswer(reply: FastifyReply, { status, body, headers }: Answer): FastifyReply {
  return reply
    .code(status)
    .headers(headers ?? {})
    .send(status === 204 ? null : body);
}

export type Options = {
  db: Db;
  clock: Clock;
  /** Test only: the key after whose commit the process kills itself, as a crash between commit and answer. */
  crashAfterCommitKey?: string | undefined;
};

/**
 * Starts a keyed transaction: holds the key (409 when a twin's transaction holds it) and makes sure no twin
 * answered it meanwhile (AnsweredMeanwhile, replayed by the caller). Answers the time its answer is stored at.
 */
export async function takeKey(tx: Db, opts: Options, claim: Claim, reply: FastifyReply): Promise<Date> {
  if (!(await holdKey(tx, claim))) {
    reply.request.idempotencyPending = null;
    throw keyInProgress();
  }
  const now = opts.clock.now();
  const found = await findAnswer(tx, claim, now);
  if (found) throw new AnsweredMeanwhile(found);
  return now;
}

/**
 * The runner of one keyed request: in one transaction it holds the key, checks that no twin answered
 * meanwhile, runs the service's work, and stores the response it makes.
 */
function keyedRunner<T>(opts: Options, claim: Claim, reply: FastifyReply, answer: AnswerOf<T>) {
  const state = { opened: false, committed: null as { value: unknown; answer: StoredAnswer } | null };
  const transact: Transact = async (work) => {
    if (state.opened) throw new Error('A service ran a keyed request in two transactions; its answer must come from one.');
    state.opened = true;
    const effects: Array<() => Promise<void>> = [];
    let stored: StoredAnswer | null = null;
    const value = await opts.db.transaction(async (tx) => {
      const now = await takeKey(tx, opts, claim, reply);
      const result = await work({ tx, afterCommit: (effect) => effects.push(effect) });
      stored = serialize(reply, answerFor(answer as AnswerOf<unknown>, result));
      await insertAnswer(tx, claim, stored, now);
      return result;
    });
    reply.request.idempotencyPending = null;
    state.committed = { value, answer: stored! };
    if (claim.key === opts.crashAfterCommitKey) process.kill(process.pid, 'SIGKILL');
    for (const effect of effects) await effect();
    return value;
  };
  return { transact, state };
}

/**
 * Stores an answer that no change carried (a refusal, or a service that wrote nothing), unless another
 * request holds or has answered the key: then that one's answer is the one kept.
 */
async function storeAnswer(opts: Options, claim: Claim, answer: StoredAnswer): Promise<void> {
  await opts.db.transaction(async (tx) => {
    if (!(await holdKey(tx, claim))) return;
    const now = opts.clock.now();
    if (await findAnswer(tx, claim, now)) return;
    await insertAnswer(tx, claim, answer, now);
  });
}

/** The sweep's statement: one batch of answers stored before `cutoff`, found through `created_at`'s index. */
export function expiredAnswersDelete(cutoff: Date): SQL {
  return sql`delete from idempotency_keys where (user_id, key) in (
    select user_id, key from idempotency_keys where created_at < ${cutoff.toISOString()} order by created_at limit ${SWEEP_BATCH})
    returning user_id`;
}

/** Deletes every answer past retention, a batch at a time so no sweep holds many row locks for long. */
export async function sweepExpiredAnswers(db: Db, now: Date): Promise<void> {
  const cutoff = new Date(now.getTime() - IDEMPOTENCY_RETENTION_MS);
  for (;;) {
    const result = await db.execute(expiredAnswersDelete(cutoff));
    if ((result as unknown as { rows: unknown[] }).rows.length < SWEEP_BATCH) return;
  }
}

/**
 * Idempotency-Key for every authenticated mutation (routes answer through `reply.commit`): the first
 * response (any status below 500) is kept per user for 24 h and replayed for the same key and body; a
 * different body is 422, a repeat while the first holds the key 409. Anonymous requests (register, login,
 * refresh) are not stored: their responses hold fresh secrets that must not be kept.
 */
export const idempotencyPlugin = fp(async function idempotency(app: FastifyInstance, opts: Options) {
  app.decorateRequest('idempotencyPending', null);

  app.decorateReply('commit', async function commit<T>(
    this: FastifyReply,
    answer: AnswerOf<T>,
    run: (transact: Transact | undefined) => Promise<T>,
  ): Promise<FastifyReply> {
    const claim = claimOf(this.request);
    if (!claim) return sendAnswer(this, answerFor(answer, await run(undefined)));
    const found = await findAnswer(opts.db, claim, opts.clock.now());
    if (found) return replay(this, claim, found);
    this.request.idempotencyPending = claim;
    const keyed = keyedRunner(opts, claim, this, answer);
    let result: T;
    try {
      result = await run(keyed.transact);
    } catch (error) {
      if (!(error instanceof AnsweredMeanwhile)) throw error;
      this.request.idempotencyPending = null;
      return replay(this, claim, error.row);
    }
    const committed = keyed.state.committed;
    if (!committed) return sendAnswer(this, answerFor(answer, result));
    if (committed.value !== result) throw new Error('A service answered something other than what its transaction stored.');
    return sendStored(this, committed.answer);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotencyPending;
    if (!claim) return payload;
    request.idempotencyPending = null;
    const storable = payload === undefined || payload === null || typeof payload === 'string';
    if (reply.statusCode >= 500 || !storable) return payload;
    const type = reply.getHeader('content-type');
    const body = (payload as string | null | undefined) ?? '';
    await storeAnswer(opts, claim, { status: reply.statusCode, body, type: typeof type === 'string' ? type : null, headers: null });
    return payload;
  });

  const sweep = setInterval(() => {
    sweepExpiredAnswers(opts.db, opts.clock.now()).catch((err: unknown) => app.log.warn({ err }, 'sweeping expired idempotency keys failed'));
  }, IDEMPOTENCY_SWEEP_EVERY_MS);
  sweep.unref();
  app.addHook('onClose', async () => clearInterval(sweep));
});
