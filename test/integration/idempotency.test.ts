import { randomUUID } from 'node:crypto';
import { count, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { idempotencyKeys } from '../../src/server/db/schema/index.js';
import { expiredAnswersDelete, IDEMPOTENCY_RETENTION_MS, IDEMPOTENCY_SWEEP_EVERY_MS } from '../../src/server/platform/idempotency.js';
import { setRoleByEmail } from '../../src/server/features/users/repo.js';
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

  /** Sends a keyed request to the slow route and waits until it is inside its work; `send` repeats it. */
  async function startSlowRequest() {
    const account = await registerUser(t.app);
    runs = 0;
    const send = () => call(t.app, 'POST', '/test/slow', { token: account.accessToken, body: { n: 1 }, headers: { 'idempotency-key': 'slow-1' } });
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const first = send();
    await inside;
    return { first, send };
  }

  // PostgreSQL runs transactions side by side: the repeat finds the key held and answers 409 at once. PGlite
  // runs one transaction at a time: the repeat waits for the first to commit, then finds its answer.
  it(`answers a repeat sent while the first is in flight ${onPostgres ? 'with 409' : 'once the first is done'}, then replays the first answer`, async () => {
    const { first, send } = await startSlowRequest();
    const repeat = send();
    if (onPostgres) expectProblem(await repeat, 409, 'idempotency_in_progress');
    release();
    const done = await first;
    expect(done.statusCode).toBe(201);
    const replay = onPostgres ? await send() : await repeat;
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

describe('Idempotency-Key with a refused request', () => {
  it('changes nothing and replays the refusal, even once the request would succeed', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    await addCollaborator(t.app, owner, draft.id, sam);
    const append = () =>
      call(t.app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: sam.accessToken, body: { content: 'mine' }, headers: { 'idempotency-key': 'early' } });
    const refused = await append();
    expectProblem(refused, 403, 'ring_required');
    await call(t.app, 'POST', `/v1/drafts/${draft.id}/ring/pass`, { token: owner.accessToken, body: { toUserId: sam.user.id } });
    const again = await append();
    expect(again.statusCode).toBe(403);
    expect(again.body).toBe(refused.body);
    const view = await call(t.app, 'GET', `/v1/drafts/${draft.id}`, { token: sam.accessToken });
    expect(view.json().segments).toEqual([]);
  });
});

/** Every authenticated mutation, per the OpenAPI document (logout takes a bearer token optionally). */
async function authenticatedMutations(): Promise<string[]> {
  const doc = (await call(t.app, 'GET', '/openapi.json')).json() as { paths: Record<string, Record<string, { security?: unknown[] }>> };
  const found = ['POST /v1/auth/logout'];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (['post', 'put', 'patch', 'delete'].includes(method) && operation.security) found.push(`${method.toUpperCase()} ${path}`);
    }
  }
  return found.sort();
}

