import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import type { Draft, RingHistory, Segment } from '../../contract/drafts.js';
import type { DraftEvent, EventList } from '../../contract/events.js';
import { applyLiveEvent, DraftCache, draftKeys, localChange } from './draft-cache.js';

const ID = '01900000-0000-7000-8000-000000000001';
const OWNER = { userId: '01900000-0000-7000-8000-0000000000a1', displayName: 'Bilbo' };
const GUEST = { userId: '01900000-0000-7000-8000-0000000000b2', displayName: 'Thorin' };
const AT = '2026-05-01T10:00:00.000Z';

function segment(n: number, content = `Post ${n}`): Segment {
  return { id: `01900000-0000-7000-8000-00000000100${n}`, position: n - 1, content, authorId: OWNER.userId, authorDisplay: 'Bilbo', createdAt: AT, revision: 1, editedAt: null };
}

function draft(lastServerSeq: number, segments: Segment[]): Draft {
  return {
    id: ID,
    title: 'Riddles',
    platform: 'x',
    status: 'draft',
    ownerId: OWNER.userId,
    ringHolderId: OWNER.userId,
    collaborators: [
      { ...OWNER, role: 'owner', joinedAt: AT },
      { ...GUEST, role: 'collaborator', joinedAt: AT },
    ],
    segments,
    lastServerSeq,
    createdAt: AT,
    updatedAt: AT,
  };
}

const event = (serverSeq: number, type: string, payload: Record<string, unknown>): DraftEvent => ({ serverSeq, type, payload, actor: OWNER, createdAt: AT });
const appended = (serverSeq: number, s: Segment) => event(serverSeq, 'segment.appended', { segment: s });
const comment = (serverSeq: number, text: string) => event(serverSeq, 'comment.added', { text });

function cacheWith(shown: Draft, readDraft: (id: string) => Promise<Draft> = () => Promise.reject(new Error('not expected'))) {
  const queryClient = new QueryClient();
  queryClient.setQueryData(draftKeys.draft(ID), shown);
  return { queryClient, cache: new DraftCache(queryClient, ID, readDraft), shown: () => queryClient.getQueryData<Draft>(draftKeys.draft(ID))! };
}

describe('applyLiveEvent', () => {
  it('puts a post this page showed from its answer where the log puts it, once', () => {
    const [first, mine, theirs] = [segment(1), segment(2), segment(3)];
    // This page's append was answered (shown at once) before the log's earlier append by another device arrived.
    const shown = localChange.appended(draft(1, [first]), mine);
    const next = [appended(2, { ...theirs, position: 1 }), appended(3, { ...mine, position: 2 })].reduce(applyLiveEvent, shown);
    expect(next.segments.map((s) => [s.id, s.position])).toEqual([
      [first.id, 0],
      [theirs.id, 1],
      [mine.id, 2],
    ]);
    expect(next.lastServerSeq).toBe(3);
  });

  it('does not take a post back to an older revision than the one this page saved', () => {
    const post = segment(1, 'v1');
    const saved = localChange.edited(draft(1, [post]), { ...post, content: 'v3', revision: 3, editedAt: AT });
    const older = event(2, 'segment.edited', { segmentId: post.id, before: { revision: 1, content: 'v1' }, after: { revision: 2, content: 'v2' }, editedAt: AT });
    expect(applyLiveEvent(saved, older).segments[0]).toMatchObject({ content: 'v3', revision: 3 });
  });
});

