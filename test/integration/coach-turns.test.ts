import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Turn } from '../../src/contract/coach.js';
import type { DraftEvent } from '../../src/contract/events.js';
import { measurePost } from '../../src/contract/platform-text.js';
import { coachTurns, safetyEvents } from '../../src/server/db/schema/index.js';
import { PENDING_TURN_LEASE_MS } from '../../src/server/features/plans/usage.js';
import { encodeCursor } from '../../src/server/platform/cursor.js';
import { addCollaborator, call, createDraft, expectProblem, passRing, registerUser, type Account } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';
import { allowEntitlement } from '../helpers/plans.js';

const t = useTestApp();

const turn = (who: Account, body: unknown, headers: Record<string, string> = {}) =>
  call(t.app, 'POST', '/v1/coach/turns', { token: who.accessToken, body, headers });

const allow = (who: Account, key: string, value: number) => allowEntitlement(t.database.db, who.user.id, key, value, t.clock.now());

describe('Turn', () => {
  it('answers up to three rewrites of a thought, each within the platform limit, and keeps them in my history', async () => {
    const ann = await registerUser(t.app);
    const res = await turn(ann, { text: 'I finally shipped the thing I was scared to share, and it felt good.', platform: 'bluesky' });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as Turn;
    expect(body).toMatchObject({ platform: 'bluesky', limit: 300, source: null, provider: 'local', fallback: false, safety: null });
    expect(body.suggestions.length).toBeGreaterThanOrEqual(1);
    expect(body.suggestions.length).toBeLessThanOrEqual(3);
    for (const s of body.suggestions) {
      expect(s.length).toBe(measurePost('bluesky', s.text).length);
      expect(s.length).toBeLessThanOrEqual(300);
    }
    expect((await call(t.app, 'GET', `/v1/coach/turns/${body.id}`, { token: ann.accessToken })).json()).toEqual(body);
    const list = await call(t.app, 'GET', '/v1/coach/turns', { token: ann.accessToken });
    expect(list.json()).toEqual({ items: [body], nextCursor: null });
  });

  it('fits every rewrite of a long text to the platform, with the default platform x', async () => {
    const ann = await registerUser(t.app);
    const long = Array.from({ length: 120 }, (_, i) => `step ${i} of a long road`).join(', ');
    const body = (await turn(ann, { text: long.slice(0, 4900) })).json() as Turn;
    expect(body.platform).toBe('x');
    for (const s of body.suggestions) expect(measurePost('x', s.text).over).toBe(false);
  });

  it('turns one word longer than a whole answer, too: cut to fit, not refused', async () => {
    const ann = await registerUser(t.app);
    const res = await turn(ann, { text: 'a'.repeat(3000) });
    expect(res.statusCode, res.body).toBe(201);
    const { suggestions } = res.json() as Turn;
    expect(suggestions.length).toBeGreaterThan(0);
    for (const s of suggestions) expect(measurePost('x', s.text).over).toBe(false);
  });

  it('reframes a post of a draft I am on, for the draft\'s platform; a stranger gets 404 and a deleted post segment_not_found', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const draft = await createDraft(t.app, owner, { platform: 'threads', initialSegment: 'Our first post together' });
    await addCollaborator(t.app, owner, draft.id, sam);
    const segmentId = draft.segments[0]!.id;
    const res = await turn(sam, { draftId: draft.id, segmentId });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ text: 'Our first post together', platform: 'threads', limit: 500, source: { draftId: draft.id, segmentId } });
    expectProblem(await turn(stranger, { draftId: draft.id, segmentId }), 404, 'draft_not_found');
    expectProblem(await turn(sam, { draftId: randomUUID(), segmentId }), 404, 'draft_not_found');
    const removed = await call(t.app, 'DELETE', `/v1/drafts/${draft.id}/segments/${segmentId}`, { token: owner.accessToken, headers: { 'if-match': '"1"' } });
    expect(removed.statusCode, removed.body).toBe(204);
    expectProblem(await turn(sam, { draftId: draft.id, segmentId }), 404, 'segment_not_found');
  });

  it('answers the safety notice instead of rewrites: the text not kept, no turn used, a safety event written', async () => {
    const ann = await registerUser(t.app);
    await allow(ann, 'coach.turns_per_day', 0);
    const res = await turn(ann, { text: 'honestly I want to die' });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as Turn;
    expect(body).toMatchObject({ text: '', suggestions: [], provider: null, safety: { category: 'crisis' } });
    expect(body.safety!.resources.length).toBeGreaterThan(0);
    expect((await call(t.app, 'GET', `/v1/coach/turns/${body.id}`, { token: ann.accessToken })).json()).toEqual(body);
    const [row] = await t.database.db.select().from(coachTurns).where(eq(coachTurns.id, body.id));
    expect(row).toMatchObject({ status: 'safety', text: '' });
    expect(await t.database.db.select().from(safetyEvents).where(eq(safetyEvents.userId, ann.user.id))).toHaveLength(1);
    expect(t.logs.lines.join('\n')).not.toContain('want to die');
  });

  it('refuses a blank text, naming the field', async () => {
    const ann = await registerUser(t.app);
    const body = expectProblem(await turn(ann, { text: ' \u200b\n ' }), 400, 'validation_failed');
    expect(body.errors).toEqual([expect.objectContaining({ path: 'body.text' })]);
  });

  it('names the field to fix in whichever form of the body was meant', async () => {
    const ann = await registerUser(t.app);
    const paths = async (body: unknown) => (expectProblem(await turn(ann, body), 400, 'validation_failed').errors as Array<{ path: string }>).map((e) => e.path);
    expect(await paths({ text: 42 })).toEqual(['body.text']);
    expect(await paths({ text: 'ok', platform: 'myspace' })).toEqual(['body.platform']);
    expect(await paths({ draftId: 'not-an-id', segmentId: randomUUID() })).toEqual(['body.draftId']);
    expect(await paths({ draftId: randomUUID() })).toEqual(['body.segmentId']);
  });

  it('refuses past coach.turns_per_day with 403 quota_exceeded and writes nothing', async () => {
    const ann = await registerUser(t.app);
    await allow(ann, 'coach.turns_per_day', 0);
    expectProblem(await turn(ann, { text: 'A calm thought about my week.' }), 403, 'quota_exceeded');
    expect(await t.database.db.select().from(coachTurns).where(eq(coachTurns.userId, ann.user.id))).toEqual([]);
  });

  it('counts a pending turn only for its lease: a turn whose process died frees its place once the lease is over', async () => {
    const ann = await registerUser(t.app);
    await allow(ann, 'coach.turns_per_day', 1);
    const pending = (age: number) => {
      const createdAt = new Date(t.clock.now().getTime() - age);
      return { id: randomUUID(), userId: ann.user.id, platform: 'x', text: 'A thought', status: 'pending', createdAt, updatedAt: createdAt };
    };
    await t.database.db.insert(coachTurns).values(pending(PENDING_TURN_LEASE_MS - 1));
    expectProblem(await turn(ann, { text: 'One more thought.' }), 403, 'quota_exceeded');
    await t.database.db.delete(coachTurns).where(eq(coachTurns.userId, ann.user.id));
    await t.database.db.insert(coachTurns).values(pending(PENDING_TURN_LEASE_MS));
    expect((await turn(ann, { text: 'One more thought.' })).statusCode).toBe(201);
  });

  it('marks the turn failed when its answer cannot be stored, so it counts nothing', async () => {
    const ann = await registerUser(t.app);
    await allow(ann, 'coach.turns_per_day', 1);
    // A database that refuses to store an answered turn, as a failing disk or a lost connection would.
    await t.database.db.execute(sql`create function refuse_done_turn() returns trigger language plpgsql as $$
      begin raise exception 'storing the answer failed'; end $$`);
    await t.database.db.execute(sql`create trigger refuse_done_turn before update on coach_turns
      for each row when (new.status = 'done') execute function refuse_done_turn()`);
    try {
      expect((await turn(ann, { text: 'A thought worth sharing.' })).statusCode).toBe(500);
    } finally {
      await t.database.db.execute(sql`drop trigger refuse_done_turn on coach_turns`);
      await t.database.db.execute(sql`drop function refuse_done_turn()`);
    }
    const rows = await t.database.db.select().from(coachTurns).where(eq(coachTurns.userId, ann.user.id));
    expect(rows.map((r) => r.status)).toEqual(['failed']);
    expect((await turn(ann, { text: 'A thought worth sharing.' })).statusCode).toBe(201);
  });

  it('lists my turns newest first with a cursor, never someone else\'s; a crafted cursor is 400', async () => {
    const ann = await registerUser(t.app);
    const bob = await registerUser(t.app);
    const ids: string[] = [];
    for (const text of ['one small win', 'two small wins', 'three small wins']) {
      ids.push((await turn(ann, { text })).json().id as string);
      t.clock.advance(1000);
    }
    await turn(bob, { text: 'not yours' });
    const first = (await call(t.app, 'GET', '/v1/coach/turns?limit=2', { token: ann.accessToken })).json();
    expect(first.items.map((i: Turn) => i.id)).toEqual([ids[2], ids[1]]);
    const second = (await call(t.app, 'GET', `/v1/coach/turns?limit=2&cursor=${first.nextCursor}`, { token: ann.accessToken })).json();
    expect(second).toMatchObject({ nextCursor: null });
    expect(second.items.map((i: Turn) => i.id)).toEqual([ids[0]]);
    expectProblem(await call(t.app, 'GET', '/v1/coach/turns?cursor=bm90LWEtY3Vyc29y', { token: ann.accessToken }), 400, 'invalid_cursor');
    const forged = encodeCursor(new Date('2026-02-30T00:00:00.000Z'), ids[0]!).replace(/.$/, 'x');
    expectProblem(await call(t.app, 'GET', `/v1/coach/turns?cursor=${forged}`, { token: ann.accessToken }), 400, 'invalid_cursor');
    expectProblem(await call(t.app, 'GET', `/v1/coach/turns/${ids[0]}`, { token: bob.accessToken }), 404, 'turn_not_found');
  });

  it('replays a keyed turn byte for byte without a second generation', async () => {
    const ann = await registerUser(t.app);
    const headers = { 'idempotency-key': 'turn-1' };
    const first = await turn(ann, { text: 'Trying again tomorrow.' }, headers);
    const again = await turn(ann, { text: 'Trying again tomorrow.' }, headers);
    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(first.body);
    expect(await t.database.db.select().from(coachTurns).where(and(eq(coachTurns.userId, ann.user.id)))).toHaveLength(1);
    expectProblem(await turn(ann, { text: 'Something else.' }, headers), 422, 'idempotency_key_reused');
  });

  it('applying a suggestion is an ordinary edit by the ring holder: the segment changes and an edit event is logged', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app);
    const draft = await createDraft(t.app, owner, { initialSegment: 'my rough first post' });
    await addCollaborator(t.app, owner, draft.id, sam);
    await passRing(t.app, owner, draft.id, sam);
    const segmentId = draft.segments[0]!.id;
    const suggestion = ((await turn(sam, { draftId: draft.id, segmentId })).json() as Turn).suggestions[0]!;
    const edit = await call(t.app, 'PATCH', `/v1/drafts/${draft.id}/segments/${segmentId}`, {
      token: sam.accessToken,
      body: { content: suggestion.text },
      headers: { 'if-match': '"1"' },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json()).toMatchObject({ content: suggestion.text, revision: 2 });
    const events = (await call(t.app, 'GET', `/v1/drafts/${draft.id}/events?limit=1000`, { token: owner.accessToken })).json().events as DraftEvent[];
    expect(events.at(-1)).toMatchObject({ type: 'segment.edited', actor: { userId: sam.user.id } });
  });
});
