import { randomUUID } from 'node:crypto';
import { count, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { idempotencyKeys } from '../../src/server/db/schema/index.js';
import { expiredAnswersDelete, IDEMPOTENCY_RETENTION_MS, IDEMPOTENCY_SWEEP_EVERY_MS } from '../../src/server/platform/idempotency.js';
import { transaction } from '../../src/server/platform/unit-of-work.js';
import { addCollaborator, call, createDraft, expectProblem, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const onPostgres = Boolean(process.env.DATABASE_URL);
let release: () => void = () => undefined;
let entered: () => void = () => undefined;
let runs = 0;
let failNext = false;

function testRoutes(app: FastifyInstance) {
  // A change that waits, inside its transaction, until the test lets it commit.
  app.post('/test/slow', { onRequest: app.authenticate }, async (request, reply) =>
    reply.commit(201, (transact) =>
      (transact ?? transaction(t.database.db))(async () => {
        entered();
        await new Promise<void>((resolve) => (release = resolve));
        runs++;
        return { run: runs, body: request.body };
      }),
    ),
  );
  app.post('/test/flaky', { onRequest: app.authenticate }, async (_request, reply) =>
    reply.commit(200, (transact) =>
      (transact ?? transaction(t.database.db))(async () => {
        runs++;
        if (failNext) {
          failNext = false;
          throw new Error('database went away');
        }
        return { run: runs };
      }),
    ),
  );
}

const t = useTestApp({ extend: testRoutes });

const patchMe = (token: string, key: string, displayName: string) =>
  call(t.app, 'PATCH', '/v1/me', { token, body: { displayName }, headers: { 'idempotency-key': key } });

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and body', async () => {
    const account = await registerUser(t.app);
    const first = await patchMe(account.accessToken, 'key-1', 'Merry');
    expect(first.statusCode).toBe(200);
    await call(t.app, 'PATCH', '/v1/me', { token: account.accessToken, body: { displayName: 'Pippin' } });
    const replay = await patchMe(account.accessToken, 'key-1', 'Merry');
    expect(replay.statusCode).toBe(200);
    expect(replay.body).toBe(first.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const me = await call(t.app, 'GET', '/v1/me', { token: account.accessToken });
    expect(me.json().displayName).toBe('Pippin');
  });

  it('answers 422 when the key comes back with a different body', async () => {
    const account = await registerUser(t.app);
    await patchMe(account.accessToken, 'key-2', 'Merry');
    expectProblem(await patchMe(account.accessToken, 'key-2', 'Pippin'), 422, 'idempotency_key_reused');
  });

  it.runIf(onPostgres)('answers 409 while the first request is still in flight, then replays it', async () => {
    const account = await registerUser(t.app);
    runs = 0;
    const headers = { 'idempotency-key': 'slow-1' };
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const first = call(t.app, 'POST', '/test/slow', { token: account.accessToken, body: { n: 1 }, headers });
    await inside;
    expectProblem(await call(t.app, 'POST', '/test/slow', { token: account.accessToken, body: { n: 1 }, headers }), 409, 'idempotency_in_progress');
    release();
    const done = await first;
    expect(done.statusCode).toBe(201);
    const replay = await call(t.app, 'POST', '/test/slow', { token: account.accessToken, body: { n: 1 }, headers });
    expect(replay.statusCode).toBe(201);
    expect(replay.body).toBe(done.body);
    expect(runs).toBe(1);
  });

  // PGlite runs one transaction at a time: a repeat waits for the first to commit, then finds its answer.
  it.skipIf(onPostgres)('lets a repeat sent while the first is in flight wait for it, then replays it', async () => {
    const account = await registerUser(t.app);
    runs = 0;
    const headers = { 'idempotency-key': 'slow-1' };
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const first = call(t.app, 'POST', '/test/slow', { token: account.accessToken, body: { n: 1 }, headers });
    await inside;
    const repeat = call(t.app, 'POST', '/test/slow', { token: account.accessToken, body: { n: 1 }, headers });
    release();
    const [done, replay] = [await first, await repeat];
    expect(done.statusCode).toBe(201);
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toBe(done.body);
    expect(runs).toBe(1);
  });

  it('scopes keys per user', async () => {
    const alice = await registerUser(t.app);
    const bob = await registerUser(t.app);
    expect((await patchMe(alice.accessToken, 'shared', 'Alice')).json().displayName).toBe('Alice');
    const bobs = await patchMe(bob.accessToken, 'shared', 'Bob');
    expect(bobs.json()).toMatchObject({ id: bob.user.id, displayName: 'Bob' });
    expect(bobs.headers['idempotent-replayed']).toBeUndefined();
  });

  it('keeps a key for 24 hours', async () => {
    const account = await registerUser(t.app);
    await patchMe(account.accessToken, 'day', 'Merry');
    t.clock.advance(23 * 60 * 60 * 1000);
    const refreshed = await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: account.refreshToken } });
    const token = refreshed.json().accessToken as string;
    expect((await patchMe(token, 'day', 'Pippin')).statusCode).toBe(422);
    t.clock.advance(2 * 60 * 60 * 1000);
    const later = await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: refreshed.json().refreshToken } });
    const fresh = await patchMe(later.json().accessToken, 'day', 'Pippin');
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json().displayName).toBe('Pippin');
  });

  it('does not keep a failed (5xx) response, so a retry runs again', async () => {
    const account = await registerUser(t.app);
    runs = 0;
    failNext = true;
    const headers = { 'idempotency-key': 'flaky' };
    expectProblem(await call(t.app, 'POST', '/test/flaky', { token: account.accessToken, body: {}, headers }), 500, 'internal_error');
    const retry = await call(t.app, 'POST', '/test/flaky', { token: account.accessToken, body: {}, headers });
    expect(retry.json()).toEqual({ run: 2 });
  });

  it('replays a stored 4xx the same way', async () => {
    const account = await registerUser(t.app);
    const headers = { 'idempotency-key': 'bad-pw' };
    const body = { currentPassword: 'not my password', newPassword: 'a brand new secret phrase' };
    const first = await call(t.app, 'POST', '/v1/auth/password', { token: account.accessToken, body, headers });
    const again = await call(t.app, 'POST', '/v1/auth/password', { token: account.accessToken, body, headers });
    expect(again.statusCode).toBe(400);
    expect(again.body).toBe(first.body);
    expect(again.headers['content-type']).toMatch(/problem\+json/);
  });

  it('refuses a malformed key', async () => {
    const account = await registerUser(t.app);
    expectProblem(await patchMe(account.accessToken, 'has space', 'X'), 400, 'invalid_idempotency_key');
    expectProblem(await patchMe(account.accessToken, 'k'.repeat(256), 'X'), 400, 'invalid_idempotency_key');
  });
});
