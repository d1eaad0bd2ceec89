import { describe, expect, it } from 'vitest';
import type { Segment } from '../../../contract/drafts.js';
import type { DraftEvent } from '../../../contract/events.js';
import { placeComments } from './comment-placement.js';

const segment = (id: string, position: number): Segment => ({
  id,
  position,
  content: `post ${id}`,
  authorId: '00000000-0000-7000-8000-000000000001',
  authorDisplay: 'Ada',
  createdAt: '2026-11-22T10:00:00.000Z',
  revision: 1,
  editedAt: null,
});
const comment = (serverSeq: number, payload: Record<string, unknown>): DraftEvent => ({
  serverSeq,
  type: 'comment.added',
  payload: { text: `comment ${serverSeq}`, ...payload },
  actor: null,
  createdAt: '2026-11-22T10:00:00.000Z',
});

describe('placeComments', () => {
  it('keeps a comment under the post it names after the posts moved', () => {
    const moved = [segment('b', 0), segment('a', 1)];
    const placed = placeComments([comment(1, { segmentId: 'a', position: 0 })], moved);
    expect(placed.byPost.get('a')?.map((c) => c.serverSeq)).toEqual([1]);
    expect(placed.byPost.get('b')).toBeUndefined();
  });

  it('places a comment that names only a position under the post there', () => {
    const placed = placeComments([comment(1, { position: 1 })], [segment('a', 0), segment('b', 1)]);
    expect(placed.byPost.get('b')?.map((c) => c.serverSeq)).toEqual([1]);
  });

  it('shows comments on the draft, and those whose post was deleted, with the draft', () => {
    const placed = placeComments([comment(1, {}), comment(2, { segmentId: 'gone', position: 3 })], [segment('a', 0)]);
    expect(placed.general.map((c) => c.serverSeq)).toEqual([1, 2]);
    expect(placed.byPost.size).toBe(0);
  });
});
