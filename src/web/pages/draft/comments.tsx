import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { DraftEvent, EventList } from '../../../contract/events.js';
import { api } from '../../api/client.js';
import { draftKeys, withComment } from '../../api/draft-cache.js';
import { Avatar } from '../../components/avatar.js';
import { FormError } from '../../components/form.js';
import { RelativeTime } from '../../components/relative-time.js';

// Comments need a client id and sequence so a retried send is stored once.
const CLIENT_ID = crypto.randomUUID();
let clientSeq = 0;

export function CommentList({ comments }: { comments: DraftEvent[] }) {
  return (
    <ul className="plain-list comments">
      {comments.map((c) => (
        <li key={c.serverSeq} className="comment" data-testid="comment">
          {c.actor && <Avatar userId={c.actor.userId} displayName={c.actor.displayName} size="small" />}
          <div>
            <strong>{c.actor?.displayName ?? 'Someone'}</strong> <RelativeTime iso={c.createdAt} />
            <p>{String(c.payload.text)}</p>
          </div>
        </li>
      ))}
    </ul>
  );
}

/** Sends a comment on the draft or on one post; its answer is shown at once (its live event then changes nothing). */
export function CommentForm({ draftId, post }: { draftId: string; post?: { id: string; position: number } }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const send = useMutation({
    mutationFn: () => api.addComment(draftId, CLIENT_ID, ++clientSeq, text, post?.id),
    onSuccess: (event) => {
      setText('');
      queryClient.setQueryData<EventList>(draftKeys.comments(draftId), (list) => (list ? withComment(list, event) : list));
    },
  });
  const label = post === undefined ? 'Comment on the draft' : `Comment on post ${post.position + 1}`;
  return (
    <form
      className="comment-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) send.mutate();
      }}
    >
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <input
        id={id}
        placeholder={label}
        value={text}
        maxLength={2000}
        onChange={(e) => {
          setText(e.target.value);
          if (send.error) send.reset();
        }}
      />
      <button type="submit" className="secondary" disabled={send.isPending || text.trim().length === 0}>
        Comment
      </button>
      <FormError error={send.error} />
    </form>
  );
}

/** A post's comments, folded under it with their count; opening shows them and the field to add one. */
export function PostComments({ draftId, post, comments, canComment }: { draftId: string; post: { id: string; position: number }; comments: DraftEvent[]; canComment: boolean }) {
  const [open, setOpen] = useState(false);
  if (comments.length === 0 && !canComment) return null;
  return (
    <details className="post-comments" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary data-testid="comments-toggle">
        {comments.length === 0 ? 'Comment' : `${comments.length} ${comments.length === 1 ? 'comment' : 'comments'}`}
      </summary>
      {open && (
        <>
          <CommentList comments={comments} />
          {canComment && <CommentForm draftId={draftId} post={post} />}
        </>
      )}
    </details>
  );
}
