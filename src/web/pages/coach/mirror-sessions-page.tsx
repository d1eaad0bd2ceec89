import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { MIRROR_TITLE_MAX, type MirrorSession } from '../../../contract/coach.js';
import { api } from '../../api/client.js';
import { coachApi, coachKeys, coachRefresh } from '../../api/coach.js';
import { BusyButton } from '../../components/busy-button.js';
import { CoachError } from '../../components/coach-notices.js';
import { useConfirm } from '../../components/confirm-dialog.js';
import { Field, FormError, fieldError } from '../../components/form.js';
import { RelativeTime } from '../../components/relative-time.js';
import { CoachHeader } from './coach-header.js';

/** Starts a session, about one of the user's drafts if they pick one (`?draft=` picks it ahead). */
function StartSession() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const [title, setTitle] = useState('');
  const [draftId, setDraftId] = useState(params.get('draft') ?? '');
  const drafts = useQuery({ queryKey: ['drafts', 'for-mirror'], queryFn: () => api.drafts() });
  const start = useMutation({
    mutationFn: () => coachApi.createSession({ ...(title.trim() ? { title: title.trim() } : {}), ...(draftId ? { draftId } : {}) }),
    onSuccess: (session) => {
      void coachRefresh.sessions(queryClient);
      navigate(`/coach/mirror/${session.id}`);
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!start.isPending) start.mutate();
  }
  return (
    <section className="card" aria-labelledby="start-title">
      <h2 id="start-title">Start a session</h2>
      <form onSubmit={submit} noValidate>
        <Field
          label="What is on your mind? (optional)"
          value={title}
          maxLength={MIRROR_TITLE_MAX}
          onChange={(e) => setTitle(e.target.value)}
          error={fieldError(start.error, 'title')}
        />
        <div className="field">
          <label htmlFor="mirror-draft">About a draft (optional)</label>
          <select id="mirror-draft" value={draftId} onChange={(e) => setDraftId(e.target.value)}>
            <option value="">No draft, just talking</option>
            {drafts.data?.items.map((d) => (
              <option key={d.id} value={d.id}>
                {d.title}
              </option>
            ))}
          </select>
        </div>
        <CoachError error={start.error && !fieldError(start.error, 'title') ? start.error : null} />
        <BusyButton type="submit" busy={start.isPending}>
          Start a session
        </BusyButton>
      </form>
    </section>
  );
}

function SessionItem({ session }: { session: MirrorSession }) {
  const confirm = useConfirm();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => coachApi.deleteSession(session.id),
    onSuccess: () => coachRefresh.sessions(queryClient),
  });
  async function askDelete() {
    const ok = await confirm({
      title: `Delete “${session.title}”?`,
      body: 'The session and all its messages are deleted for good.',
      confirmLabel: 'Delete session',
      danger: true,
    });
    if (ok) remove.mutate();
  }
  return (
    <li className="session-item" data-testid="mirror-session">
      <div>
        <Link to={`/coach/mirror/${session.id}`}>{session.title}</Link>
        <p className="hint">
          {session.messageCount} {session.messageCount === 1 ? 'message' : 'messages'} · <RelativeTime iso={session.updatedAt} />
        </p>
        <FormError error={remove.error} />
      </div>
      <BusyButton type="button" className="small secondary" onClick={askDelete} busy={remove.isPending} aria-label={`Delete ${session.title}`}>
        Delete
      </BusyButton>
    </li>
  );
}

/** `/coach/mirror`: the user's Mirror sessions, newest first, and a way to start one. */
export function MirrorSessionsPage() {
  const sessions = useInfiniteQuery({
    queryKey: coachKeys.sessions(),
    queryFn: ({ pageParam }) => coachApi.sessions(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = sessions.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="coach-page stack">
      <CoachHeader title="Mirror">Talk your writing through with the coach. It listens, reflects back and asks questions.</CoachHeader>
      <StartSession />
      <section className="card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Your sessions</h2>
        {sessions.isPending ? (
          <p role="status">Loading…</p>
        ) : !sessions.data ? (
          <FormError error={sessions.error} />
        ) : items.length === 0 ? (
          <p className="muted">No sessions yet. Start one whenever you like.</p>
        ) : (
          <ul className="plain-list">
            {items.map((s) => (
              <SessionItem key={s.id} session={s} />
            ))}
          </ul>
        )}
        {sessions.hasNextPage && (
          <BusyButton type="button" className="secondary load-more" busy={sessions.isFetchingNextPage} onClick={() => void sessions.fetchNextPage()}>
            Load more sessions
          </BusyButton>
        )}
      </section>
    </div>
  );
}
