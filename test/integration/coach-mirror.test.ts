import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { MIRROR_MAX_MESSAGES, type MirrorExchange, type MirrorMessage, type MirrorSession } from '../../src/contract/coach.js';
import { mirrorMessages, mirrorSessions } from '../../src/server/db/schema/index.js';
import { addCollaborator, call, createDraft, expectProblem, registerUser, type Account } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';
import { allowEntitlement } from '../helpers/plans.js';
import { parseEvents, readEvents, type SseEvent } from '../helpers/sse.js';

const t = useTestApp();
let listening: string | null = null;

afterEach(() => {
  listening = null;
});

/** The app on a real port, for what only a real connection shows (streams, a client that leaves). */
async function baseUrl(): Promise<string> {
  listening ??= await t.app.listen({ host: '127.0.0.1', port: 0 });
  return listening;
}

async function startSession(who: Account, body: Record<string, unknown> = {}): Promise<MirrorSession> {
  const res = await call(t.app, 'POST', '/v1/coach/mirror/sessions', { token: who.accessToken, body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as MirrorSession;
}

const send = (who: Account, sessionId: string, content: string, headers: Record<string, string> = {}) =>
  call(t.app, 'POST', `/v1/coach/mirror/sessions/${sessionId}/messages`, { token: who.accessToken, body: { content }, headers });

const messagesOf = async (who: Account, sessionId: string) =>
  (await call(t.app, 'GET', `/v1/coach/mirror/sessions/${sessionId}/messages?limit=100`, { token: who.accessToken })).json().items as MirrorMessage[];

/** Sends a message over a real connection asking for an event stream. */
async function sendStreamed(who: Account, sessionId: string, content: string, init: { headers?: Record<string, string>; signal?: AbortSignal } = {}) {
  return fetch(`${await baseUrl()}/v1/coach/mirror/sessions/${sessionId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${who.accessToken}`, 'content-type': 'application/json', accept: 'text/event-stream', ...init.headers },
    body: JSON.stringify({ content }),
    ...(init.signal ? { signal: init.signal } : {}),
  });
}

async function allEvents(res: Response): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const event of readEvents(res.body!)) events.push(event);
  return events;
}

