import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MirrorMessage, MirrorSession, Turn } from '../../src/contract/coach.js';
import type { MyEntitlements } from '../../src/contract/plans.js';
import { aiUsage, coachTurns, mirrorMessages } from '../../src/server/db/schema/index.js';
import { maxAnswerChars } from '../../src/server/features/ai/answer-text.js';
import { restoreBudgets, setBudget, TEST_AI_CONFIG } from '../helpers/ai.js';
import { call, createDraft, expectProblem, registerUser, type Account } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';
import { FakeOpenAi } from '../helpers/fake-openai.js';
import { readEvents, type SseEvent } from '../helpers/sse.js';

/** Turn and Mirror on an OpenAI-compatible provider (a fake one on a real port), where its behaviour matters. */
const fake = new FakeOpenAi();
const t = useTestApp();

beforeAll(() => fake.start());
afterAll(() => fake.stop());
beforeEach(async () => {
  fake.reset();
  t.current = await t.build({ config: { ai: { ...TEST_AI_CONFIG, baseUrl: fake.baseUrl, maxRetries: 0 } } });
});

async function startSession(who: Account): Promise<MirrorSession> {
  return (await call(t.app, 'POST', '/v1/coach/mirror/sessions', { token: who.accessToken, body: {} })).json() as MirrorSession;
}

async function streamed(who: Account, sessionId: string, content: string, headers: Record<string, string>, signal?: AbortSignal) {
  const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  return fetch(`${base}/v1/coach/mirror/sessions/${sessionId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${who.accessToken}`, 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ content }),
    ...(signal ? { signal } : {}),
  });
}

describe('Turn on a provider', () => {
  it('answers the provider\'s rewrites, and a keyed repeat replays them without a second call', async () => {
    const ann = await registerUser(t.app);
    fake.then({ text: 'First calm rewrite.\n---\nSecond calm rewrite.\n---\nFirst calm rewrite.' });
    const send = () => call(t.app, 'POST', '/v1/coach/turns', { token: ann.accessToken, body: { text: 'a rough thought' }, headers: { 'idempotency-key': 'k1' } });
    const first = await send();
    expect(first.json()).toMatchObject({
      provider: 'openai',
      fallback: false,
      suggestions: [
        { text: 'First calm rewrite.', length: 19 },
        { text: 'Second calm rewrite.', length: 20 },
      ],
    });
    const replay = await send();
    expect(replay.body).toBe(first.body);
    expect(fake.received).toHaveLength(1);
  });

  it('does not keep a 429 ai_budget_exhausted under the key: the same request once the budget allows it is answered', async () => {
    const ann = await registerUser(t.app);
    const send = () => call(t.app, 'POST', '/v1/coach/turns', { token: ann.accessToken, body: { text: 'a rough thought' }, headers: { 'idempotency-key': 'later' } });
    await setBudget(t.database.db, 'turn', 'user', 0);
    try {
      const refused = await send();
      expectProblem(refused, 429, 'ai_budget_exhausted');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await restoreBudgets(t.database.db);
    }
    fake.then({ text: 'A calm rewrite.' });
    const answered = await send();
    expect(answered.statusCode, answered.body).toBe(201);
    expect(answered.headers['idempotent-replayed']).toBeUndefined();
    expect(fake.received).toHaveLength(1);
  });

  it('falls back to the offline provider when the provider fails, and says so', async () => {
    const ann = await registerUser(t.app);
    fake.then({ status: 500 });
    const res = await call(t.app, 'POST', '/v1/coach/turns', { token: ann.accessToken, body: { text: 'a rough thought' } });
    expect(res.statusCode, res.body).toBe(201);
    const turn = res.json() as Turn;
    expect(turn).toMatchObject({ provider: 'local', fallback: true });
    expect(turn.suggestions.length).toBeGreaterThan(0);
  });
});

