import { afterEach, describe, expect, it } from 'vitest';
import type { Draft } from '../../src/contract/drafts.js';
import { addCollaborator, call, createDraft, expectProblem, passRing, registerUser, type Account } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';
import { LiveClient } from '../helpers/live.js';

const t = useTestApp();
const clients: LiveClient[] = [];
afterEach(() => clients.splice(0).forEach((c) => c.close()));

const edit = (who: Account, draftId: string, segmentId: string, content: string, revision: number) =>
  call(t.app, 'PATCH', `/v1/drafts/${draftId}/segments/${segmentId}`, { token: who.accessToken, body: { content }, headers: { 'if-match': `"${revision}"` } });
const remove = (who: Account, draftId: string, segmentId: string, revision: number) =>
  call(t.app, 'DELETE', `/v1/drafts/${draftId}/segments/${segmentId}`, { token: who.accessToken, headers: { 'if-match': `"${revision}"` } });
const append = (who: Account, draftId: string, content: string) =>
  call(t.app, 'POST', `/v1/drafts/${draftId}/segments`, { token: who.accessToken, body: { content } });
const revisions = (who: Account, draftId: string, segmentId: string, query = '') =>
  call(t.app, 'GET', `/v1/drafts/${draftId}/segments/${segmentId}/revisions${query}`, { token: who.accessToken });
const take = (who: Account, draftId: string) => call(t.app, 'POST', `/v1/drafts/${draftId}/ring/take`, { token: who.accessToken });
const draftOf = async (who: Account, draftId: string) => (await call(t.app, 'GET', `/v1/drafts/${draftId}`, { token: who.accessToken })).json() as Draft;

const MINUTE = 60_000;

