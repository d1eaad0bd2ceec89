import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { idempotencyKeys } from '../../src/server/db/schema/index.js';
import { ForbiddenError } from '../../src/server/platform/errors.js';
import { GENERATION_LEASE_MS } from '../../src/server/platform/idempotency.js';
import type { GenerationPhases } from '../../src/server/platform/idempotency-generation.js';
import { call, expectProblem, registerUser, type Account } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

/**
 * The two-phase runner of generations, through a route of its own: its "model call" waits, outside any
 * transaction, until the test answers it, so a test can act while a generation is between its phases.
 */
type Body = { n: number; answerNow?: boolean; refuse?: boolean; fail?: boolean };
type Result = { call: number | null; n: number };

const waiting: Array<{ answer: () => void; fail: () => void }> = [];
const arrivals: Array<() => void> = [];
let calls = 0;

/** Resolves once `count` model calls are waiting. */
function callsWaiting(count: number): Promise<void> {
  if (waiting.length >= count) return Promise.resolve();
  return new Promise((resolve) => arrivals.push(() => (waiting.length >= count ? resolve() : callsWaiting(count).then(resolve))));
}

function modelCall(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    waiting.push({ answer: () => resolve(++calls), fail: () => reject(new Error('the model went away')) });
    arrivals.splice(0).forEach((arrived) => arrived());
  });
}

async function generate(phases: GenerationPhases<Result>, body: Body): Promise<Result> {
  const opened = await phases.open<null>(async () => {
    if (body.refuse) throw new ForbiddenError('not_today', 'Refused in the first phase.');
    return body.answerNow ? { answered: { call: null, n: body.n } } : { pending: null };
  });
  if ('answered' in opened) return opened.answered;
  const call = await modelCall();
  return phases.finish(async () => ({ call, n: body.n }));
}

function testRoutes(app: FastifyInstance) {
  app.post('/test/generate', { onRequest: app.authenticate }, async (request, reply) =>
    reply.commitGeneration<Result>(201, (phases) => generate(phases, request.body as Body)),
  );
}

const t = useTestApp({ extend: testRoutes });

const send = (account: Account, body: Body, key = 'gen-1') =>
  call(t.app, 'POST', '/test/generate', { token: account.accessToken, body, headers: { 'idempotency-key': key } });

async function fresh(): Promise<Account> {
  waiting.splice(0);
  calls = 0;
  return registerUser(t.app);
}

describe('Idempotency-Key on a generation (two phases around the model call)', () => {
  it('replays the answer byte for byte without a second model call', async () => {
    const ann = await fresh();
    const first = send(ann, { n: 1 });
    await callsWaiting(1);
    waiting.shift()!.answer();
    const done = await first;
    expect(done.statusCode).toBe(201);
    expect(done.json()).toEqual({ call: 1, n: 1 });
    const replay = await send(ann, { n: 1 });
    expect(replay.statusCode).toBe(201);
    expect(replay.body).toBe(done.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(calls).toBe(1);
  });

  it('answers 409 while the model call is in flight, 422 for another body, and replays once it is done', async () => {
    const ann = await fresh();
    const first = send(ann, { n: 1 });
    await callsWaiting(1);
    expectProblem(await send(ann, { n: 1 }), 409, 'idempotency_in_progress');
    expectProblem(await send(ann, { n: 2 }), 422, 'idempotency_key_reused');
    waiting.shift()!.answer();
    const done = await first;
    expect(done.statusCode).toBe(201);
    expect((await send(ann, { n: 1 })).body).toBe(done.body);
    expectProblem(await send(ann, { n: 2 }), 422, 'idempotency_key_reused');
    expect(calls).toBe(1);
  });

  it('frees the key when the call fails, so a retry runs again', async () => {
    const ann = await fresh();
    const first = send(ann, { n: 1 });
    await callsWaiting(1);
    waiting.shift()!.fail();
    expectProblem(await first, 500, 'internal_error');
    expect(await t.database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.userId, ann.user.id))).toEqual([]);
    const retry = send(ann, { n: 1 });
    await callsWaiting(1);
    waiting.shift()!.answer();
    expect((await retry).json()).toEqual({ call: 1, n: 1 });
  });

  it('treats a pending key past its lease as free (its process died), and keeps the answer of the one that took it over', async () => {
    const ann = await fresh();
    const lost = send(ann, { n: 1 });
    await callsWaiting(1);
    t.clock.advance(GENERATION_LEASE_MS - 1);
    expectProblem(await send(ann, { n: 1 }), 409, 'idempotency_in_progress');
    t.clock.advance(1);
    const retry = send(ann, { n: 1 });
    await callsWaiting(2);
    // The one taken for dead answers last: its result commits, but the key keeps the retry's answer.
    const [stale, current] = [waiting.shift()!, waiting.shift()!];
    current.answer();
    const kept = await retry;
    expect(kept.json()).toEqual({ call: 1, n: 1 });
    stale.answer();
    expect((await lost).json()).toEqual({ call: 2, n: 1 });
    const replay = await send(ann, { n: 1 });
    expect(replay.body).toBe(kept.body);
  });

  it('stores an answer decided in the first phase, and a refusal of the first phase, like any other', async () => {
    const ann = await fresh();
    const now = await send(ann, { n: 1, answerNow: true }, 'now');
    expect(now.json()).toEqual({ call: null, n: 1 });
    expect((await send(ann, { n: 1, answerNow: true }, 'now')).body).toBe(now.body);
    const refused = await send(ann, { n: 1, refuse: true }, 'refused');
    expectProblem(refused, 403, 'not_today');
    const again = await send(ann, { n: 1, refuse: true }, 'refused');
    expect(again.body).toBe(refused.body);
    expect(calls).toBe(0);
  });

  it('runs each request on its own without a key', async () => {
    const ann = await fresh();
    const first = call(t.app, 'POST', '/test/generate', { token: ann.accessToken, body: { n: 1 } });
    const second = call(t.app, 'POST', '/test/generate', { token: ann.accessToken, body: { n: 1 } });
    await callsWaiting(2);
    waiting.shift()!.answer();
    waiting.shift()!.answer();
    const answers = [(await first).json() as Result, (await second).json() as Result];
    expect(answers.map((a) => a.call).sort()).toEqual([1, 2]);
  });
});
