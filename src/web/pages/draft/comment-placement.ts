import type { Segment } from '../../../contract/drafts.js';
import type { DraftEvent } from '../../../contract/events.js';

export type PlacedComments = { byPost: Map<string, DraftEvent[]>; general: DraftEvent[] };

/**
 * Where each comment shows: under the post it names (by `segmentId`, so a reorder keeps it there; comments
 * written before posts had ids name a position), or with the draft's own comments when it names none or its
 * post was deleted.
 */
export function placeComments(comments: readonly DraftEvent[], segments: readonly Segment[]): PlacedComments {
  const present = new Set(segments.map((s) => s.id));
  const byPost = new Map<string, DraftEvent[]>();
  const general: DraftEvent[] = [];
  for (const comment of comments) {
    const { segmentId, position } = comment.payload as { segmentId?: string; position?: number };
    const postId = segmentId ?? (position === undefined ? undefined : segments[position]?.id);
    if (postId !== undefined && present.has(postId)) byPost.set(postId, [...(byPost.get(postId) ?? []), comment]);
    else general.push(comment);
  }
  return { byPost, general };
}