describe('what a provider answers that no one could type', () => {
  const send = (who: Account) => call(t.app, 'POST', '/v1/coach/turns', { token: who.accessToken, body: { text: 'a rough thought' } });

  it('Turn: NUL and control characters are dropped and a lone surrogate half becomes U+FFFD, so the answer is stored', async () => {
    const ann = await registerUser(t.app);
    fake.then({ text: 'Calm\u0000 rewrite\u001b \ud800 here.' });
    const res = await send(ann);
    expect(res.statusCode, res.body).toBe(201);
    // X weighs U+FFFD as two characters.
    expect((res.json() as Turn).suggestions).toEqual([{ text: 'Calm rewrite \ufffd here.', length: 21 }]);
    expect((await call(t.app, 'GET', `/v1/coach/turns/${res.json().id}`, { token: ann.accessToken })).json().suggestions).toEqual(res.json().suggestions);
  });

  it('Mirror: the reply streamed, answered and stored is the same clean text', async () => {
    const ann = await registerUser(t.app);
    const session = await startSession(ann);
    fake.then({ text: 'You\u0000 wrote \ud83d\ude00 and \udc00 this.' });
    const events: SseEvent[] = [];
    for await (const event of readEvents((await streamed(ann, session.id, 'hello', {})).body!)) events.push(event);
    const deltas = events.filter((e) => e.event === 'delta').map((e) => (e.data as { text: string }).text).join('');
    expect(deltas).toBe('You wrote \ud83d\ude00 and \ufffd this.');
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { content: deltas, complete: true } });
    const stored = (await call(t.app, 'GET', `/v1/coach/mirror/sessions/${session.id}/messages`, { token: ann.accessToken })).json().items as MirrorMessage[];
    expect(stored.map((m) => m.content)).toEqual(['hello', deltas]);
  });

  it('no text at all (a content filter): the offline provider answers instead, marked as the fallback', async () => {
    const ann = await registerUser(t.app);
    fake.then({ text: '', finishReason: 'content_filter' }, { text: '  \n \u0000\u0001 ', finishReason: 'stop' });
    const turn = await send(ann);
    expect(turn.statusCode, turn.body).toBe(201);
    expect(turn.json()).toMatchObject({ provider: 'local', fallback: true });
    expect((turn.json() as Turn).suggestions.length).toBeGreaterThan(0);

    const session = await startSession(ann);
    const events: SseEvent[] = [];
    for await (const event of readEvents((await streamed(ann, session.id, 'hello there', {})).body!)) events.push(event);
    const reply = events.at(-1)!;
    expect(reply).toMatchObject({ event: 'done', data: { provider: 'local', fallback: true, complete: true } });
    expect((reply.data as MirrorMessage).content.length).toBeGreaterThan(0);
    // The blank pieces the provider sent first never reached me: what I was sent is the reply stored.
    const deltas = events.filter((e) => e.event === 'delta').map((e) => (e.data as { text: string }).text).join('');
    expect(deltas).toBe((reply.data as MirrorMessage).content);
    expect(fake.received).toHaveLength(2);
  });

  it('far more than maxTokens: the reply is cut at the cap, and the stored reply is no longer', async () => {
    const ann = await registerUser(t.app);
    const session = await startSession(ann);
    fake.then({ text: 'word '.repeat(20_000) });
    const events: SseEvent[] = [];
    for await (const event of readEvents((await streamed(ann, session.id, 'hello', {})).body!)) events.push(event);
    const reply = events.at(-1)!.data as MirrorMessage;
    const maxTokens = (fake.received[0]!.body as { max_tokens: number }).max_tokens;
    expect(reply.content.length).toBe(maxAnswerChars(maxTokens));
    const [usage] = await t.database.db.select().from(aiUsage);
    expect(usage).toMatchObject({ provider: 'openai', outcome: 'ok' });

    fake.then({ text: 'word '.repeat(20_000) });
    const json = await call(t.app, 'POST', `/v1/coach/mirror/sessions/${session.id}/messages`, { token: ann.accessToken, body: { content: 'again' } });
    expect(json.statusCode, json.body).toBe(201);
    expect(json.json().reply.content.length).toBe(maxAnswerChars(maxTokens));
  });
});

async function turnsUsed(who: Account): Promise<number | null> {
  const mine = (await call(t.app, 'GET', '/v1/me/entitlements', { token: who.accessToken })).json() as MyEntitlements;
  return mine.entitlements.find((e) => e.key === 'coach.turns_per_day')!.used;
}