describe('Idempotency-Key on every authenticated mutation', () => {
  it('stores the first answer of each, and replays it byte for byte where the caller is still signed in', async () => {
    const owner = await registerUser(t.app);
    // An admin too, so the admin routes answer what they do rather than 404.
    await setRoleByEmail(t.database.db, owner.email, 'admin', t.clock.now());
    const target = await registerUser(t.app);
    const draft = await createDraft(t.app, owner, { initialSegment: 'first words' });
    const other = randomUUID();
    const d = `/v1/drafts/${draft.id}`;
    const goal = (await call(t.app, 'POST', '/v1/coach/goals', { token: owner.accessToken, body: { title: 'Write weekly' } })).json();
    const goalAction = (await call(t.app, 'POST', `/v1/coach/goals/${goal.id}/actions`, { token: owner.accessToken, body: { title: 'Outline' } })).json();
    const gl = `/v1/coach/goals/${goal.id}`;
    // One request per route (path template → request); refusals count, since they are answers too.
    const segment = draft.segments[0]!.id;
    const mirror = (await call(t.app, 'POST', '/v1/coach/mirror/sessions', { token: owner.accessToken, body: {} })).json().id as string;
    const requests: Record<string, { url: string; body?: unknown; headers?: Record<string, string> }> = {
      'POST /v1/drafts': { url: '/v1/drafts', body: { title: 'Keyed', platform: 'x' } },
      'POST /v1/drafts/import': { url: '/v1/drafts/import', body: { title: 'Imported', platform: 'x', text: 'one\n\ntwo' } },
      'PATCH /v1/drafts/{id}': { url: d, body: { title: 'Renamed' } },
      'POST /v1/drafts/{id}/segments': { url: `${d}/segments`, body: { content: 'keyed words' } },
      'PATCH /v1/drafts/{id}/segments/{segmentId}': { url: `${d}/segments/${segment}`, body: { content: 'edited words' }, headers: { 'if-match': '"1"' } },
      'POST /v1/drafts/{id}/segments/reorder': { url: `${d}/segments/reorder`, body: { order: [segment] }, headers: { 'if-match': '*' } },
      'DELETE /v1/drafts/{id}/segments/{segmentId}': { url: `${d}/segments/${segment}`, headers: { 'if-match': '"2"' } },
      'POST /v1/drafts/{id}/ring/pass': { url: `${d}/ring/pass`, body: { toUserId: other } },
      'POST /v1/drafts/{id}/ring/take': { url: `${d}/ring/take` },
      'POST /v1/drafts/{id}/collaborators': { url: `${d}/collaborators`, body: { userId: other } },
      'DELETE /v1/drafts/{id}/collaborators/{userId}': { url: `${d}/collaborators/${other}` },
      'POST /v1/drafts/{id}/events': { url: `${d}/events`, body: { type: 'comment.added', clientId: 'c1', clientSeq: 1, payload: { text: 'hi' } } },
      'POST /v1/drafts/{id}/invites': { url: `${d}/invites`, body: {} },
      'DELETE /v1/drafts/{id}/invites/{inviteId}': { url: `${d}/invites/${other}` },
      'POST /v1/drafts/{id}/preview-links': { url: `${d}/preview-links` },
      'DELETE /v1/drafts/{id}/preview-links/{linkId}': { url: `${d}/preview-links/${other}` },
      'POST /v1/invites/accept': { url: '/v1/invites/accept', body: { token: 'no-such-invite' } },
      'POST /v1/drafts/{id}/publish': { url: `${d}/publish` },
      'POST /v1/drafts/{id}/archive': { url: `${d}/archive` },
      'PATCH /v1/me': { url: '/v1/me', body: { displayName: 'Keyed' } },
      'POST /v1/auth/password': { url: '/v1/auth/password', body: { currentPassword: 'not it', newPassword: 'a brand new secret phrase' } },
      'DELETE /v1/auth/sessions/{id}': { url: `/v1/auth/sessions/${other}` },
      'PUT /v1/admin/users/{id}/plan': { url: `/v1/admin/users/${owner.user.id}/plan`, body: { plan: 'creator' } },
      'POST /v1/admin/users/{id}/grace/reset': { url: `/v1/admin/users/${owner.user.id}/grace/reset`, body: {} },
      'POST /v1/admin/entitlements/overrides': { url: '/v1/admin/entitlements/overrides', body: { userId: owner.user.id, key: 'drafts.max', value: 30 } },
      'DELETE /v1/admin/entitlements/overrides/{id}': { url: `/v1/admin/entitlements/overrides/${other}` },
      'PUT /v1/admin/plans/{id}/enforcement': { url: '/v1/admin/plans/team/enforcement', body: { enabled: true } },
      'PUT /v1/admin/users/{id}/role': { url: `/v1/admin/users/${target.user.id}/role`, body: { role: 'admin' } },
      'POST /v1/admin/users/{id}/sessions/revoke': { url: `/v1/admin/users/${target.user.id}/sessions/revoke` },
      'POST /v1/coach/turns': { url: '/v1/coach/turns', body: { text: 'A keyed thought' } },
      'POST /v1/coach/mirror/sessions': { url: '/v1/coach/mirror/sessions', body: { title: 'Keyed' } },
      'POST /v1/coach/mirror/sessions/{id}/messages': { url: `/v1/coach/mirror/sessions/${mirror}/messages`, body: { content: 'A keyed message' } },
      'DELETE /v1/coach/mirror/sessions/{id}': { url: `/v1/coach/mirror/sessions/${other}` },
      'POST /v1/coach/goals': { url: '/v1/coach/goals', body: { title: 'Keyed goal', why: 'I feel worthless' } },
      'PATCH /v1/coach/goals/{id}': { url: gl, body: { status: 'completed' } },
      'POST /v1/coach/goals/{id}/actions': { url: `${gl}/actions`, body: { title: 'Keyed action' } },
      'PATCH /v1/coach/goals/{id}/actions/{actionId}': { url: `${gl}/actions/${goalAction.id}`, body: { done: true } },
      'DELETE /v1/coach/goals/{id}/actions/{actionId}': { url: `${gl}/actions/${goalAction.id}` },
      'DELETE /v1/coach/goals/{id}': { url: gl },
    };
    const endingTheSession: Record<string, { url: string }> = {
      'POST /v1/auth/logout-all': { url: '/v1/auth/logout-all' },
      'POST /v1/auth/logout': { url: '/v1/auth/logout' },
    };
    expect(Object.keys({ ...requests, ...endingTheSession }).sort()).toEqual(await authenticatedMutations());

    const keyOf = (route: string) => route.replace(/[^\w/{}-]/g, '_');
    for (const [route, { url, body, headers }] of Object.entries(requests)) {
      const method = route.split(' ')[0] as 'POST' | 'PATCH' | 'DELETE';
      const send = () => call(t.app, method, url, { token: owner.accessToken, body, headers: { 'idempotency-key': keyOf(route), ...headers } });
      const first = await send();
      const again = await send();
      expect(first.statusCode, `${route}: ${first.body}`).toBeLessThan(500);
      expect(again.headers['idempotent-replayed'], route).toBe('true');
      expect([again.statusCode, again.body], route).toEqual([first.statusCode, first.body]);
    }
    for (const [route, { url }] of Object.entries(endingTheSession)) {
      const session = await call(t.app, 'POST', '/v1/auth/login', { body: { email: owner.email, password: owner.password } });
      const res = await call(t.app, 'POST', url, { token: session.json().accessToken, headers: { 'idempotency-key': keyOf(route) } });
      expect(res.statusCode, route).toBe(204);
      const stored = await t.database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, keyOf(route)));
      expect(stored.map((r) => r.responseStatus), route).toEqual([204]);
    }
  });
});

