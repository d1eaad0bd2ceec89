import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Platform } from '../../contract/constants.js';
import type { DraftSummary } from '../../contract/drafts.js';
import { PLATFORM_NAMES } from '../../contract/platform-text.js';
import { api } from '../api/client.js';
import { useLiveDraftList } from '../api/live.js';
import { useAuth } from '../auth/auth-context.js';
import { Avatar } from '../components/avatar.js';
import { Dialog } from '../components/dialog.js';
import { Field, FormError, fieldError } from '../components/form.js';
import { LiveIndicator } from '../components/live-indicator.js';
import { PlatformField } from '../components/platform-field.js';
import { RelativeTime } from '../components/relative-time.js';


function CreateDraftDialog({ onClose }: { onClose(): void }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  const [platform, setPlatform] = useState<Platform>('x');
  const [first, setFirst] = useState('');
  const create = useMutation({
    mutationFn: () => api.createDraft({ title, platform, ...(first.trim() ? { initialSegment: first } : {}) }),
    onSuccess: (draft) => {
      void queryClient.invalidateQueries({ queryKey: ['drafts'] });
      navigate(`/drafts/${draft.id}`);
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate();
  }
  return (
    <Dialog labelledBy="new-draft-title" onCancel={onClose}>
      <h2 id="new-draft-title">New draft</h2>
      <form onSubmit={submit} noValidate>
        <Field label="Title" value={title} onChange={(e) => setTitle(e.target.value)} error={fieldError(create.error, 'title')} />
        <PlatformField id="new-draft-platform" value={platform} onChange={setPlatform} />
        <div className="field">
          <label htmlFor="new-draft-first">First post (optional)</label>
          <textarea id="new-draft-first" rows={3} value={first} onChange={(e) => setFirst(e.target.value)} />
          {fieldError(create.error, 'content') && (
            <p className="field-error" role="alert">
              {fieldError(create.error, 'content')}
            </p>
          )}
        </div>
        <FormError error={create.error} fields={['title', 'content', 'platform']} />
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" disabled={create.isPending}>
            Create draft
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function DraftCard({ draft, userId }: { draft: DraftSummary; userId: string }) {
  const open = draft.status === 'draft';
  const mine = draft.ringHolder.userId === userId && open;
  const holder = mine ? 'You hold the ring' : `${draft.ringHolder.displayName} holds the ring`;
  return (
    <li className="card draft-card" data-testid="draft-card">
      <Avatar userId={draft.ringHolder.userId} displayName={draft.ringHolder.displayName} size="large" label={open ? holder : draft.ringHolder.displayName} />
      <div>
        <Link to={`/drafts/${draft.id}`} className="draft-link">
          {draft.title}
        </Link>
        {mine && <span className="badge ring">◯ Your turn</span>}
        {draft.status !== 'draft' && <span className="badge">{draft.status}</span>}
        {draft.openingWords ? <p className="draft-opening">{draft.openingWords}</p> : <p className="draft-opening muted">No posts yet.</p>}
        <p className="muted">
          {PLATFORM_NAMES[draft.platform]} · {draft.segmentCount} {draft.segmentCount === 1 ? 'post' : 'posts'} · {draft.memberCount}{' '}
          {draft.memberCount === 1 ? 'writer' : 'writers'}
          {!mine && open ? ` · ring with ${draft.ringHolder.displayName}` : ''} · active <RelativeTime iso={draft.lastActivityAt} />
        </p>
      </div>
    </li>
  );
}

export function DraftsPage() {
  const { state } = useAuth();
  const [creating, setCreating] = useState(false);
  const drafts = useInfiniteQuery({
    queryKey: ['drafts'],
    queryFn: ({ pageParam }) => api.drafts(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const live = useLiveDraftList();
  if (state.status !== 'signed-in') return null;
  const items = drafts.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="stack">
      <div className="row spread">
        <div className="row">
          <h1>Your drafts</h1>
          <LiveIndicator status={live} />
        </div>
        <div className="row">
          <Link to="/drafts/import" className="button secondary">
            Import a thread
          </Link>
          <button type="button" onClick={() => setCreating(true)}>
            New draft
          </button>
        </div>
      </div>
      {drafts.isPending && <p role="status">Loading…</p>}
      <FormError error={drafts.error} />
      {drafts.isSuccess && items.length === 0 && <p>No drafts yet. Start one and invite someone to write it with you.</p>}
      <ul className="plain-list" aria-label="Drafts">
        {items.map((d) => (
          <DraftCard key={d.id} draft={d} userId={state.user.id} />
        ))}
      </ul>
      {drafts.hasNextPage && (
        <button type="button" className="secondary" onClick={() => drafts.fetchNextPage()} disabled={drafts.isFetchingNextPage}>
          Show more
        </button>
      )}
      {creating && <CreateDraftDialog onClose={() => setCreating(false)} />}
    </div>
  );
}