describe("a segment's revisions", () => {
  it('lists every version newest first with who wrote it and when, the current one included, a page at a time', async () => {
    const owner = await registerUser(t.app, { displayName: 'Frodo' });
    const sam = await registerUser(t.app, { displayName: 'Sam' });
    const draft = await createDraft(t.app, owner, { initialSegment: 'first words' });
    const segmentId = draft.segments[0]!.id;
    await addCollaborator(t.app, owner, draft.id, sam);
    await passRing(t.app, owner, draft.id, sam);
    t.clock.advance(MINUTE);
    await edit(sam, draft.id, segmentId, 'better words', 1);
    t.clock.advance(MINUTE);
    await edit(sam, draft.id, segmentId, 'the best words', 2);

    const frodo = { userId: owner.user.id, displayName: 'Frodo' };
    const samPerson = { userId: sam.user.id, displayName: 'Sam' };
    const all = await revisions(owner, draft.id, segmentId);
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json()).toEqual({
      items: [
        { revision: 3, content: 'the best words', author: samPerson, writtenAt: '2026-03-01T09:02:00.000Z' },
        { revision: 2, content: 'better words', author: samPerson, writtenAt: '2026-03-01T09:01:00.000Z' },
        { revision: 1, content: 'first words', author: frodo, writtenAt: '2026-03-01T09:00:00.000Z' },
      ],
      nextCursor: null,
    });
    const first = (await revisions(sam, draft.id, segmentId, '?limit=2')).json();
    expect(first.items.map((r: { revision: number }) => r.revision)).toEqual([3, 2]);
    const second = (await revisions(sam, draft.id, segmentId, `?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second).toEqual({ items: [all.json().items[2]], nextCursor: null });
    expectProblem(await revisions(sam, draft.id, segmentId, '?cursor=bm9wZQ'), 400, 'invalid_cursor');
  });

  it('keeps them, the last one too, after the segment is deleted', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner, { initialSegment: 'draft one' });
    const segmentId = draft.segments[0]!.id;
    await edit(owner, draft.id, segmentId, 'draft two', 1);
    const before = (await revisions(owner, draft.id, segmentId)).json();
    expect((await remove(owner, draft.id, segmentId, 2)).statusCode).toBe(204);
    expect((await revisions(owner, draft.id, segmentId)).json()).toEqual(before);
    expect(before.items.map((r: { content: string }) => r.content)).toEqual(['draft two', 'draft one']);
    // A segment deleted as it was appended keeps its only version.
    const plain = (await append(owner, draft.id, 'short-lived')).json();
    await remove(owner, draft.id, plain.id, 1);
    expect((await revisions(owner, draft.id, plain.id)).json().items).toMatchObject([{ revision: 1, content: 'short-lived' }]);
  });

  it('answers 404 for a segment that never was in this draft, and for people not on it', async () => {
    const owner = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const draft = await createDraft(t.app, owner, { initialSegment: 'here' });
    const other = await createDraft(t.app, owner, { initialSegment: 'there' });
    expectProblem(await revisions(owner, draft.id, other.segments[0]!.id), 404, 'segment_not_found');
    expectProblem(await revisions(owner, draft.id, '01a200cb-3f70-74d5-8e75-7a0ac9ba7b91'), 404, 'segment_not_found');
    expectProblem(await revisions(stranger, draft.id, draft.segments[0]!.id), 404, 'draft_not_found');
  });
});

describe('attribution with edits', () => {
  it('keeps each segment with its author, counts edits, and lists people who only edited with no segments', async () => {
    const owner = await registerUser(t.app, { displayName: 'Owner' });
    const sam = await registerUser(t.app, { displayName: 'Sam' });
    const pip = await registerUser(t.app, { displayName: 'Pip' });
    const draft = await createDraft(t.app, owner, { initialSegment: 'one' });
    await addCollaborator(t.app, owner, draft.id, sam);
    await addCollaborator(t.app, owner, draft.id, pip);
    t.clock.advance(MINUTE);
    const two = (await append(owner, draft.id, 'two')).json();
    await passRing(t.app, owner, draft.id, sam);
    t.clock.advance(MINUTE);
    await edit(sam, draft.id, draft.segments[0]!.id, 'one, said better', 1);
    t.clock.advance(MINUTE);
    await edit(sam, draft.id, draft.segments[0]!.id, 'one, said best', 2);
    await passRing(t.app, sam, draft.id, pip);
    t.clock.advance(MINUTE);
    await edit(pip, draft.id, two.id, 'two, tidied', 1);
    // Edits to a segment that is later deleted leave the thread with it.
    const three = (await append(pip, draft.id, 'three')).json();
    await edit(pip, draft.id, three.id, 'three, tidied', 1);
    await remove(pip, draft.id, three.id, 2);

    const res = await call(t.app, 'GET', `/v1/drafts/${draft.id}/attribution`, { token: sam.accessToken });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      contributors: [
        { userId: owner.user.id, displayName: 'Owner', segments: 2, edits: 0, firstContributionAt: '2026-03-01T09:00:00.000Z', lastContributionAt: '2026-03-01T09:01:00.000Z' },
        { userId: sam.user.id, displayName: 'Sam', segments: 0, edits: 2, firstContributionAt: '2026-03-01T09:02:00.000Z', lastContributionAt: '2026-03-01T09:03:00.000Z' },
        { userId: pip.user.id, displayName: 'Pip', segments: 0, edits: 1, firstContributionAt: '2026-03-01T09:04:00.000Z', lastContributionAt: '2026-03-01T09:04:00.000Z' },
      ],
    });
  });
});

describe('taking the ring back', () => {
  it('lets the owner take the ring from whoever holds it, recorded as a take', async () => {
    const owner = await registerUser(t.app, { displayName: 'Owner' });
    const sam = await registerUser(t.app, { displayName: 'Sam' });
    const draft = await createDraft(t.app, owner);
    await addCollaborator(t.app, owner, draft.id, sam);
    await passRing(t.app, owner, draft.id, sam);
    t.clock.advance(MINUTE);
    const res = await take(owner, draft.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ ringHolderId: owner.user.id, passedAt: '2026-03-01T09:01:00.000Z' });
    expect((await draftOf(owner, draft.id)).ringHolderId).toBe(owner.user.id);
    const { events } = (await call(t.app, 'GET', `/v1/drafts/${draft.id}/events`, { token: sam.accessToken })).json();
    expect(events.at(-1)).toMatchObject({
      type: 'ring.taken',
      payload: { fromUserId: sam.user.id, toUserId: owner.user.id, passedAt: '2026-03-01T09:01:00.000Z' },
      actor: { userId: owner.user.id },
    });
    const history = (await call(t.app, 'GET', `/v1/drafts/${draft.id}/ring/history`, { token: sam.accessToken })).json();
    expect(history.items.at(-1)).toEqual({
      from: { userId: sam.user.id, displayName: 'Sam' },
      to: { userId: owner.user.id, displayName: 'Owner' },
      passedAt: '2026-03-01T09:01:00.000Z',
      kind: 'take',
    });
  });

  it('is for the owner only, not while they hold it, and not on a closed draft', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    await addCollaborator(t.app, owner, draft.id, sam);
    const before = (await draftOf(owner, draft.id)).lastServerSeq;
    expectProblem(await take(owner, draft.id), 422, 'ring_already_held');
    expectProblem(await take(sam, draft.id), 403, 'owner_required');
    expectProblem(await take(stranger, draft.id), 404, 'draft_not_found');
    await passRing(t.app, owner, draft.id, sam);
    expectProblem(await take(sam, draft.id), 403, 'owner_required');
    await call(t.app, 'POST', `/v1/drafts/${draft.id}/archive`, { token: owner.accessToken });
    expectProblem(await take(owner, draft.id), 409, 'draft_not_editable');
    expect((await draftOf(owner, draft.id)).lastServerSeq).toBe(before + 2);
  });

  it('tells passes, takes and returns apart in the history', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    await addCollaborator(t.app, owner, draft.id, sam);
    await passRing(t.app, owner, draft.id, sam);
    await take(owner, draft.id);
    await passRing(t.app, owner, draft.id, sam);
    await call(t.app, 'DELETE', `/v1/drafts/${draft.id}/collaborators/${sam.user.id}`, { token: sam.accessToken });
    const history = (await call(t.app, 'GET', `/v1/drafts/${draft.id}/ring/history`, { token: owner.accessToken })).json();
    expect(history.items.map((p: { kind: string; to: { userId: string } }) => [p.kind, p.to.userId])).toEqual([
      ['pass', sam.user.id],
      ['take', owner.user.id],
      ['pass', sam.user.id],
      ['return', owner.user.id],
    ]);
  });
});

describe('thread edits, live', () => {
  it('streams edits, deletes, reorders and takes to everyone watching, in order', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app);
    const draft = await createDraft(t.app, owner, { initialSegment: 'a' });
    await addCollaborator(t.app, owner, draft.id, sam);
    const b = (await append(owner, draft.id, 'b')).json();
    const c = (await append(owner, draft.id, 'c')).json();
    const { lastServerSeq } = await draftOf(owner, draft.id);
    const live = await LiveClient.open(t.app, draft.id);
    clients.push(live);
    live.hello(sam.accessToken, lastServerSeq);
    await expect.poll(() => live.frames[0]).toEqual({ type: 'ready', lastServerSeq });

    await edit(owner, draft.id, b.id, 'b, edited', 1);
    await remove(owner, draft.id, draft.segments[0]!.id, 1);
    await call(t.app, 'POST', `/v1/drafts/${draft.id}/segments/reorder`, {
      token: owner.accessToken,
      body: { order: [c.id, b.id] },
      headers: { 'if-match': `"${lastServerSeq + 2}"` },
    });
    await passRing(t.app, owner, draft.id, sam);
    await take(owner, draft.id);

    const types = ['segment.edited', 'segment.deleted', 'segments.reordered', 'ring.passed', 'ring.taken'];
    await expect.poll(() => live.seqs).toEqual(types.map((_, i) => lastServerSeq + 1 + i));
    const events = live.frames.filter((f) => f.type === 'event').map((f) => f.event as { type: string; payload: unknown });
    expect(events.map((e) => e.type)).toEqual(types);
    expect(events[0]!.payload).toMatchObject({ segmentId: b.id, after: { revision: 2, content: 'b, edited' } });
    expect(events[1]!.payload).toEqual({ segmentId: draft.segments[0]!.id, position: 0, revision: 1 });
    expect(events[2]!.payload).toEqual({ order: [c.id, b.id] });
  });
});
