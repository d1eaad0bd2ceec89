import { describe, expect, it } from 'vitest';
import { addCollaborator, call, createDraft, expectProblem, passRing, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();

describe('drafts', () => {
  it('creates a draft with its creator as owner and ring holder, and an optional first segment', async () => {
    const owner = await registerUser(t.app, { displayName: 'Frodo' });
    const res = await call(t.app, 'POST', '/v1/drafts', {
      token: owner.accessToken,
      body: { title: '  There and back  ', platform: 'threads', initialSegment: 'It begins.' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      id: expect.any(String),
      title: 'There and back',
      platform: 'threads',
      status: 'draft',
      ownerId: owner.user.id,
      ringHolderId: owner.user.id,
      collaborators: [{ userId: owner.user.id, displayName: 'Frodo', role: 'owner', joinedAt: '2026-03-01T09:00:00.000Z' }],
      segments: [
        {
          id: expect.any(String),
          position: 0,
          content: 'It begins.',
          authorId: owner.user.id,
          authorDisplay: 'Frodo',
          createdAt: '2026-03-01T09:00:00.000Z',
          revision: 1,
          editedAt: null,
        },
      ],
      lastServerSeq: 2,
      createdAt: '2026-03-01T09:00:00.000Z',
      updatedAt: '2026-03-01T09:00:00.000Z',
    });
    const again = await call(t.app, 'GET', `/v1/drafts/${res.json().id}`, { token: owner.accessToken });
    expect(again.json()).toEqual(res.json());
  });

  it('refuses bad titles, platforms and first segments, creating nothing', async () => {
    const owner = await registerUser(t.app);
    const cases = [
      [{ title: '   ', platform: 'x' }, 'body.title'],
      [{ title: 'x'.repeat(201), platform: 'x' }, 'body.title'],
      [{ title: 'ok', platform: 'myspace' }, 'body.platform'],
      [{ title: 'ok', platform: 'x', initialSegment: 'y'.repeat(281) }, 'body.initialSegment'],
      [{ title: 'ok', platform: 'x', initialSegment: '  \n ' }, 'body.initialSegment'],
    ] as const;
    for (const [body, path] of cases) {
      const res = await call(t.app, 'POST', '/v1/drafts', { token: owner.accessToken, body });
      const errors = expectProblem(res, 400, 'validation_failed').errors as Array<{ path: string }>;
      expect(errors.map((e) => e.path)).toContain(path);
    }
    const list = await call(t.app, 'GET', '/v1/drafts', { token: owner.accessToken });
    expect(list.json().items).toEqual([]);
  });

  it('lists only my drafts, last activity first, with a cursor', async () => {
    const me = await registerUser(t.app);
    const other = await registerUser(t.app);
    const first = await createDraft(t.app, me, { title: 'first' });
    t.clock.advance(1000);
    const second = await createDraft(t.app, me, { title: 'second' });
    t.clock.advance(1000);
    const theirs = await createDraft(t.app, other, { title: 'theirs' });
    t.clock.advance(1000);
    await addCollaborator(t.app, other, theirs.id, me);
    t.clock.advance(1000);
    await call(t.app, 'POST', `/v1/drafts/${first.id}/segments`, { token: me.accessToken, body: { content: 'activity' } });

    const page1 = (await call(t.app, 'GET', '/v1/drafts?limit=2', { token: me.accessToken })).json();
    expect(page1.items.map((d: { title: string }) => d.title)).toEqual(['first', 'theirs']);
    const page2 = (await call(t.app, 'GET', `/v1/drafts?limit=2&cursor=${page1.nextCursor}`, { token: me.accessToken })).json();
    expect(page2.items.map((d: { id: string }) => d.id)).toEqual([second.id]);
    expect(page2.nextCursor).toBeNull();
    const theirList = (await call(t.app, 'GET', '/v1/drafts', { token: other.accessToken })).json();
    expect(theirList.items.map((d: { title: string }) => d.title)).toEqual(['theirs']);
  });

  it('lists summaries: who holds the ring, how far it got, my role and the opening words, never the segments', async () => {
    const owner = await registerUser(t.app, { displayName: 'Frodo' });
    const sam = await registerUser(t.app, { displayName: 'Sam' });
    const opening =
      'In a hole in the ground there lived a hobbit. Not a nasty, dirty, wet hole, filled with the ends of worms and an oozy smell, nor yet a dry, bare, sandy hole';
    const draft = await createDraft(t.app, owner, { title: 'There and back', platform: 'linkedin', initialSegment: opening });
    t.clock.advance(60_000);
    await addCollaborator(t.app, owner, draft.id, sam);
    await passRing(t.app, owner, draft.id, sam);
    await call(t.app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: sam.accessToken, body: { content: 'The second post.' } });
    t.clock.advance(60_000);
    const empty = await createDraft(t.app, sam, { title: 'Blank page', platform: 'x' });

    const res = await call(t.app, 'GET', '/v1/drafts', { token: sam.accessToken });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      items: [
        {
          id: empty.id,
          title: 'Blank page',
          platform: 'x',
          status: 'draft',
          role: 'owner',
          ringHolder: { userId: sam.user.id, displayName: 'Sam' },
          segmentCount: 0,
          memberCount: 1,
          openingWords: '',
          lastServerSeq: 1,
          lastActivityAt: '2026-03-01T09:02:00.000Z',
        },
        {
          id: draft.id,
          title: 'There and back',
          platform: 'linkedin',
          status: 'draft',
          role: 'collaborator',
          ringHolder: { userId: sam.user.id, displayName: 'Sam' },
          segmentCount: 2,
          memberCount: 2,
          openingWords: 'In a hole in the ground there lived a hobbit. Not a nasty, dirty, wet hole, filled with the ends of worms and an oozy smell, nor yet a dry…',
          lastServerSeq: 6,
          lastActivityAt: '2026-03-01T09:01:00.000Z',
        },
      ],
      nextCursor: null,
    });
    const ownersView = (await call(t.app, 'GET', '/v1/drafts', { token: owner.accessToken })).json().items;
    expect(ownersView).toEqual([{ ...res.json().items[1], role: 'owner' }]);
  });

  it("answers 404 for someone else's draft and for one that does not exist", async () => {
    const owner = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    expectProblem(await call(t.app, 'GET', `/v1/drafts/${draft.id}`, { token: stranger.accessToken }), 404, 'draft_not_found');
    expectProblem(await call(t.app, 'GET', '/v1/drafts/01a200cb-3f70-74d5-8e75-7a0ac9ba7b91', { token: owner.accessToken }), 404, 'draft_not_found');
    expectProblem(await call(t.app, 'GET', '/v1/drafts/not-a-uuid', { token: owner.accessToken }), 400, 'validation_failed');
  });

  it('lets the owner rename, publish and archive; published and archived drafts are read-only', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const renamed = await call(t.app, 'PATCH', `/v1/drafts/${draft.id}`, { token: owner.accessToken, body: { title: 'Better title' } });
    expect(renamed.json()).toMatchObject({ title: 'Better title', lastServerSeq: 2 });
    const published = await call(t.app, 'POST', `/v1/drafts/${draft.id}/publish`, { token: owner.accessToken });
    expect(published.json()).toMatchObject({ status: 'published' });
    for (const [method, url, body] of [
      ['PATCH', `/v1/drafts/${draft.id}`, { title: 'again' }],
      ['POST', `/v1/drafts/${draft.id}/segments`, { content: 'more' }],
      ['POST', `/v1/drafts/${draft.id}/archive`, undefined],
      ['POST', `/v1/drafts/${draft.id}/publish`, undefined],
    ] as const) {
      expectProblem(await call(t.app, method, url, { token: owner.accessToken, body }), 409, 'draft_not_editable');
    }
    const other = await createDraft(t.app, owner);
    expect((await call(t.app, 'POST', `/v1/drafts/${other.id}/archive`, { token: owner.accessToken })).json().status).toBe('archived');
    expectProblem(await call(t.app, 'POST', `/v1/drafts/${other.id}/segments`, { token: owner.accessToken, body: { content: 'x' } }), 409, 'draft_not_editable');
  });
});

