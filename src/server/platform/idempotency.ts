import { createHash } from 'node:crypto';
import { and, eq, lt, or } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../db/client.js';
import { idempotencyKeys } from '../db/schema/index.js';
import type { Clock } from './clock.js';
import { AppError, BadRequestError, ConflictError } from './errors.js';

/** How long a stored response is replayed. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;
/** A request still "in flight" after this long is taken as abandoned (its process died). */
export const IDEMPOTENCY_ABANDONED_MS = 60 * 1000;

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

type Claim = { userId: string; key: string };

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyClaim: Claim | null;
  }
}

function requestHash(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
}

type ClaimOutcome =
  | { kind: 'claimed' }
  | { kind: 'replay'; status: number; body: string; type: string | null }
  | { kind: 'in_flight' }
  | { kind: 'mismatch' };

async function claim(db: Db, userId: string, key: string, hash: string, now: Date): Promise<ClaimOutcome> {
  const expired = new Date(now.getTime() - IDEMPOTENCY_RETENTION_MS);
  const abandoned = new Date(now.getTime() - IDEMPOTENCY_ABANDONED_MS);
  const match = and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key));
  // Forget this key's earlier use when it is past retention, or was left in flight by a process that died.
  await db
    .delete(idempotencyKeys)
    .where(
      and(
        match,
        or(lt(idempotencyKeys.createdAt, expired), and(eq(idempotencyKeys.state, 'in_flight'), lt(idempotencyKeys.createdAt, abandoned))),
      ),
    );
  const inserted = await db
    .insert(idempotencyKeys)
    .values({ userId, key, requestHash: hash, state: 'in_flight', createdAt: now })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length > 0) return { kind: 'claimed' };
  const [row] = await db.select().from(idempotencyKeys).where(match);
  if (!row) return claim(db, userId, key, hash, now);
  if (row.requestHash !== hash) return { kind: 'mismatch' };
  if (row.state !== 'done') return { kind: 'in_flight' };
  return { kind: 'replay', status: row.responseStatus ?? 200, body: row.responseBody ?? '', type: row.responseType };
}

/**
 * Idempotency-Key for every authenticated mutation: the first response (any status below 500) is kept
 * per user for 24 h and replayed for the same key and body; a different body is 422, a concurrent
 * repeat 409. Anonymous requests (register, login, refresh) are not stored: their responses hold
 * fresh secrets that must not be kept.
 */
export const idempotencyPlugin = fp(async function idempotency(app: FastifyInstance, opts: { db: Db; clock: Clock }) {
  app.decorateRequest('idempotencyClaim', null);

  app.addHook('preHandler', async (request, reply) => {
    const header = request.headers['idempotency-key'];
    if (header === undefined || !MUTATING.has(request.method) || !request.user) return;
    const key = Array.isArray(header) ? header[0] : header;
    if (key === undefined || !KEY_PATTERN.test(key)) {
      throw new BadRequestError('invalid_idempotency_key', 'Idempotency-Key must be 1–255 visible ASCII characters.');
    }
    const userId = request.user.id;
    const outcome = await claim(opts.db, userId, key, requestHash(request), opts.clock.now());
    switch (outcome.kind) {
      case 'claimed':
        request.idempotencyClaim = { userId, key };
        return;
      case 'mismatch':
        throw new AppError(422, 'idempotency_key_reused', 'This Idempotency-Key was used with a different request.');
      case 'in_flight':
        throw new ConflictError('idempotency_in_progress', 'A request with this Idempotency-Key is still being processed.');
      case 'replay':
        reply.code(outcome.status).header('idempotent-replayed', 'true');
        if (outcome.type) reply.type(outcome.type);
        return reply.send(outcome.body.length > 0 ? outcome.body : undefined);
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claimed = request.idempotencyClaim;
    if (!claimed) return payload;
    request.idempotencyClaim = null;
    const match = and(eq(idempotencyKeys.userId, claimed.userId), eq(idempotencyKeys.key, claimed.key));
    const storable = payload === undefined || payload === null || typeof payload === 'string';
    if (reply.statusCode >= 500 || !storable) {
      await opts.db.delete(idempotencyKeys).where(match);
      return payload;
    }
    const type = reply.getHeader('content-type');
    await opts.db
      .update(idempotencyKeys)
      .set({
        state: 'done',
        responseStatus: reply.statusCode,
        responseBody: (payload as string | null | undefined) ?? '',
        responseType: typeof type === 'string' ? type : null,
        completedAt: opts.clock.now(),
      })
      .where(match);
    return payload;
  });
});
