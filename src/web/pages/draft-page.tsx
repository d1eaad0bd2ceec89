import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { Draft, Segment } from '../../contract/drafts.js';
import type { DraftEvent } from '../../contract/events.js';
import { measurePost } from '../../contract/platform-text.js';
import { api } from '../api/client.js';
import { useLiveDraft, type PresenceUser } from '../api/live.js';
import { useAuth } from '../auth/auth-context.js';
import { FormError, fieldError, Notice } from '../components/form.js';
import { LiveIndicator } from '../components/live-indicator.js';
import { CollaboratorsPanel, InvitesPanel } from './draft-people.js';
import { PLATFORM_NAMES } from './drafts-page.js';

// Comments need a client id and sequence so a retried send is stored once.
const CLIENT_ID = crypto.randomUUID();
let clientSeq = 0;

export function useDraftQueries(id: string) {
  const queryClient = useQueryClient();
  const draft = useQuery({ queryKey: ['draft', id], queryFn: () => api.draft(id) });
  const events = useQuery({ queryKey: ['events', id], queryFn: () => api.events(id) });
  const refresh = () =>
    Promise.all(['draft', 'events', 'ring', 'invites'].map((k) => queryClient.invalidateQueries({ queryKey: [k, id] })));
  return { draft, events, refresh };
}

function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function CommentForm({ draftId, position, onDone }: { draftId: string; position?: number; onDone(): void }) {
  const [text, setText] = useState('');
  const send = useMutation({
    mutationFn: () => api.addComment(draftId, CLIENT_ID, ++clientSeq, text, position),
    onSuccess: () => {
      setText('');
      onDone();
    },
  });
  const label = position === undefined ? 'Comment on the draft' : `Comment on post ${position + 1}`;
  return (
    <form
      className="comment-form"
      onSubmit={(e) => {
        e.preventDefault();
        send.mutate();
      }}
    >
      <label htmlFor={`comment-${position ?? 'draft'}`} className="visually-hidden">
        {label}
      </label>
      <input id={`comment-${position ?? 'draft'}`} placeholder={label} value={text} onChange={(e) => setText(e.target.value)} maxLength={2000} />
      <button type="submit" className="secondary" disabled={send.isPending || text.trim().length === 0}>
        Comment
      </button>
      <FormError error={send.error} />
    </form>
  );
}

function Timeline({
  draft,
  comments,
  editable,
  onChange,
  typists,
}: {
  draft: Draft;
  comments: DraftEvent[];
  editable: boolean;
  onChange(): void;
  typists: PresenceUser[];
}) {
  const byPosition = (position: number) => comments.filter((c) => c.payload.position === position);
  const typing = typists.length > 0 && (
    <p className="typing" role="status" data-testid="typing">
      {typists.map((u) => u.displayName).join(', ')} {typists.length === 1 ? 'is' : 'are'} typing post {draft.segments.length + 1}…
    </p>
  );
  if (draft.segments.length === 0) {
    return (
      <>
        <p className="muted">No posts yet. The ring holder writes the first one.</p>
        {typing}
      </>
    );
  }
  return (
    <>
    <ol className="timeline" aria-label="Posts">
      {draft.segments.map((s: Segment) => (
        <li key={s.id} className="segment" data-testid="segment">
          <div className="segment-head">
            <strong>{s.authorDisplay}</strong> <span className="muted">{when(s.createdAt)}</span>
          </div>
          <p className="segment-text">{s.content}</p>
          {byPosition(s.position).map((c) => (
            <p key={c.serverSeq} className="comment" data-testid="comment">
              <strong>{c.actor?.displayName ?? 'Someone'}:</strong> {String(c.payload.text)}
            </p>
          ))}
          {editable && <CommentForm draftId={draft.id} position={s.position} onDone={onChange} />}
        </li>
      ))}
    </ol>
    {typing}
    </>
  );
}

function Composer({
  draft,
  userId,
  onChange,
  onTyping,
}: {
  draft: Draft;
  userId: string;
  onChange(): void;
  onTyping(typing: boolean): void;
}) {
  const [content, setContent] = useState('');
  const [to, setTo] = useState('');
  const { length, limit, over } = useMemo(() => measurePost(draft.platform, content), [draft.platform, content]);
  const append = useMutation({
    mutationFn: () => api.appendSegment(draft.id, content),
    onSuccess: () => {
      setContent('');
      onTyping(false);
      onChange();
    },
  });
  const pass = useMutation({ mutationFn: () => api.passRing(draft.id, to), onSuccess: onChange });
  const holder = draft.collaborators.find((c) => c.userId === draft.ringHolderId);
  const others = draft.collaborators.filter((c) => c.userId !== userId);

  if (draft.ringHolderId !== userId) {
    return (
      <section className="card" aria-labelledby="composer-title">
        <h2 id="composer-title">Your turn comes next</h2>
        <p data-testid="ring-holder">The ring is with {holder?.displayName ?? 'someone'}. You can write when it is passed to you.</p>
      </section>
    );
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    append.mutate();
  }
  return (
    <section className="card" aria-labelledby="composer-title">
      <h2 id="composer-title">
        <span aria-hidden="true">◯</span> You hold the ring
      </h2>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="composer">Next post</label>
          <textarea
            id="composer"
            rows={4}
            value={content}
            onChange={(e) => {
              setContent(e.target.value);
              onTyping(e.target.value.length > 0);
            }}
            onBlur={() => onTyping(false)}
            aria-describedby="composer-count"
          />
          <p id="composer-count" className={over ? 'field-error' : 'hint'} aria-live="polite">
            {length} / {limit} characters on {PLATFORM_NAMES[draft.platform]}
          </p>
          {fieldError(append.error, 'content') && (
            <p className="field-error" role="alert">
              {fieldError(append.error, 'content')}
            </p>
          )}
        </div>
        <FormError error={append.error} fields={['content']} />
        <button type="submit" disabled={append.isPending || length === 0 || over}>
          Add post
        </button>
      </form>
      {others.length > 0 && (
        <form
          className="row pass-ring"
          onSubmit={(e) => {
            e.preventDefault();
            pass.mutate();
          }}
        >
          <label htmlFor="pass-to">Pass the ring to</label>
          <select id="pass-to" value={to} onChange={(e) => setTo(e.target.value)}>
            <option value="">Choose…</option>
            {others.map((c) => (
              <option key={c.userId} value={c.userId}>
                {c.displayName}
              </option>
            ))}
          </select>
          <button type="submit" className="secondary" disabled={!to || pass.isPending}>
            Pass the ring
          </button>
          <FormError error={pass.error} />
        </form>
      )}
    </section>
  );
}