describe('expired Idempotency-Keys', () => {
  it('are swept on a timer, with the cutoff from the clock, and the timer stops when the app closes', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const { app, clock } = await t.build();
      const stored = (key: string, createdAt: Date) => ({
        userId: randomUUID(),
        key,
        requestHash: 'h',
        responseStatus: 200,
        responseBody: '{}',
        responseType: 'application/json; charset=utf-8',
        createdAt,
      });
      const now = clock.now().getTime();
      await t.database.db.insert(idempotencyKeys).values([
        stored('old', new Date(now - IDEMPOTENCY_RETENTION_MS - 1)),
        stored('recent', new Date(now - IDEMPOTENCY_RETENTION_MS + 60_000)),
      ]);
      vi.advanceTimersByTime(IDEMPOTENCY_SWEEP_EVERY_MS);
      const keys = async () => (await t.database.db.select({ key: idempotencyKeys.key }).from(idempotencyKeys)).map((r) => r.key);
      await expect.poll(keys).toEqual(['recent']);
      await app.close();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('are found for the sweep through the index on created_at', async () => {
    const db = t.database.db;
    const account = await registerUser(t.app);
    await call(t.app, 'PATCH', '/v1/me', { token: account.accessToken, body: { displayName: 'A' }, headers: { 'idempotency-key': 'k' } });
    expect((await db.select({ n: count() }).from(idempotencyKeys))[0]!.n).toBe(1);
    const plan = await db.transaction(async (tx) => {
      // A near-empty table is cheaper to scan than to look up; forbid that so the plan shows what large ones get.
      await tx.execute(sql`set local enable_seqscan = off`);
      return tx.execute(sql`explain ${expiredAnswersDelete(new Date())}`);
    });
    const text = (plan as unknown as { rows: Array<{ 'QUERY PLAN': string }> }).rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toMatch(/Index (Only )?Scan (using|on) idempotency_keys_created_idx/);
  });
});
