import { describe, expect, it } from 'vitest';
import type { Draft, Segment } from '../../src/contract/drafts.js';
import type { DraftEvent } from '../../src/contract/events.js';
import { addCollaborator, call, createDraft, expectProblem, passRing, registerUser, type Account } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();

const withIfMatch = (ifMatch: string | undefined, headers: Record<string, string> = {}) =>
  ifMatch === undefined ? headers : { 'if-match': ifMatch, ...headers };

const edit = (who: Account, draftId: string, segmentId: string, content: string, ifMatch?: string, headers?: Record<string, string>) =>
  call(t.app, 'PATCH', `/v1/drafts/${draftId}/segments/${segmentId}`, { token: who.accessToken, body: { content }, headers: withIfMatch(ifMatch, headers) });
const remove = (who: Account, draftId: string, segmentId: string, ifMatch?: string, headers?: Record<string, string>) =>
  call(t.app, 'DELETE', `/v1/drafts/${draftId}/segments/${segmentId}`, { token: who.accessToken, headers: withIfMatch(ifMatch, headers) });
const reorder = (who: Account, draftId: string, order: string[], ifMatch?: string, headers?: Record<string, string>) =>
  call(t.app, 'POST', `/v1/drafts/${draftId}/segments/reorder`, { token: who.accessToken, body: { order }, headers: withIfMatch(ifMatch, headers) });
const append = (who: Account, draftId: string, content: string) =>
  call(t.app, 'POST', `/v1/drafts/${draftId}/segments`, { token: who.accessToken, body: { content } });

async function draftOf(who: Account, draftId: string): Promise<Draft> {
  const res = await call(t.app, 'GET', `/v1/drafts/${draftId}`, { token: who.accessToken });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Draft;
}

async function eventsOf(who: Account, draftId: string): Promise<DraftEvent[]> {
  return (await call(t.app, 'GET', `/v1/drafts/${draftId}/events?limit=1000`, { token: who.accessToken })).json().events as DraftEvent[];
}

/** A draft of the owner's with these segments, in order. */
async function thread(owner: Account, contents: string[], platform = 'x'): Promise<{ draft: Draft; segments: Segment[] }> {
  const draft = await createDraft(t.app, owner, { platform });
  for (const content of contents) expect((await append(owner, draft.id, content)).statusCode).toBe(201);
  return { draft, segments: (await draftOf(owner, draft.id)).segments };
}

const contentsOf = (draft: Draft) => draft.segments.map((s) => s.content);
const positionsOf = (draft: Draft) => draft.segments.map((s) => s.position);