function RingHistoryPanel({ draftId }: { draftId: string }) {
  const history = useQuery({ queryKey: ['ring', draftId], queryFn: () => api.ringHistory(draftId) });
  return (
    <section className="card" aria-labelledby="ring-history-title">
      <h2 id="ring-history-title">Ring history</h2>
      {history.data && history.data.items.length === 0 && <p className="muted">The ring has not moved yet.</p>}
      <ol className="plain-list">
        {history.data?.items.map((p, i) => (
          <li key={i}>
            {p.from?.displayName ?? 'Start'} → <strong>{p.to.displayName}</strong> <span className="muted">{when(p.passedAt)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

function OwnerControls({ draft, onChange }: { draft: Draft; onChange(): void }) {
  const [title, setTitle] = useState(draft.title);
  const rename = useMutation({ mutationFn: () => api.renameDraft(draft.id, title), onSuccess: onChange });
  const publish = useMutation({ mutationFn: () => api.publishDraft(draft.id), onSuccess: onChange });
  const archive = useMutation({ mutationFn: () => api.archiveDraft(draft.id), onSuccess: onChange });
  return (
    <section className="card" aria-labelledby="owner-title">
      <h2 id="owner-title">Draft settings</h2>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          rename.mutate();
        }}
      >
        <label htmlFor="rename">Title</label>
        <input id="rename" value={title} onChange={(e) => setTitle(e.target.value)} />
        <button type="submit" className="secondary" disabled={rename.isPending}>
          Rename
        </button>
      </form>
      <FormError error={rename.error ?? publish.error ?? archive.error} />
      <div className="row">
        <button type="button" onClick={() => publish.mutate()} disabled={publish.isPending}>
          Publish
        </button>
        <button type="button" className="secondary" onClick={() => archive.mutate()} disabled={archive.isPending}>
          Archive
        </button>
      </div>
      <p className="hint">Published and archived drafts can no longer change.</p>
    </section>
  );
}

export function DraftPage() {
  const { id = '' } = useParams();
  const { state } = useAuth();
  const navigate = useNavigate();
  const { draft, events, refresh } = useDraftQueries(id);
  const { status: live, users, setPresence } = useLiveDraft(id);
  if (state.status !== 'signed-in') return null;
  if (draft.isPending) return <p role="status">Loading…</p>;
  if (draft.error || !draft.data) return <FormError error={draft.error} />;
  const d = draft.data;
  const me = state.user.id;
  const isOwner = d.ownerId === me;
  const editable = d.status === 'draft';
  const comments = (events.data?.events ?? []).filter((e) => e.type === 'comment.added');
  const general = comments.filter((c) => c.payload.position === undefined);
  const onChange = () => void refresh();
  const typists = users.filter((u) => u.state === 'typing' && u.userId !== me);
  const here = users.filter((u) => u.userId !== me);

  return (
    <div className="stack">
      <header>
        <h1 data-testid="draft-title">{d.title}</h1>
        <p className="muted">
          {PLATFORM_NAMES[d.platform]} · {d.status === 'draft' ? 'in progress' : d.status} · {d.segments.length} posts ·{' '}
          <LiveIndicator status={live} />
        </p>
      </header>
      {here.length > 0 && (
        <ul className="avatars" aria-label="Also here" data-testid="here">
          {here.map((u) => (
            <li key={u.userId} title={`${u.displayName} is ${u.state}`} className="avatar">
              {u.displayName.replace(/^@/, '').slice(0, 1).toUpperCase()}
              <span className="visually-hidden">{u.displayName}</span>
            </li>
          ))}
        </ul>
      )}
      {!editable && <Notice>This draft is {d.status}; it can be read but no longer changed.</Notice>}
      <Timeline draft={d} comments={comments} editable={editable} onChange={onChange} typists={typists} />
      {editable && (
        <Composer
          draft={d}
          userId={me}
          onChange={onChange}
          onTyping={(typing) => setPresence(typing ? 'typing' : 'viewing', typing ? d.segments.length : undefined)}
        />
      )}
      <section className="card" aria-labelledby="comments-title">
        <h2 id="comments-title">Comments</h2>
        {general.map((c) => (
          <p key={c.serverSeq} className="comment" data-testid="comment">
            <strong>{c.actor?.displayName ?? 'Someone'}:</strong> {String(c.payload.text)}
          </p>
        ))}
        {editable && <CommentForm draftId={d.id} onDone={onChange} />}
      </section>
      <RingHistoryPanel draftId={d.id} />
      <CollaboratorsPanel draft={d} userId={me} editable={editable} onChange={onChange} onLeft={() => navigate('/drafts')} />
      {isOwner && editable && <InvitesPanel draftId={d.id} />}
      {isOwner && editable && <OwnerControls draft={d} onChange={onChange} />}
    </div>
  );
}