describe('DraftCache', () => {
  it('folds each event into the draft and the comments once, however often it arrives', () => {
    const { queryClient, cache, shown } = cacheWith(draft(1, [segment(1)]));
    queryClient.setQueryData<EventList>(draftKeys.comments(ID), { events: [], lastServerSeq: 1 });
    for (const e of [appended(2, segment(2)), comment(3, 'Nice'), appended(2, segment(2)), comment(3, 'Nice')]) cache.receive(e);
    expect(shown().segments).toHaveLength(2);
    expect(shown().lastServerSeq).toBe(3);
    expect(queryClient.getQueryData<EventList>(draftKeys.comments(ID))!.events.map((e) => e.serverSeq)).toEqual([3]);
    expect(cache.since()).toBe(3);
  });

  it('reads the draft again once on a gap, and applies what arrived meanwhile after it', async () => {
    let answer: (d: Draft) => void = () => undefined;
    const readDraft = vi.fn(() => new Promise<Draft>((resolve) => (answer = resolve)));
    const { cache, shown } = cacheWith(draft(1, [segment(1)]), readDraft);
    cache.receive(appended(3, segment(3)));
    cache.receive(appended(4, segment(4)));
    expect(readDraft).toHaveBeenCalledTimes(1);
    answer(draft(3, [segment(1), segment(2), segment(3)]));
    await vi.waitFor(() => expect(shown().lastServerSeq).toBe(4));
    expect(shown().segments.map((s) => s.content)).toEqual(['Post 1', 'Post 2', 'Post 3', 'Post 4']);
    expect(readDraft).toHaveBeenCalledTimes(1);
  });

  it('reads a list again rather than lose an event that came before the list was loaded', () => {
    const { queryClient, cache } = cacheWith(draft(1, []));
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    cache.receive(comment(2, 'Early'));
    expect(invalidate).toHaveBeenCalledWith({ queryKey: draftKeys.comments(ID) });
  });

  it('adds a ring move to the history by name, once', () => {
    const { queryClient, cache } = cacheWith(draft(1, []));
    queryClient.setQueryData<RingHistory>(draftKeys.ring(ID), { items: [], nextCursor: null });
    const pass = event(2, 'ring.passed', { fromUserId: OWNER.userId, toUserId: GUEST.userId, passedAt: AT });
    const take = event(3, 'ring.taken', { fromUserId: GUEST.userId, toUserId: OWNER.userId, passedAt: '2026-05-01T10:05:00.000Z' });
    for (const e of [pass, take, pass]) cache.receive(e);
    expect(queryClient.getQueryData<RingHistory>(draftKeys.ring(ID))!.items).toEqual([
      { from: OWNER, to: GUEST, passedAt: AT, kind: 'pass' },
      { from: GUEST, to: OWNER, passedAt: '2026-05-01T10:05:00.000Z', kind: 'take' },
    ]);
  });

  it('reads the analytics again once after a burst of posts and ring moves, and not for a comment', () => {
    vi.useFakeTimers();
    try {
      const { queryClient, cache } = cacheWith(draft(1, []));
      const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
      const analyticsReads = () => invalidate.mock.calls.filter(([filters]) => filters?.queryKey?.[0] === 'analytics').length;
      cache.receive(comment(2, 'Nice'));
      vi.advanceTimersByTime(200);
      expect(analyticsReads()).toBe(0);

      cache.receive(appended(3, segment(1)));
      cache.receive(event(4, 'ring.passed', { fromUserId: OWNER.userId, toUserId: GUEST.userId, passedAt: AT }));
      expect(analyticsReads()).toBe(0);
      vi.advanceTimersByTime(200);
      expect(invalidate).toHaveBeenCalledWith({ queryKey: draftKeys.analytics(ID) });
      expect(analyticsReads()).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('resumes from the start of the log while the draft is read again after the server said its log ends earlier', async () => {
    let answer: (d: Draft) => void = () => undefined;
    const { cache, shown } = cacheWith(draft(9, [segment(1)]), () => new Promise<Draft>((resolve) => (answer = resolve)));
    cache.resync(undefined, true);
    expect(cache.since()).toBe(0);
    answer(draft(2, [segment(1)]));
    await vi.waitFor(() => expect(shown().lastServerSeq).toBe(2));
    expect(cache.since()).toBe(2);
  });
});