describe('segments and the ring', () => {
  it('appends at dense positions, only for the ring holder', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app, { displayName: 'Sam' });
    const draft = await createDraft(t.app, owner);
    await addCollaborator(t.app, owner, draft.id, sam);
    const first = await call(t.app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: owner.accessToken, body: { content: 'one' } });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ position: 0, content: 'one', authorId: owner.user.id });
    expectProblem(await call(t.app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: sam.accessToken, body: { content: 'two' } }), 403, 'ring_required');
    await passRing(t.app, owner, draft.id, sam);
    expectProblem(await call(t.app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: owner.accessToken, body: { content: 'nope' } }), 403, 'ring_required');
    const second = await call(t.app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: sam.accessToken, body: { content: 'two' } });
    expect(second.json()).toMatchObject({ position: 1, authorDisplay: 'Sam' });
    const view = (await call(t.app, 'GET', `/v1/drafts/${draft.id}`, { token: owner.accessToken })).json();
    expect(view.segments.map((s: { content: string }) => s.content)).toEqual(['one', 'two']);
    expect(view.ringHolderId).toBe(sam.user.id);
  });

  it('counts the platform limit as the platform does: on X an emoji weighs 2 and a URL 23', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner, { platform: 'x' });
    const flag = '🏳️‍🌈';
    const ok = await call(t.app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: owner.accessToken, body: { content: flag.repeat(140) } });
    expect(ok.statusCode).toBe(201);
    const link = `${'a'.repeat(256)} https://example.com/${'long/'.repeat(40)}`;
    expect((await call(t.app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: owner.accessToken, body: { content: link } })).statusCode).toBe(201);
    const tooLong = await call(t.app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: owner.accessToken, body: { content: flag.repeat(141) } });
    expect(expectProblem(tooLong, 400, 'validation_failed').errors).toEqual([
      { path: 'body.content', message: 'This post is 282 of 280 characters on X: trim 2 or split it into two posts.' },
    ]);
    const linkedin = await createDraft(t.app, owner, { platform: 'linkedin' });
    expect((await call(t.app, 'POST', `/v1/drafts/${linkedin.id}/segments`, { token: owner.accessToken, body: { content: 'a'.repeat(3000) } })).statusCode).toBe(201);
    expectProblem(await call(t.app, 'POST', `/v1/drafts/${linkedin.id}/segments`, { token: owner.accessToken, body: { content: ' \t\n ' } }), 400, 'validation_failed');
  });

  it('passes the ring only to members, and keeps a history with from, to and time', async () => {
    const owner = await registerUser(t.app, { displayName: 'Owner' });
    const sam = await registerUser(t.app, { displayName: 'Sam' });
    const stranger = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    await addCollaborator(t.app, owner, draft.id, sam);
    const toStranger = await call(t.app, 'POST', `/v1/drafts/${draft.id}/ring/pass`, { token: owner.accessToken, body: { toUserId: stranger.user.id } });
    expectProblem(toStranger, 422, 'ring_target_not_member');
    expectProblem(await call(t.app, 'POST', `/v1/drafts/${draft.id}/ring/pass`, { token: owner.accessToken, body: { toUserId: owner.user.id } }), 422, 'ring_already_held');
    t.clock.advance(60_000);
    const pass = await call(t.app, 'POST', `/v1/drafts/${draft.id}/ring/pass`, { token: owner.accessToken, body: { toUserId: sam.user.id } });
    expect(pass.statusCode).toBe(200);
    expect(pass.json()).toEqual({ ringHolderId: sam.user.id, passedAt: '2026-03-01T09:01:00.000Z' });
    expectProblem(await call(t.app, 'POST', `/v1/drafts/${draft.id}/ring/pass`, { token: owner.accessToken, body: { toUserId: sam.user.id } }), 403, 'ring_required');
    t.clock.advance(60_000);
    await passRing(t.app, sam, draft.id, owner);
    const history = (await call(t.app, 'GET', `/v1/drafts/${draft.id}/ring/history`, { token: sam.accessToken })).json();
    expect(history).toEqual({
      items: [
        { from: { userId: owner.user.id, displayName: 'Owner' }, to: { userId: sam.user.id, displayName: 'Sam' }, passedAt: '2026-03-01T09:01:00.000Z', kind: 'pass' },
        { from: { userId: sam.user.id, displayName: 'Sam' }, to: { userId: owner.user.id, displayName: 'Owner' }, passedAt: '2026-03-01T09:02:00.000Z', kind: 'pass' },
      ],
      nextCursor: null,
    });
  });
});

