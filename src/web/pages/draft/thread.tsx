import { useMutation } from '@tanstack/react-query';
import { memo, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Draft, Segment, ThreadOrder } from '../../../contract/drafts.js';
import type { DraftEvent } from '../../../contract/events.js';
import { renumber, sameOrder } from '../../../contract/thread-order.js';
import { api, ApiError } from '../../api/client.js';
import { FormError } from '../../components/form.js';
import { Post, type PostMoves } from './post.js';
import type { UnsentEdit } from './unsent.js';
import { useDraftAnswer } from './use-draft.js';

const NO_COMMENTS: DraftEvent[] = [];

type Move = { order: string[]; base: ThreadOrder };

/** What a stale reorder's problem names: where the log is now and the order it has there. */
const currentOrderOf = (error: unknown) => (error instanceof ApiError ? error.current<ThreadOrder>() : undefined);

/** `ids` with the one at `from` moved to `to`, the others keeping their order. */
function moved(ids: readonly string[], from: number, to: number): string[] {
  const next = [...ids];
  const [id] = next.splice(from, 1);
  next.splice(to, 0, id!);
  return next;
}

/** The segments in `order`; any the order does not know yet (just appended) stay at the end. */
function inOrder(segments: Segment[], order: string[]): Segment[] {
  const byId = new Map(segments.map((s) => [s.id, s]));
  const listed = order.flatMap((id) => byId.get(id) ?? []);
  const rest = segments.filter((s) => !order.includes(s.id));
  return renumber([...listed, ...rest]);
}

type ThreadProps = {
  draft: Draft;
  userId: string;
  canChange: boolean;
  canComment: boolean;
  /** Each post's comments by segment id (see `placeComments`). */
  commentsByPost: Map<string, DraftEvent[]>;
  edits: Map<string, UnsentEdit>;
};

/**
 * The posts, in order. The ring holder moves a post with its arrow buttons or by dragging it onto another;
 * the new order shows at once and is sent with the point of the log it was made on, so a move never undoes
 * a change it did not see. A refusal only because something else happened meanwhile (a comment) is sent
 * again on the new point when the order itself is still the one the move was made on.
 */
export const Thread = memo(function Thread({ draft, userId, canChange, canComment, commentsByPost, edits }: ThreadProps) {
  const answered = useDraftAnswer(draft.id);
  const [pending, setPending] = useState<string[] | null>(null);
  const [dragId, setDragId] = useState<string | null>(null);
  const [dropAt, setDropAt] = useState<number | null>(null);
  const [said, setSaid] = useState('');
  const inFlight = useRef(0);
  const list = useRef<HTMLOListElement>(null);
  /** After a move by keyboard, the button to give focus back to (the list item moved in the DOM). */
  const refocus = useRef<{ id: string; direction: 'up' | 'down' } | null>(null);

  const segments = useMemo(() => (pending ? inOrder(draft.segments, pending) : draft.segments), [draft.segments, pending]);
  const ids = useMemo(() => segments.map((s) => s.id), [segments]);

  const reorder = useMutation({
    mutationFn: async ({ order, base }: Move) => {
      try {
        return await api.reorderSegments(draft.id, order, base.lastServerSeq);
      } catch (error) {
        const current = currentOrderOf(error);
        if (!current || !sameOrder(current.order, base.order)) throw error;
        return api.reorderSegments(draft.id, order, current.lastServerSeq);
      }
    },
    onMutate: () => void inFlight.current++,
    onSuccess: answered,
    onSettled: () => {
      if (--inFlight.current === 0) setPending(null);
    },
  });

  // The posts' move callbacks stay the same functions from render to render (so a post re-renders only when
  // it changed), reading what they need from here.
  const latest = useRef({ ids, lastServerSeq: draft.lastServerSeq, dragId });
  useLayoutEffect(() => {
    latest.current = { ids, lastServerSeq: draft.lastServerSeq, dragId };
  });
  const { mutate, reset } = reorder;
  const moves = useMemo<PostMoves>(() => {
    const move = (segmentId: string, to: number, byKeyboard: boolean) => {
      const { ids, lastServerSeq } = latest.current;
      const from = ids.indexOf(segmentId);
      if (from < 0 || to < 0 || to >= ids.length || from === to) return;
      const order = moved(ids, from, to);
      refocus.current = byKeyboard ? { id: segmentId, direction: to < from ? 'up' : 'down' } : null;
      setPending(order);
      setSaid(`Post ${from + 1} moved to position ${to + 1} of ${ids.length}.`);
      reset();
      mutate({ order, base: { lastServerSeq, order: ids } });
    };
    const endDrag = () => {
      setDragId(null);
      setDropAt(null);
    };
    return {
      move: (segmentId, to) => move(segmentId, to, true),
      dragStart: setDragId,
      dragOver: setDropAt,
      drop: (to) => {
        const { dragId } = latest.current;
        if (dragId) move(dragId, to, false);
        endDrag();
      },
      dragEnd: endDrag,
    };
  }, [mutate, reset]);

  useLayoutEffect(() => {
    const target = refocus.current;
    if (!target || !list.current) return;
    refocus.current = null;
    const item = list.current.querySelector<HTMLElement>(`[data-segment-id="${target.id}"]`);
    const button = item?.querySelector<HTMLButtonElement>(`[data-move="${target.direction}"]`);
    const other = item?.querySelector<HTMLButtonElement>(`[data-move="${target.direction === 'up' ? 'down' : 'up'}"]`);
    (button && !button.disabled ? button : (other ?? item))?.focus();
  }, [segments]);

  const conflict = currentOrderOf(reorder.error);
  if (segments.length === 0) return <p className="muted empty-thread">No posts yet. The ring holder writes the first one.</p>;
  return (
    <>
      <ol className="thread" aria-label="Posts" ref={list}>
        {segments.map((s) => (
          <Post
            key={s.id}
            draftId={draft.id}
            platform={draft.platform}
            segment={s}
            total={segments.length}
            userId={userId}
            canChange={canChange}
            canComment={canComment}
            comments={commentsByPost.get(s.id) ?? NO_COMMENTS}
            edit={edits.get(s.id)}
            moves={moves}
            dragging={dragId === s.id}
            dropTarget={dragId !== null && dropAt === s.position && dragId !== s.id}
          />
        ))}
      </ol>
      <p className="visually-hidden" role="status">
        {said}
      </p>
      {conflict ? (
        <p className="form-error" role="alert">
          The thread changed while you moved that post, so it shows the current order now. Move it again if you still want to.
        </p>
      ) : (
        <FormError error={reorder.error} />
      )}
    </>
  );
});