describe('editing a segment', () => {
  it('replaces the text, counts the revision up and answers it as the ETag, recording one segment.edited', async () => {
    const owner = await registerUser(t.app, { displayName: 'Frodo' });
    const { draft, segments } = await thread(owner, ['one', 'two']);
    const before = await draftOf(owner, draft.id);
    t.clock.advance(60_000);
    const res = await edit(owner, draft.id, segments[1]!.id, 'two, better', '"1"');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.json()).toEqual({ ...segments[1], content: 'two, better', revision: 2, editedAt: '2026-03-01T09:01:00.000Z' });

    const after = await draftOf(owner, draft.id);
    expect(after.segments).toEqual([segments[0], res.json()]);
    expect(after.lastServerSeq).toBe(before.lastServerSeq + 1);
    expect((await eventsOf(owner, draft.id)).at(-1)).toEqual({
      serverSeq: before.lastServerSeq + 1,
      type: 'segment.edited',
      payload: {
        segmentId: segments[1]!.id,
        before: { revision: 1, content: 'two' },
        after: { revision: 2, content: 'two, better' },
        editedAt: '2026-03-01T09:01:00.000Z',
      },
      actor: { userId: owner.user.id, displayName: 'Frodo' },
      createdAt: '2026-03-01T09:01:00.000Z',
    });
    // The bare number and `*` name a revision too.
    expect((await edit(owner, draft.id, segments[1]!.id, 'two, again', '2')).json().revision).toBe(3);
    expect((await edit(owner, draft.id, segments[1]!.id, 'two, at last', '*')).json()).toMatchObject({ revision: 4, content: 'two, at last' });
  });

  it('changes nothing for the text the segment already has, whatever If-Match names', async () => {
    const owner = await registerUser(t.app);
    const { draft, segments } = await thread(owner, ['one']);
    await edit(owner, draft.id, segments[0]!.id, 'one more', '"1"');
    const before = await draftOf(owner, draft.id);
    for (const ifMatch of ['"2"', '"1"']) {
      const res = await edit(owner, draft.id, segments[0]!.id, 'one more', ifMatch);
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"2"');
      expect(res.json()).toEqual(before.segments[0]);
    }
    expect(await draftOf(owner, draft.id)).toEqual(before);
  });

  it('refuses an edit based on an older revision with 412, naming the segment as it is now, and changes nothing', async () => {
    const owner = await registerUser(t.app);
    const { draft, segments } = await thread(owner, ['one']);
    const segmentId = segments[0]!.id;
    // Two devices read revision 1; the first one's edit lands.
    expect((await edit(owner, draft.id, segmentId, 'from the laptop', '"1"')).statusCode).toBe(200);
    const before = await draftOf(owner, draft.id);
    const stale = expectProblem(await edit(owner, draft.id, segmentId, 'from the phone', '"1"'), 412, 'precondition_failed');
    expect(stale.current).toEqual(before.segments[0]);
    expect(stale.current).toMatchObject({ content: 'from the laptop', revision: 2 });
    expectProblem(await edit(owner, draft.id, segmentId, 'from the future', '"7"'), 412, 'precondition_failed');
    expect(await draftOf(owner, draft.id)).toEqual(before);
  });

  it('asks for If-Match: 428 without one, 400 naming the header for one it cannot read', async () => {
    const owner = await registerUser(t.app);
    const { draft, segments } = await thread(owner, ['one']);
    const before = await draftOf(owner, draft.id);
    expectProblem(await edit(owner, draft.id, segments[0]!.id, 'changed'), 428, 'precondition_required');
    for (const bad of ['one', '"1', '1"', '"1",', 'w/"1"', '""', '-1', '1.5', '2147483648', '99999999999', '"1", *']) {
      const problem = expectProblem(await edit(owner, draft.id, segments[0]!.id, 'changed', bad), 400, 'validation_failed');
      expect(problem.errors, bad).toEqual([{ path: 'headers.if-match', message: expect.any(String) }]);
    }
    expect(await draftOf(owner, draft.id)).toEqual(before);
  });

  it('compares If-Match strongly: a weak tag never matches, a list matches any strong tag in it', async () => {
    const owner = await registerUser(t.app);
    const { draft, segments } = await thread(owner, ['one']);
    const segmentId = segments[0]!.id;
    const weak = expectProblem(await edit(owner, draft.id, segmentId, 'changed', 'W/"1"'), 412, 'precondition_failed');
    expect(weak.current).toMatchObject({ content: 'one', revision: 1 });
    const listed = await edit(owner, draft.id, segmentId, 'changed', '"7", W/"2", "1"');
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json()).toMatchObject({ content: 'changed', revision: 2 });
  });

  it('needs membership, the ring and an editable draft, and a segment of this draft', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const { draft, segments } = await thread(owner, ['one']);
    const other = await thread(owner, ['elsewhere']);
    await addCollaborator(t.app, owner, draft.id, sam);
    const segmentId = segments[0]!.id;

    expectProblem(await edit(stranger, draft.id, segmentId, 'mine now', '"1"'), 404, 'draft_not_found');
    expectProblem(await edit(sam, draft.id, segmentId, 'without the ring', '"1"'), 403, 'ring_required');
    expectProblem(await edit(owner, draft.id, '01a200cb-3f70-74d5-8e75-7a0ac9ba7b91', 'nowhere', '"1"'), 404, 'segment_not_found');
    expectProblem(await edit(owner, draft.id, other.segments[0]!.id, 'another draft', '"1"'), 404, 'segment_not_found');
    expectProblem(await edit(owner, draft.id, 'not-a-uuid', 'bad id', '"1"'), 400, 'validation_failed');

    await passRing(t.app, owner, draft.id, sam);
    expectProblem(await edit(owner, draft.id, segmentId, 'the owner without the ring', '"1"'), 403, 'ring_required');
    expect((await edit(sam, draft.id, segmentId, 'sam holds the ring', '"1"')).statusCode).toBe(200);

    await call(t.app, 'POST', `/v1/drafts/${draft.id}/ring/take`, { token: owner.accessToken });
    await call(t.app, 'POST', `/v1/drafts/${draft.id}/publish`, { token: owner.accessToken });
    expectProblem(await edit(owner, draft.id, segmentId, 'after publishing', '"2"'), 409, 'draft_not_editable');
    expect((await draftOf(owner, draft.id)).segments[0]!.content).toBe('sam holds the ring');
  });

  it("checks the text as the draft's platform counts it", async () => {
    const owner = await registerUser(t.app);
    const { draft, segments } = await thread(owner, ['one'], 'x');
    for (const content of [' \n\t ', 'y'.repeat(281), 'bell\u0007']) {
      const problem = expectProblem(await edit(owner, draft.id, segments[0]!.id, content, '"1"'), 400, 'validation_failed');
      expect(problem.errors).toEqual([{ path: 'body.content', message: expect.any(String) }]);
    }
    expect((await edit(owner, draft.id, segments[0]!.id, 'y'.repeat(280), '"1"')).statusCode).toBe(200);
  });
});

