import { describe, expect, it } from 'vitest';
import { addCollaborator, call, createDraft, expectProblem, passRing, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();

describe('the per-draft event log', () => {
  it('records every change in order with gapless server sequence numbers', async () => {
    const owner = await registerUser(t.app, { displayName: 'Owner' });
    const sam = await registerUser(t.app, { displayName: 'Sam' });
    const draft = await createDraft(t.app, owner, { initialSegment: 'one' });
    await addCollaborator(t.app, owner, draft.id, sam);
    await passRing(t.app, owner, draft.id, sam);
    await call(t.app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: sam.accessToken, body: { content: 'two' } });
    await call(t.app, 'PATCH', `/v1/drafts/${draft.id}`, { token: owner.accessToken, body: { title: 'Renamed' } });
    await call(t.app, 'POST', `/v1/drafts/${draft.id}/events`, {
      token: sam.accessToken,
      body: { type: 'comment.added', clientId: 'tab-1', clientSeq: 1, payload: { text: 'Nice opener', position: 0 } },
    });
    await call(t.app, 'DELETE', `/v1/drafts/${draft.id}/collaborators/${sam.user.id}`, { token: sam.accessToken });
    await call(t.app, 'POST', `/v1/drafts/${draft.id}/publish`, { token: owner.accessToken });

    const res = await call(t.app, 'GET', `/v1/drafts/${draft.id}/events`, { token: owner.accessToken });
    expect(res.statusCode).toBe(200);
    const { events, lastServerSeq } = res.json();
    expect(events.map((e: { type: string }) => e.type)).toEqual([
      'draft.created',
      'segment.appended',
      'invite.created',
      'collaborator.joined',
      'ring.passed',
      'segment.appended',
      'draft.renamed',
      'comment.added',
      'collaborator.left',
      'ring.passed',
      'draft.published',
    ]);
    expect(events.map((e: { serverSeq: number }) => e.serverSeq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(lastServerSeq).toBe(11);
    expect(events[5]).toMatchObject({ actor: { userId: sam.user.id, displayName: 'Sam' }, payload: { segment: { position: 1, content: 'two' } } });
    expect(events[7]).toMatchObject({ clientId: 'tab-1', clientSeq: 1, payload: { text: 'Nice opener', position: 0 } });
    expect(events[9].payload).toMatchObject({ fromUserId: sam.user.id, toUserId: owner.user.id });
    const view = (await call(t.app, 'GET', `/v1/drafts/${draft.id}`, { token: owner.accessToken })).json();
    expect(view.lastServerSeq).toBe(11);
  });

  it('reads from `since` with a limit', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    for (let i = 0; i < 5; i++) await call(t.app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: owner.accessToken, body: { content: `s${i}` } });
    const res = await call(t.app, 'GET', `/v1/drafts/${draft.id}/events?since=2&limit=2`, { token: owner.accessToken });
    expect(res.json().events.map((e: { serverSeq: number }) => e.serverSeq)).toEqual([3, 4]);
    expect(res.json().lastServerSeq).toBe(6);
    expect((await call(t.app, 'GET', `/v1/drafts/${draft.id}/events?since=6`, { token: owner.accessToken })).json().events).toEqual([]);
    expectProblem(await call(t.app, 'GET', `/v1/drafts/${draft.id}/events?since=-1`, { token: owner.accessToken }), 400, 'validation_failed');
    // Past the largest sequence number a log can hold: refused as input, not a database error.
    for (const since of ['2147483648', '9007199254740991']) {
      expectProblem(await call(t.app, 'GET', `/v1/drafts/${draft.id}/events?since=${since}`, { token: owner.accessToken }), 400, 'validation_failed');
    }
  });

  it('records an appended segment with the same ISO-8601 time as the answer, with or without an Idempotency-Key', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const plain = await call(t.app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: owner.accessToken, body: { content: 'plain' } });
    const keyed = await call(t.app, 'POST', `/v1/drafts/${draft.id}/segments`, {
      token: owner.accessToken,
      body: { content: 'keyed' },
      headers: { 'idempotency-key': 'event-time-format' },
    });
    const events = (await call(t.app, 'GET', `/v1/drafts/${draft.id}/events?since=1`, { token: owner.accessToken })).json().events;
    expect(events.map((e: { payload: { segment: { createdAt: string } } }) => e.payload.segment.createdAt)).toEqual([
      plain.json().createdAt,
      keyed.json().createdAt,
    ]);
    expect(plain.json().createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('stores a retried client event once and answers the stored one', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner, { initialSegment: 'one' });
    const body = { type: 'comment.added', clientId: 'phone', clientSeq: 7, payload: { text: 'hello' } };
    const first = await call(t.app, 'POST', `/v1/drafts/${draft.id}/events`, { token: owner.accessToken, body });
    expect(first.statusCode).toBe(201);
    const retry = await call(t.app, 'POST', `/v1/drafts/${draft.id}/events`, { token: owner.accessToken, body });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());
    const { events } = (await call(t.app, 'GET', `/v1/drafts/${draft.id}/events`, { token: owner.accessToken })).json();
    expect(events.filter((e: { type: string }) => e.type === 'comment.added')).toHaveLength(1);
  });

  it('refuses unknown types with the list of known ones, and bad comments', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner, { initialSegment: 'one' });
    const unknown = await call(t.app, 'POST', `/v1/drafts/${draft.id}/events`, {
      token: owner.accessToken,
      body: { type: 'segment.deleted', clientId: 'c', clientSeq: 1, payload: {} },
    });
    expect(expectProblem(unknown, 400, 'unknown_event_type').knownTypes).toEqual(['comment.added']);
    for (const payload of [{ text: '' }, { text: '   ' }, { text: 'x'.repeat(2001) }, { text: 'ok', position: 5 }, { text: 'ok', extra: 1 },
      { text: 'ok', segmentId: '01900000-0000-7000-8000-000000000000' }, { text: 'ok', segmentId: draft.segments[0]!.id, position: 0 }]) {
      const res = await call(t.app, 'POST', `/v1/drafts/${draft.id}/events`, {
        token: owner.accessToken,
        body: { type: 'comment.added', clientId: 'c', clientSeq: 2, payload },
      });
      expectProblem(res, 400, 'validation_failed');
    }
    expect((await call(t.app, 'GET', `/v1/drafts/${draft.id}/events`, { token: owner.accessToken })).json().lastServerSeq).toBe(2);
  });

  it('keeps a comment on the post it names by id, and records where that post stood', async () => {
    const owner = await registerUser(t.app, { displayName: 'Owner' });
    const draft = await createDraft(t.app, owner, { initialSegment: 'one' });
    const second = (await call(t.app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: owner.accessToken, body: { content: 'two' } })).json();
    const res = await call(t.app, 'POST', `/v1/drafts/${draft.id}/events`, {
      token: owner.accessToken,
      body: { type: 'comment.added', clientId: 'tab-1', clientSeq: 1, payload: { text: 'Love this one', segmentId: second.id } },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().payload).toEqual({ text: 'Love this one', segmentId: second.id, position: 1 });
    const comments = await call(t.app, 'GET', `/v1/drafts/${draft.id}/events?types=comment.added`, { token: owner.accessToken });
    expect(comments.json().events.map((e: { payload: unknown }) => e.payload)).toEqual([{ text: 'Love this one', segmentId: second.id, position: 1 }]);
  });
});
