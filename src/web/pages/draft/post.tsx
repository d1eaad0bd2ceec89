import { useMutation } from '@tanstack/react-query';
import { memo, useRef, useState, type DragEvent } from 'react';
import type { Platform } from '../../../contract/constants.js';
import type { Segment } from '../../../contract/drafts.js';
import type { DraftEvent } from '../../../contract/events.js';
import { api, ApiError } from '../../api/client.js';
import { localChange } from '../../api/draft-cache.js';
import { Avatar } from '../../components/avatar.js';
import { useConfirm } from '../../components/confirm-dialog.js';
import { FormError } from '../../components/form.js';
import { RelativeTime } from '../../components/relative-time.js';
import { useCoachTarget } from './coach-target.js';
import { PostComments } from './comments.js';
import { PostCount } from './post-count.js';
import { PostEditor } from './post-editor.js';
import { PostHistory } from './post-history.js';
import { editValue, keepUnsent, unsentKeys, type UnsentEdit } from './unsent.js';
import { useDraftChange } from './use-draft.js';

/** How the thread lets a post be moved: by its buttons (one step) or by dragging it onto another post. */
export type PostMoves = {
  move(segmentId: string, to: number): void;
  dragStart(segmentId: string): void;
  dragOver(index: number): void;
  drop(index: number): void;
  dragEnd(): void;
};

type PostProps = {
  draftId: string;
  platform: Platform;
  segment: Segment;
  total: number;
  userId: string;
  /** Holds the ring on an editable draft: may edit, delete and move. */
  canChange: boolean;
  canComment: boolean;
  comments: DraftEvent[];
  /** An edit in progress on this device, if any. */
  edit: UnsentEdit | undefined;
  moves: PostMoves;
  dragging: boolean;
  dropTarget: boolean;
};

/** One post of the thread: its author, text, count and comments, and for the ring holder its edit tools. */
export const Post = memo(function Post({ draftId, platform, segment, total, userId, canChange, canComment, comments, edit, moves, dragging, dropTarget }: PostProps) {
  const n = segment.position + 1;
  const change = useDraftChange(draftId);
  const confirm = useConfirm();
  const coach = useCoachTarget();
  const [historyOpen, setHistoryOpen] = useState(false);
  const [opened, setOpened] = useState(false);
  const item = useRef<HTMLLIElement>(null);
  const remove = useMutation({
    mutationFn: () => api.deleteSegment(draftId, segment.id, segment.revision),
    onSuccess: () => change((d) => localChange.deleted(d, segment.id)),
    onError: (error) => {
      const current = error instanceof ApiError ? error.current<Segment>() : undefined;
      if (current) change((d) => localChange.edited(d, current));
    },
  });

  async function askDelete() {
    const ok = await confirm({
      title: `Delete post ${n}?`,
      body: 'The posts after it move up. Its earlier versions stay in its history.',
      confirmLabel: 'Delete post',
      danger: true,
    });
    if (ok) remove.mutate();
  }

  function startEdit() {
    keepUnsent(unsentKeys.edit(userId, draftId, segment.id), editValue(segment.revision, segment.content));
    setOpened(true);
  }

  const stale = remove.error instanceof ApiError && remove.error.problem.status === 412;
  const classes = ['post', dragging && 'dragging', dropTarget && 'drop-target'].filter(Boolean).join(' ');
  return (
    <li
      ref={item}
      className={classes}
      data-testid="segment"
      data-segment-id={segment.id}
      tabIndex={-1}
      aria-label={`Post ${n} of ${total}`}
      onDragOver={(e: DragEvent) => {
        if (!canChange) return;
        e.preventDefault();
        moves.dragOver(segment.position);
      }}
      onDrop={(e: DragEvent) => {
        e.preventDefault();
        moves.drop(segment.position);
      }}
    >
      <div className="post-meta">
        {canChange && (
          <span
            className="drag-handle"
            draggable
            title="Drag to move this post"
            aria-hidden="true"
            data-testid="drag-handle"
            onDragStart={(e) => {
              e.dataTransfer.effectAllowed = 'move';
              e.dataTransfer.setData('text/plain', segment.id);
              if (item.current) e.dataTransfer.setDragImage(item.current, 16, 16);
              moves.dragStart(segment.id);
            }}
            onDragEnd={moves.dragEnd}
          >
            ⠿
          </span>
        )}
        <Avatar userId={segment.authorId} displayName={segment.authorDisplay} size="small" />
        <strong>{segment.authorDisplay}</strong>
        <span className="muted">
          <RelativeTime iso={segment.createdAt} />
          {segment.editedAt && (
            <span className="edited" data-testid="edited">
              {' '}
              · edited <RelativeTime iso={segment.editedAt} />
            </span>
          )}
        </span>
        <span className="post-number" aria-hidden="true">
          {n}/{total}
        </span>
      </div>
      {edit ? (
        <PostEditor draftId={draftId} platform={platform} segment={segment} userId={userId} edit={edit} focus={opened} onClose={() => setOpened(false)} />
      ) : (
        <p className="post-text" data-testid="segment-text">
          {segment.content}
        </p>
      )}
      {!edit && (
        <div className="post-tools">
          <PostCount platform={platform} text={segment.content} />
          <span className="row tight">
            {canChange && (
              <>
                <button type="button" className="small secondary" onClick={startEdit} aria-label={`Edit post ${n}`}>
                  Edit
                </button>
                <button type="button" className="small secondary" onClick={askDelete} disabled={remove.isPending} aria-label={`Delete post ${n}`}>
                  Delete
                </button>
                <button
                  type="button"
                  className="small secondary icon"
                  onClick={() => moves.move(segment.id, segment.position - 1)}
                  disabled={n === 1}
                  aria-label={`Move post ${n} up`}
                  data-move="up"
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="small secondary icon"
                  onClick={() => moves.move(segment.id, segment.position + 1)}
                  disabled={n === total}
                  aria-label={`Move post ${n} down`}
                  data-move="down"
                >
                  ↓
                </button>
              </>
            )}
            {canComment && (
              <button type="button" className="small link-button" onClick={() => coach.choose(segment.id)} data-testid="turn-this-post">
                Turn this post<span className="visually-hidden"> (post {n})</span>
              </button>
            )}
            <button type="button" className="small link-button" aria-expanded={historyOpen} onClick={() => setHistoryOpen(!historyOpen)} aria-label={`History of post ${n}`}>
              History
            </button>
          </span>
        </div>
      )}
      {stale ? (
        <p className="form-error" role="alert">
          This post changed since you saw it. Check its text, then delete it again if you still want to.
        </p>
      ) : (
        <FormError error={remove.error} />
      )}
      {historyOpen && <PostHistory draftId={draftId} segmentId={segment.id} position={segment.position} />}
      <PostComments draftId={draftId} post={segment} comments={comments} canComment={canComment} />
    </li>
  );
});