describe('deleting a segment', () => {
  it('removes it, moves the later ones up a place and records one segment.deleted', async () => {
    const owner = await registerUser(t.app);
    const { draft, segments } = await thread(owner, ['a', 'b', 'c', 'd', 'e']);
    const before = await draftOf(owner, draft.id);
    const res = await remove(owner, draft.id, segments[1]!.id, '"1"');
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    const after = await draftOf(owner, draft.id);
    expect(contentsOf(after)).toEqual(['a', 'c', 'd', 'e']);
    expect(positionsOf(after)).toEqual([0, 1, 2, 3]);
    expect(after.lastServerSeq).toBe(before.lastServerSeq + 1);
    expect((await eventsOf(owner, draft.id)).at(-1)).toMatchObject({
      type: 'segment.deleted',
      payload: { segmentId: segments[1]!.id, position: 1, revision: 1 },
      actor: { userId: owner.user.id },
    });
    // The count moved with it: the next append takes the next dense place, and the list counts four.
    expect((await append(owner, draft.id, 'f')).json().position).toBe(4);
    const summary = (await call(t.app, 'GET', '/v1/drafts', { token: owner.accessToken })).json().items[0];
    expect(summary.segmentCount).toBe(5);
    expectProblem(await remove(owner, draft.id, segments[1]!.id, '"1"'), 404, 'segment_not_found');
  });

  it('deletes the first and the last segment, and an only one', async () => {
    const owner = await registerUser(t.app);
    const { draft, segments } = await thread(owner, ['a', 'b', 'c']);
    expect((await remove(owner, draft.id, segments[0]!.id, '1')).statusCode).toBe(204);
    expect((await remove(owner, draft.id, segments[2]!.id, '*')).statusCode).toBe(204);
    expect((await draftOf(owner, draft.id)).segments).toMatchObject([{ content: 'b', position: 0 }]);
    expect((await remove(owner, draft.id, segments[1]!.id, '"1"')).statusCode).toBe(204);
    expect((await draftOf(owner, draft.id)).segments).toEqual([]);
    const summary = (await call(t.app, 'GET', '/v1/drafts', { token: owner.accessToken })).json().items[0];
    expect(summary).toMatchObject({ segmentCount: 0, openingWords: '' });
  });

  it('refuses a stale revision with 412 naming the segment, no If-Match with 428, and the same people and states as an edit', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const { draft, segments } = await thread(owner, ['a', 'b']);
    await addCollaborator(t.app, owner, draft.id, sam);
    await edit(owner, draft.id, segments[0]!.id, 'a, edited', '"1"');
    const before = await draftOf(owner, draft.id);
    const stale = expectProblem(await remove(owner, draft.id, segments[0]!.id, '"1"'), 412, 'precondition_failed');
    expect(stale.current).toEqual(before.segments[0]);
    expectProblem(await remove(owner, draft.id, segments[0]!.id), 428, 'precondition_required');
    expectProblem(await remove(owner, draft.id, segments[0]!.id, 'two'), 400, 'validation_failed');
    expectProblem(await remove(stranger, draft.id, segments[0]!.id, '"2"'), 404, 'draft_not_found');
    expectProblem(await remove(sam, draft.id, segments[0]!.id, '"2"'), 403, 'ring_required');
    expectProblem(await remove(owner, draft.id, '01a200cb-3f70-74d5-8e75-7a0ac9ba7b91', '"1"'), 404, 'segment_not_found');
    await call(t.app, 'POST', `/v1/drafts/${draft.id}/archive`, { token: owner.accessToken });
    expectProblem(await remove(owner, draft.id, segments[0]!.id, '"2"'), 409, 'draft_not_editable');
    expect((await draftOf(owner, draft.id)).segments).toEqual(before.segments);
  });
});