describe('a Turn that fails', () => {
  it('answers 503 with Retry-After when the model gives no usable rewrite: the turn counts nothing and a keyed retry runs again', async () => {
    const ann = await registerUser(t.app);
    fake.then({ text: '---\n   \n---' });
    const send = () => call(t.app, 'POST', '/v1/coach/turns', { token: ann.accessToken, body: { text: 'a rough thought' }, headers: { 'idempotency-key': 'k2' } });
    const failed = await send();
    expectProblem(failed, 503, 'coach_unavailable');
    expect(failed.headers['retry-after']).toBe('30');
    expect((await t.database.db.select().from(coachTurns).where(eq(coachTurns.userId, ann.user.id))).map((r) => r.status)).toEqual(['failed']);
    expect((await call(t.app, 'GET', '/v1/coach/turns', { token: ann.accessToken })).json().items).toEqual([]);
    expect(await turnsUsed(ann)).toBe(0);
    const retry = await send();
    expect(retry.statusCode, retry.body).toBe(201);
    expect(await turnsUsed(ann)).toBe(1);
    expect(fake.received).toHaveLength(2);
  });
});

describe('Mirror on a provider', () => {
  it('sends the provider nothing of a draft the safety precheck matches, and still answers my message', async () => {
    const ann = await registerUser(t.app);
    const draft = await createDraft(t.app, ann, { title: 'Hard days', initialSegment: 'Some nights I want to die.' });
    const session = (await call(t.app, 'POST', '/v1/coach/mirror/sessions', { token: ann.accessToken, body: { draftId: draft.id } })).json() as MirrorSession;
    fake.then({ text: 'That sounds like a lot to carry.' });
    const res = await call(t.app, 'POST', `/v1/coach/mirror/sessions/${session.id}/messages`, { token: ann.accessToken, body: { content: 'How does my draft read?' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().reply).toMatchObject({ content: 'That sounds like a lot to carry.', provider: 'openai', safety: null });
    expect(fake.received).toHaveLength(1);
    const sent = JSON.stringify(fake.received[0]!.body);
    expect(sent).toContain('How does my draft read?');
    expect(sent).not.toContain('Hard days');
    expect(sent).not.toContain('want to die');
  });

  it('keeps a reply the provider cut midway as far as it got, with complete: false', async () => {
    const ann = await registerUser(t.app);
    const session = await startSession(ann);
    fake.then({ text: 'one two three four five six', cutAfterChunks: 3 });
    const events: SseEvent[] = [];
    for await (const event of readEvents((await streamed(ann, session.id, 'hello', {})).body!)) events.push(event);
    expect(events.map((e) => e.event)).toEqual(['message', 'delta', 'delta', 'done']);
    expect(events.at(-1)!.data).toMatchObject({ content: 'one two ', complete: false, provider: 'openai' });
  });

  it('cancels the call when I leave half-way, keeps the reply so far with complete: false, and holds its key meanwhile', async () => {
    const ann = await registerUser(t.app);
    const session = await startSession(ann);
    fake.then({ text: 'one two three four five six', holdAfterChunks: 3 });
    const leave = new AbortController();
    const headers = { 'idempotency-key': 'leaving' };
    const res = await streamed(ann, session.id, 'hello', headers, leave.signal);
    const seen: string[] = [];
    for await (const event of readEvents(res.body!)) {
      seen.push(event.event);
      if (seen.filter((e) => e === 'delta').length === 2) break;
    }
    expect(seen).toEqual(['message', 'delta', 'delta']);
    const again = await call(t.app, 'POST', `/v1/coach/mirror/sessions/${session.id}/messages`, { token: ann.accessToken, body: { content: 'hello' }, headers: { ...headers, accept: 'text/event-stream' } });
    expectProblem(again, 409, 'idempotency_in_progress');
    leave.abort();

    const reply = await vi.waitFor(async () => {
      const rows = await t.database.db.select().from(mirrorMessages).where(eq(mirrorMessages.sessionId, session.id));
      const coach = rows.find((m) => m.role === 'coach');
      if (!coach) throw new Error('no reply stored yet');
      return coach;
    });
    expect(reply).toMatchObject({ content: 'one two ', complete: false, provider: 'openai' });
    const usage = await t.database.db.select().from(aiUsage).where(eq(aiUsage.userId, ann.user.id));
    expect(usage.map((u) => u.outcome)).toEqual(['cancelled']);
    const listed = (await call(t.app, 'GET', `/v1/coach/mirror/sessions/${session.id}/messages`, { token: ann.accessToken })).json().items as MirrorMessage[];
    expect(listed.map((m) => [m.role, m.complete])).toEqual([
      ['user', true],
      ['coach', false],
    ]);
  });
});