describe('collaborators', () => {
  it('lets the owner add someone who already shares a draft with them, and remove them; removing the ring holder returns the ring to the owner', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app, { displayName: 'Sam' });
    const earlier = await createDraft(t.app, owner, { title: 'Where we met' });
    await addCollaborator(t.app, owner, earlier.id, sam);
    const draft = await createDraft(t.app, owner);
    const added = await call(t.app, 'POST', `/v1/drafts/${draft.id}/collaborators`, { token: owner.accessToken, body: { userId: sam.user.id } });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toEqual({ userId: sam.user.id, displayName: 'Sam', role: 'collaborator', joinedAt: '2026-03-01T09:00:00.000Z' });
    const events = (await call(t.app, 'GET', `/v1/drafts/${draft.id}/events`, { token: sam.accessToken })).json().events;
    expect(events.at(-1)).toMatchObject({ type: 'collaborator.joined', payload: { userId: sam.user.id, via: 'added' } });
    expectProblem(await call(t.app, 'POST', `/v1/drafts/${draft.id}/collaborators`, { token: owner.accessToken, body: { userId: sam.user.id } }), 409, 'already_collaborator');
    await passRing(t.app, owner, draft.id, sam);
    const removed = await call(t.app, 'DELETE', `/v1/drafts/${draft.id}/collaborators/${sam.user.id}`, { token: owner.accessToken });
    expect(removed.statusCode).toBe(204);
    const view = (await call(t.app, 'GET', `/v1/drafts/${draft.id}`, { token: owner.accessToken })).json();
    expect(view.ringHolderId).toBe(owner.user.id);
    expect(view.collaborators.map((c: { userId: string }) => c.userId)).toEqual([owner.user.id]);
    expectProblem(await call(t.app, 'GET', `/v1/drafts/${draft.id}`, { token: sam.accessToken }), 404, 'draft_not_found');
  });

  it('refuses to add anyone else directly, answering a stranger exactly like an unknown id and changing nothing', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const samsFriend = await registerUser(t.app);
    const samsDraft = await createDraft(t.app, sam);
    await addCollaborator(t.app, sam, samsDraft.id, samsFriend);
    const draft = await createDraft(t.app, owner);
    await addCollaborator(t.app, owner, draft.id, sam);
    const before = (await call(t.app, 'GET', `/v1/drafts/${draft.id}`, { token: owner.accessToken })).json();

    const add = (userId: string) => call(t.app, 'POST', `/v1/drafts/${draft.id}/collaborators`, { token: owner.accessToken, body: { userId } });
    const strangerAnswer = expectProblem(await add(stranger.user.id), 404, 'user_not_found');
    const unknownAnswer = expectProblem(await add('01a200cb-3f70-74d5-8e75-7a0ac9ba7b91'), 404, 'user_not_found');
    expect({ ...strangerAnswer, requestId: null }).toEqual({ ...unknownAnswer, requestId: null });
    expect(strangerAnswer.detail).toMatch(/invite/);
    // Sharing a draft with a collaborator is not sharing one with the owner.
    expectProblem(await add(samsFriend.user.id), 404, 'user_not_found');

    expect((await call(t.app, 'GET', `/v1/drafts/${draft.id}`, { token: owner.accessToken })).json()).toEqual(before);
    expectProblem(await call(t.app, 'GET', `/v1/drafts/${draft.id}`, { token: stranger.accessToken }), 404, 'draft_not_found');
  });

  it('lets a collaborator leave but not remove others; the owner cannot leave', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app);
    const pip = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    await addCollaborator(t.app, owner, draft.id, sam);
    await addCollaborator(t.app, owner, draft.id, pip);
    expectProblem(await call(t.app, 'DELETE', `/v1/drafts/${draft.id}/collaborators/${pip.user.id}`, { token: sam.accessToken }), 403, 'owner_required');
    expect((await call(t.app, 'DELETE', `/v1/drafts/${draft.id}/collaborators/${sam.user.id}`, { token: sam.accessToken })).statusCode).toBe(204);
    expectProblem(await call(t.app, 'DELETE', `/v1/drafts/${draft.id}/collaborators/${owner.user.id}`, { token: owner.accessToken }), 409, 'owner_cannot_leave');
    expectProblem(await call(t.app, 'DELETE', `/v1/drafts/${draft.id}/collaborators/${sam.user.id}`, { token: owner.accessToken }), 404, 'collaborator_not_found');
  });

  it('attributes segments to their authors with first and last contribution', async () => {
    const owner = await registerUser(t.app, { displayName: 'Owner' });
    const sam = await registerUser(t.app, { displayName: 'Sam' });
    const draft = await createDraft(t.app, owner, { initialSegment: 'one' });
    await addCollaborator(t.app, owner, draft.id, sam);
    await passRing(t.app, owner, draft.id, sam);
    t.clock.advance(60_000);
    await call(t.app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: sam.accessToken, body: { content: 'two' } });
    t.clock.advance(60_000);
    await call(t.app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: sam.accessToken, body: { content: 'three' } });
    const res = await call(t.app, 'GET', `/v1/drafts/${draft.id}/attribution`, { token: owner.accessToken });
    expect(res.json()).toEqual({
      contributors: [
        { userId: sam.user.id, displayName: 'Sam', segments: 2, edits: 0, firstContributionAt: '2026-03-01T09:01:00.000Z', lastContributionAt: '2026-03-01T09:02:00.000Z' },
        { userId: owner.user.id, displayName: 'Owner', segments: 1, edits: 0, firstContributionAt: '2026-03-01T09:00:00.000Z', lastContributionAt: '2026-03-01T09:00:00.000Z' },
      ],
    });
  });
});

describe('Idempotency-Key on draft mutations', () => {
  it('creates one draft and appends one segment however often a request is retried', async () => {
    const owner = await registerUser(t.app);
    const create = () =>
      call(t.app, 'POST', '/v1/drafts', { token: owner.accessToken, body: { title: 'Once', platform: 'x' }, headers: { 'idempotency-key': 'create-1' } });
    const [first, second] = [await create(), await create()];
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json().id).toBe(first.json().id);
    const append = () =>
      call(t.app, 'POST', `/v1/drafts/${first.json().id}/segments`, {
        token: owner.accessToken,
        body: { content: 'only once' },
        headers: { 'idempotency-key': 'append-1' },
      });
    const [a, b] = [await append(), await append()];
    expect(b.json()).toEqual(a.json());
    const list = (await call(t.app, 'GET', '/v1/drafts', { token: owner.accessToken })).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0].segmentCount).toBe(1);
  });
});