describe('reordering the thread', () => {
  it('puts the segments in the order given, records one segments.reordered and answers the draft with its ETag', async () => {
    const owner = await registerUser(t.app);
    const { draft, segments } = await thread(owner, ['a', 'b', 'c', 'd', 'e']);
    const read = await call(t.app, 'GET', `/v1/drafts/${draft.id}`, { token: owner.accessToken });
    expect(read.headers.etag).toBe(`"${read.json().lastServerSeq}"`);
    // A rotation: every segment moves, each onto a place another one holds.
    const order = [...segments.slice(1), segments[0]!].map((s) => s.id);
    const res = await reorder(owner, draft.id, order, read.headers.etag as string);
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json() as Draft;
    expect(contentsOf(after)).toEqual(['b', 'c', 'd', 'e', 'a']);
    expect(positionsOf(after)).toEqual([0, 1, 2, 3, 4]);
    expect(after.lastServerSeq).toBe(read.json().lastServerSeq + 1);
    expect(res.headers.etag).toBe(`"${after.lastServerSeq}"`);
    expect(await draftOf(owner, draft.id)).toEqual(after);
    expect((await eventsOf(owner, draft.id)).at(-1)).toMatchObject({ serverSeq: after.lastServerSeq, type: 'segments.reordered', payload: { order } });

    // Swapping two neighbours, then reversing the whole thread.
    const swapped = [order[1]!, order[0]!, ...order.slice(2)];
    expect(contentsOf((await reorder(owner, draft.id, swapped, res.headers.etag as string)).json())).toEqual(['c', 'b', 'd', 'e', 'a']);
    const reversed = (await reorder(owner, draft.id, [...swapped].reverse(), '*')).json() as Draft;
    expect(contentsOf(reversed)).toEqual(['a', 'e', 'd', 'b', 'c']);
    expect(positionsOf(reversed)).toEqual([0, 1, 2, 3, 4]);
    expect((await append(owner, draft.id, 'f')).json().position).toBe(5);
  });

  it('changes nothing for the order the thread already has', async () => {
    const owner = await registerUser(t.app);
    const { draft, segments } = await thread(owner, ['a', 'b']);
    const before = await draftOf(owner, draft.id);
    const res = await reorder(owner, draft.id, segments.map((s) => s.id), '"1"');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(before);
    expect(await draftOf(owner, draft.id)).toEqual(before);
  });

  it('refuses an order based on an older lastServerSeq with 412, naming the current order', async () => {
    const owner = await registerUser(t.app);
    const { draft, segments } = await thread(owner, ['a', 'b']);
    const seen = (await draftOf(owner, draft.id)).lastServerSeq;
    const added = (await append(owner, draft.id, 'c')).json() as Segment;
    const before = await draftOf(owner, draft.id);
    const stale = expectProblem(await reorder(owner, draft.id, [segments[1]!.id, segments[0]!.id], `"${seen}"`), 412, 'precondition_failed');
    expect(stale.current).toEqual({ lastServerSeq: before.lastServerSeq, order: [segments[0]!.id, segments[1]!.id, added.id] });
    expectProblem(await reorder(owner, draft.id, [added.id, segments[1]!.id, segments[0]!.id]), 428, 'precondition_required');
    expect(await draftOf(owner, draft.id)).toEqual(before);
  });

  it('refuses anything but every segment of the draft exactly once with 400 naming body.order', async () => {
    const owner = await registerUser(t.app);
    const { draft, segments } = await thread(owner, ['a', 'b', 'c']);
    const other = await thread(owner, ['elsewhere']);
    const [a, b, c] = segments.map((s) => s.id) as [string, string, string];
    const before = await draftOf(owner, draft.id);
    for (const order of [[a, b], [c, b, a, a], [c, b, b], [c, b, other.segments[0]!.id], [], [c, b, a, other.segments[0]!.id]]) {
      const problem = expectProblem(await reorder(owner, draft.id, order, '*'), 400, 'validation_failed');
      expect(problem.errors, JSON.stringify(order)).toEqual([{ path: 'body.order', message: expect.any(String) }]);
    }
    expectProblem(await reorder(owner, draft.id, ['not-a-uuid'], '*'), 400, 'validation_failed');
    expect(await draftOf(owner, draft.id)).toEqual(before);
  });

  it('needs membership, the ring and an editable draft', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const { draft, segments } = await thread(owner, ['a', 'b']);
    await addCollaborator(t.app, owner, draft.id, sam);
    const order = [segments[1]!.id, segments[0]!.id];
    expectProblem(await reorder(stranger, draft.id, order, '*'), 404, 'draft_not_found');
    expectProblem(await reorder(sam, draft.id, order, '*'), 403, 'ring_required');
    await call(t.app, 'POST', `/v1/drafts/${draft.id}/publish`, { token: owner.accessToken });
    expectProblem(await reorder(owner, draft.id, order, '*'), 409, 'draft_not_editable');
  });
});