describe('Mirror sessions', () => {
  it('creates, lists by last activity, reads and deletes my sessions; someone else\'s is 404', async () => {
    const ann = await registerUser(t.app);
    const bob = await registerUser(t.app);
    const first = await startSession(ann, { title: 'Morning pages' });
    t.clock.advance(1000);
    const second = await startSession(ann);
    expect(first).toMatchObject({ title: 'Morning pages', draftId: null, messageCount: 0 });
    expect(second.title).toBe('Reflection');
    t.clock.advance(1000);
    expect((await send(ann, first.id, 'What did I learn this week?')).statusCode).toBe(201);
    const list = (await call(t.app, 'GET', '/v1/coach/mirror/sessions?limit=1', { token: ann.accessToken })).json();
    expect(list.items.map((s: MirrorSession) => s.id)).toEqual([first.id]);
    const rest = (await call(t.app, 'GET', `/v1/coach/mirror/sessions?limit=1&cursor=${list.nextCursor}`, { token: ann.accessToken })).json();
    expect(rest).toEqual({ items: [second], nextCursor: null });
    expect((await call(t.app, 'GET', `/v1/coach/mirror/sessions/${first.id}`, { token: ann.accessToken })).json()).toMatchObject({ messageCount: 2 });

    for (const [method, url] of [
      ['GET', `/v1/coach/mirror/sessions/${first.id}`],
      ['GET', `/v1/coach/mirror/sessions/${first.id}/messages`],
      ['DELETE', `/v1/coach/mirror/sessions/${first.id}`],
    ] as const) {
      expectProblem(await call(t.app, method, url, { token: bob.accessToken }), 404, 'mirror_session_not_found');
    }
    expectProblem(await send(bob, first.id, 'hello'), 404, 'mirror_session_not_found');
    expect((await call(t.app, 'GET', '/v1/coach/mirror/sessions', { token: bob.accessToken })).json()).toEqual({ items: [], nextCursor: null });

    expect((await call(t.app, 'DELETE', `/v1/coach/mirror/sessions/${first.id}`, { token: ann.accessToken })).statusCode).toBe(204);
    expectProblem(await call(t.app, 'GET', `/v1/coach/mirror/sessions/${first.id}`, { token: ann.accessToken }), 404, 'mirror_session_not_found');
    expect(await t.database.db.select().from(mirrorMessages).where(eq(mirrorMessages.sessionId, first.id))).toEqual([]);
  });

  it('is about one of my drafts only: a draft I am not on is 404; leaving the draft hides it', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app);
    const draft = await createDraft(t.app, owner, { title: 'Launch week', initialSegment: 'We shipped it.' });
    expectProblem(await call(t.app, 'POST', '/v1/coach/mirror/sessions', { token: sam.accessToken, body: { draftId: draft.id } }), 404, 'draft_not_found');
    await addCollaborator(t.app, owner, draft.id, sam);
    const session = await startSession(sam, { draftId: draft.id });
    expect(session).toMatchObject({ title: 'Launch week', draftId: draft.id });
    const left = await call(t.app, 'DELETE', `/v1/drafts/${draft.id}/collaborators/${sam.user.id}`, { token: sam.accessToken });
    expect(left.statusCode, left.body).toBe(204);
    expect((await call(t.app, 'GET', `/v1/coach/mirror/sessions/${session.id}`, { token: sam.accessToken })).json()).toMatchObject({ draftId: null });
    expect((await send(sam, session.id, 'How did the launch feel?')).statusCode).toBe(201);
  });

  it('refuses past coach.mirror_sessions_per_week with 403 quota_exceeded, writing nothing', async () => {
    const ann = await registerUser(t.app);
    await allowEntitlement(t.database.db, ann.user.id, 'coach.mirror_sessions_per_week', 0, t.clock.now());
    expectProblem(await call(t.app, 'POST', '/v1/coach/mirror/sessions', { token: ann.accessToken, body: {} }), 403, 'quota_exceeded');
    expect(await t.database.db.select().from(mirrorSessions).where(eq(mirrorSessions.userId, ann.user.id))).toEqual([]);
  });

  it('still counts a deleted session in its week: deleting frees no slot, and keeps none of what was said', async () => {
    const ann = await registerUser(t.app);
    await allowEntitlement(t.database.db, ann.user.id, 'coach.mirror_sessions_per_week', 1, t.clock.now());
    const session = await startSession(ann, { title: 'Private thoughts' });
    expect((await send(ann, session.id, 'Something I only said here')).statusCode).toBe(201);
    expect((await call(t.app, 'DELETE', `/v1/coach/mirror/sessions/${session.id}`, { token: ann.accessToken })).statusCode).toBe(204);
    expectProblem(await call(t.app, 'DELETE', `/v1/coach/mirror/sessions/${session.id}`, { token: ann.accessToken }), 404, 'mirror_session_not_found');
    expectProblem(await send(ann, session.id, 'Still there?'), 404, 'mirror_session_not_found');
    expect((await call(t.app, 'GET', '/v1/coach/mirror/sessions', { token: ann.accessToken })).json()).toEqual({ items: [], nextCursor: null });

    expectProblem(await call(t.app, 'POST', '/v1/coach/mirror/sessions', { token: ann.accessToken, body: {} }), 403, 'quota_exceeded');
    const [kept] = await t.database.db.select().from(mirrorSessions).where(eq(mirrorSessions.userId, ann.user.id));
    expect(kept).toMatchObject({ id: session.id, title: '', draftId: null, deletedAt: t.clock.now() });
    expect(await t.database.db.select().from(mirrorMessages).where(eq(mirrorMessages.sessionId, session.id))).toEqual([]);
    const status = (await call(t.app, 'GET', '/v1/me/entitlements', { token: ann.accessToken })).json();
    expect(status.entitlements.find((e: { key: string }) => e.key === 'coach.mirror_sessions_per_week')).toMatchObject({ used: 1 });
  });
});