describe('Idempotency-Key on thread edits', () => {
  it('edits, reorders and deletes once however often a request is retried, replaying the first answer and its ETag', async () => {
    const owner = await registerUser(t.app);
    const { draft, segments } = await thread(owner, ['a', 'b']);
    const key = (k: string) => ({ 'idempotency-key': k });

    const edited = await edit(owner, draft.id, segments[0]!.id, 'a, edited', '"1"', key('edit-1'));
    const editedAgain = await edit(owner, draft.id, segments[0]!.id, 'a, edited', '"1"', key('edit-1'));
    expect(editedAgain.statusCode).toBe(200);
    expect(editedAgain.headers['idempotent-replayed']).toBe('true');
    expect(editedAgain.body).toBe(edited.body);
    expect(editedAgain.headers.etag).toBe('"2"');

    const order = [segments[1]!.id, segments[0]!.id];
    const seq = (await draftOf(owner, draft.id)).lastServerSeq;
    const reordered = await reorder(owner, draft.id, order, `"${seq}"`, key('reorder-1'));
    const reorderedAgain = await reorder(owner, draft.id, order, `"${seq}"`, key('reorder-1'));
    expect(reorderedAgain.body).toBe(reordered.body);
    expect(reorderedAgain.headers.etag).toBe(`"${seq + 1}"`);

    const deleted = await remove(owner, draft.id, segments[1]!.id, '"1"', key('delete-1'));
    const deletedAgain = await remove(owner, draft.id, segments[1]!.id, '"1"', key('delete-1'));
    expect([deleted.statusCode, deletedAgain.statusCode]).toEqual([204, 204]);
    expect(deletedAgain.headers['idempotent-replayed']).toBe('true');

    const types = (await eventsOf(owner, draft.id)).map((e) => e.type);
    expect(types.filter((type) => ['segment.edited', 'segments.reordered', 'segment.deleted'].includes(type))).toEqual([
      'segment.edited',
      'segments.reordered',
      'segment.deleted',
    ]);
    expect((await draftOf(owner, draft.id)).segments).toMatchObject([{ content: 'a, edited', position: 0, revision: 2 }]);
  });

  it('counts If-Match as part of the request: the same key with another one is 422, a refusal is replayed', async () => {
    const owner = await registerUser(t.app);
    const { draft, segments } = await thread(owner, ['a']);
    const key = { 'idempotency-key': 'edit-a' };
    const missing = await edit(owner, draft.id, segments[0]!.id, 'a, edited', undefined, key);
    expectProblem(missing, 428, 'precondition_required');
    const replayed = await edit(owner, draft.id, segments[0]!.id, 'a, edited', undefined, key);
    expect([replayed.statusCode, replayed.body, replayed.headers['idempotent-replayed']]).toEqual([428, missing.body, 'true']);
    expectProblem(await edit(owner, draft.id, segments[0]!.id, 'a, edited', '"1"', key), 422, 'idempotency_key_reused');
    expect((await edit(owner, draft.id, segments[0]!.id, 'a, edited', '"1"', { 'idempotency-key': 'edit-a-2' })).statusCode).toBe(200);
  });
});