describe('Mirror messages', () => {
  it('answers the message and the reply as JSON, and lists them oldest first', async () => {
    const ann = await registerUser(t.app);
    const session = await startSession(ann);
    const res = await send(ann, session.id, 'I keep rewriting my first line.');
    expect(res.statusCode, res.body).toBe(201);
    const exchange = res.json() as MirrorExchange;
    expect(exchange.message).toMatchObject({ role: 'user', content: 'I keep rewriting my first line.', provider: null, safety: null, complete: true });
    expect(exchange.reply).toMatchObject({ role: 'coach', provider: 'local', fallback: false, complete: true, safety: null });
    expect(exchange.reply.content.length).toBeGreaterThan(0);
    expect(await messagesOf(ann, session.id)).toEqual([exchange.message, exchange.reply]);
    expect(t.logs.lines.join('\n')).not.toContain('rewriting my first line');
  });

  it('streams the exchange as Server-Sent Events: message, deltas, then done with the stored reply', async () => {
    const ann = await registerUser(t.app);
    const session = await startSession(ann);
    const res = await sendStreamed(ann, session.id, 'Why do I stall at the second post?');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = await allEvents(res);
    expect(events[0]).toMatchObject({ event: 'message', data: { role: 'user', content: 'Why do I stall at the second post?' } });
    const deltas = events.slice(1, -1);
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.every((e) => e.event === 'delta')).toBe(true);
    const done = events.at(-1)!;
    expect(done).toMatchObject({ event: 'done', data: { role: 'coach', complete: true, provider: 'local' } });
    expect(deltas.map((e) => (e.data as { text: string }).text).join('')).toBe((done.data as MirrorMessage).content);
    expect(await messagesOf(ann, session.id)).toEqual([events[0]!.data, done.data]);
  });

  it('answers a safety match with the notice as the coach\'s message, without a model call', async () => {
    const ann = await registerUser(t.app);
    const session = await startSession(ann);
    const exchange = (await send(ann, session.id, "i'm worthless at this")).json() as MirrorExchange;
    expect(exchange.reply).toMatchObject({ role: 'coach', provider: null, safety: { category: 'harmful_self_talk' } });
    expect(exchange.reply.content).toBe(exchange.reply.safety!.message);
    const streamed = await allEvents(await sendStreamed(ann, session.id, 'I want to die'));
    expect(streamed.map((e) => e.event)).toEqual(['message', 'done']);
    expect(streamed[1]!.data).toMatchObject({ provider: null, safety: { category: 'crisis' } });
    const stored = await messagesOf(ann, session.id);
    expect(stored.map((m) => m.safety?.category ?? null)).toEqual([null, 'harmful_self_talk', null, 'crisis']);
    // The words held back are not kept, as with a Turn: my message is there, empty, before the notice.
    expect(exchange.message.content).toBe('');
    expect(stored.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['', '']);
    const rows = await t.database.db.select().from(mirrorMessages).where(eq(mirrorMessages.sessionId, session.id));
    expect(JSON.stringify(rows)).not.toMatch(/worthless|want to die/);
  });

  it('refuses a message once the session holds its messages: 409 mirror_session_full, nothing stored', async () => {
    const ann = await registerUser(t.app);
    const session = await startSession(ann);
    await t.database.db.update(mirrorSessions).set({ messageCount: MIRROR_MAX_MESSAGES - 1 }).where(eq(mirrorSessions.id, session.id));
    expectProblem(await send(ann, session.id, 'one more?'), 409, 'mirror_session_full');
    expect(await messagesOf(ann, session.id)).toEqual([]);
  });

  it('takes my message back when no reply could be stored: the session never holds a message without its reply', async () => {
    const ann = await registerUser(t.app);
    const session = await startSession(ann);
    expect((await send(ann, session.id, 'First thought')).statusCode).toBe(201);
    // A database that refuses to store the coach's reply, as a failing disk or a lost connection would.
    await t.database.db.execute(sql`create function refuse_coach_reply() returns trigger language plpgsql as $$
      begin raise exception 'storing the reply failed'; end $$`);
    await t.database.db.execute(sql`create trigger refuse_coach_reply before insert on mirror_messages
      for each row when (new.role = 'coach') execute function refuse_coach_reply()`);
    try {
      expect((await send(ann, session.id, 'Second thought')).statusCode).toBe(500);
      // Streamed, the status is already out when the reply fails: the stream ends with the problem instead of `done`.
      const streamed = await sendStreamed(ann, session.id, 'Second thought');
      expect(streamed.status).toBe(200);
      const events = await allEvents(streamed);
      expect(events[0]!.event).toBe('message');
      expect(events.at(-1)!.event).toBe('error');
      expect(events.at(-1)!.data).toMatchObject({ status: 500, code: 'internal_error' });
      expect(events.filter((e) => e.event === 'done')).toEqual([]);
    } finally {
      await t.database.db.execute(sql`drop trigger refuse_coach_reply on mirror_messages`);
      await t.database.db.execute(sql`drop function refuse_coach_reply()`);
    }
    expect((await messagesOf(ann, session.id)).map((m) => [m.role, m.content.startsWith('First') ? 'first' : m.content])).toEqual([
      ['user', 'first'],
      ['coach', expect.any(String)],
    ]);
    expect((await call(t.app, 'GET', `/v1/coach/mirror/sessions/${session.id}`, { token: ann.accessToken })).json()).toMatchObject({ messageCount: 2 });
    expect((await send(ann, session.id, 'Second thought')).statusCode).toBe(201);
    expect((await messagesOf(ann, session.id)).map((m) => m.role)).toEqual(['user', 'coach', 'user', 'coach']);
  });

  it('starts a session from a request with no body at all, as from an empty one', async () => {
    const ann = await registerUser(t.app);
    const res = await t.app.inject({ method: 'POST', url: '/v1/coach/mirror/sessions', headers: { authorization: `Bearer ${ann.accessToken}` } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ title: 'Reflection', draftId: null });
  });

  it('answers JSON to a client that refuses the event stream (q=0), and a stream to one that asks for it among others', async () => {
    const ann = await registerUser(t.app);
    const session = await startSession(ann);
    const refused = await send(ann, session.id, 'One', { accept: 'text/event-stream;q=0, application/json' });
    expect(refused.statusCode).toBe(201);
    expect(refused.headers['content-type']).toMatch(/^application\/json/);
    const asked = await send(ann, session.id, 'Two', { accept: 'application/json;q=0.5, Text/Event-Stream; q=0.9' });
    expect(asked.statusCode).toBe(200);
    expect(asked.headers['content-type']).toMatch(/^text\/event-stream/);
  });

  it('replays a keyed exchange byte for byte, the event stream included', async () => {
    const ann = await registerUser(t.app);
    const session = await startSession(ann);
    const jsonFirst = await send(ann, session.id, 'Keyed thought', { 'idempotency-key': 'json-1' });
    expect((await send(ann, session.id, 'Keyed thought', { 'idempotency-key': 'json-1' })).body).toBe(jsonFirst.body);

    const headers = { 'idempotency-key': 'sse-1' };
    const first = await sendStreamed(ann, session.id, 'Streamed thought', { headers });
    const firstText = await first.text();
    const replay = await send(ann, session.id, 'Streamed thought', { ...headers, accept: 'text/event-stream' });
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(replay.body).toBe(firstText);
    expect(parseEvents(replay.body).map((e) => e.event).at(-1)).toBe('done');
    expect(await messagesOf(ann, session.id)).toHaveLength(4);
  });

  it('takes a key used for a stream, asked again as JSON (or the other way round), as another request: 422', async () => {
    const ann = await registerUser(t.app);
    const session = await startSession(ann);
    const streamed = await sendStreamed(ann, session.id, 'Asked as a stream', { headers: { 'idempotency-key': 'form-1' } });
    expect(parseEvents(await streamed.text()).at(-1)?.event).toBe('done');
    expectProblem(await send(ann, session.id, 'Asked as a stream', { 'idempotency-key': 'form-1' }), 422, 'idempotency_key_reused');

    expect((await send(ann, session.id, 'Asked as JSON', { 'idempotency-key': 'form-2' })).statusCode).toBe(201);
    expectProblem(await send(ann, session.id, 'Asked as JSON', { 'idempotency-key': 'form-2', accept: 'text/event-stream' }), 422, 'idempotency_key_reused');
    expect(await messagesOf(ann, session.id)).toHaveLength(4);
  });
});
