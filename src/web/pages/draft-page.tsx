import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { Draft } from '../../contract/drafts.js';
import { PLATFORM_NAMES } from '../../contract/platform-text.js';
import { ApiError } from '../api/client.js';
import { useLiveDraft, type PresenceUser } from '../api/live.js';
import { useAuth } from '../auth/auth-context.js';
import { Avatar } from '../components/avatar.js';
import { FormError, Notice } from '../components/form.js';
import { LiveIndicator } from '../components/live-indicator.js';
import { AnalyticsPanel } from './draft/analytics-panel.js';
import { CoachPanel } from './draft/coach-panel.js';
import { CoachTargetContext, type CoachTarget } from './draft/coach-target.js';
import { placeComments } from './draft/comment-placement.js';
import { CommentForm, CommentList } from './draft/comments.js';
import { Composer } from './draft/composer.js';
import { PreviewPanel } from './draft/preview-panel.js';
import { RecoveredEdits } from './draft/recovered-edits.js';
import { RingPanel } from './draft/ring-panel.js';
import { SettingsPanel } from './draft/settings-panel.js';
import { ShareDialog } from './draft/share-dialog.js';
import { SharePanel } from './draft/share-panel.js';
import { Thread } from './draft/thread.js';
import { LeaveGuard } from './draft/leave-guard.js';
import { unsentKeys, useUnsent, useUnsentEdits } from './draft/unsent.js';
import { useCommentsQuery, useDraftQuery } from './draft/use-draft.js';
import { InvitesPanel, WritersPanel } from './draft-people.js';
import './draft/draft-page.css';

/** For the writers waiting for the ring: who has it, and that a next post they started is kept. */
function WaitingForRing({ draft, userId }: { draft: Draft; userId: string }) {
  const next = useUnsent(unsentKeys.next(userId, draft.id));
  const holder = draft.collaborators.find((c) => c.userId === draft.ringHolderId);
  return (
    <section className="card" aria-labelledby="composer-title">
      <h2 id="composer-title">Your turn comes next</h2>
      <p data-testid="waiting-for-ring">
        The ring is with {holder?.displayName ?? 'someone'}. You can write when it is passed to you.
        {next.trim() !== '' && ' The next post you started is kept for then.'}
      </p>
    </section>
  );
}

function Typing({ typists, position }: { typists: PresenceUser[]; position: number }) {
  if (typists.length === 0) return null;
  return (
    <p className="typing" role="status" data-testid="typing">
      {typists.map((u) => u.displayName).join(', ')} {typists.length === 1 ? 'is' : 'are'} typing post {position}…
    </p>
  );
}

/**
 * A draft: the thread and the composer in the main column; the ring, the preview, the writers, getting the
 * thread out and the owner's settings beside it (below it on a phone). The draft is read once and then kept
 * current by its events, live.
 */
export function DraftPage() {
  const { id = '' } = useParams();
  const { state } = useAuth();
  const navigate = useNavigate();
  const userId = state.status === 'signed-in' ? state.user.id : '';
  const draft = useDraftQuery(id);
  const loaded = draft.data !== undefined;
  const comments = useCommentsQuery(id, loaded);
  const { status: live, users, setPresence } = useLiveDraft(id, loaded);
  const edits = useUnsentEdits(userId, id);
  const [sharing, setSharing] = useState(false);
  // A new object for every pick, so picking the same post again brings the coach panel back into view.
  const [turnPick, setTurnPick] = useState<{ segmentId: string | null }>({ segmentId: null });
  const coachTarget = useMemo<CoachTarget>(() => ({ segmentId: turnPick.segmentId, choose: (segmentId) => setTurnPick({ segmentId }) }), [turnPick]);
  const segments = draft.data?.segments;
  const placed = useMemo(() => placeComments(comments.data?.events ?? [], segments ?? []), [comments.data, segments]);

  const guard = <LeaveGuard draftId={id} draft={draft.data} userId={userId} />;
  if (state.status !== 'signed-in') return null;
  if (draft.isPending) return <p role="status">Loading…</p>;
  if (draft.error instanceof ApiError && draft.error.problem.status === 404) {
    return (
      <section className="card narrow" aria-labelledby="gone-title">
        <h1 id="gone-title">This draft is not open to you</h1>
        <p role="alert">It may have been deleted, or you are no longer one of its writers.</p>
        <Link to="/drafts">Back to your drafts</Link>
      </section>
    );
  }
  if (!draft.data) return <FormError error={draft.error} />;
  const d = draft.data;
  const isOwner = d.ownerId === userId;
  const editable = d.status === 'draft';
  const mine = d.ringHolderId === userId;
  const typists = users.filter((u) => u.state === 'typing' && u.userId !== userId);
  const here = users.filter((u) => u.userId !== userId);

  return (
    <CoachTargetContext value={coachTarget}>
    <div className="draft-page with-side">
      {guard}
      <div className="draft-main stack">
        <header className="draft-header">
          <div className="row spread">
            <h1 data-testid="draft-title">{d.title}</h1>
            <span className="row tight">
              <button type="button" className="secondary small" onClick={() => setSharing(true)} aria-haspopup="dialog">
                Share
              </button>
              {isOwner && editable && (
                <a className="settings-link" href="#settings">
                  Settings
                </a>
              )}
            </span>
          </div>
          <p className="muted row tight">
            <span>
              {PLATFORM_NAMES[d.platform]} · {editable ? 'in progress' : d.status} · {d.segments.length} {d.segments.length === 1 ? 'post' : 'posts'}
            </span>
            <LiveIndicator status={live} />
            {here.length > 0 && (
              <span className="row tight" aria-label="Also here" data-testid="here" role="group">
                {here.map((u) => (
                  <Avatar key={u.userId} userId={u.userId} displayName={u.displayName} size="small" label={`${u.displayName} is ${u.state}`} />
                ))}
              </span>
            )}
          </p>
        </header>
        {!editable && <Notice>This draft is {d.status}; it can be read and exported but no longer changed.</Notice>}
        <RecoveredEdits draft={d} userId={userId} edits={edits} />
        <Thread draft={d} userId={userId} canChange={editable && mine} canComment={editable} commentsByPost={placed.byPost} edits={edits} />
        <Typing typists={typists} position={d.segments.length + 1} />
        {editable &&
          (mine ? (
            <Composer draft={d} userId={userId} onTyping={(typing) => setPresence(typing ? 'typing' : 'viewing', typing ? d.segments.length : undefined)} />
          ) : (
            <WaitingForRing draft={d} userId={userId} />
          ))}
        <section className="card" aria-labelledby="comments-title">
          <h2 id="comments-title">Comments on the draft</h2>
          {placed.general.length === 0 && <p className="muted">No comments on the draft as a whole yet.</p>}
          <CommentList comments={placed.general} />
          {editable && <CommentForm draftId={d.id} />}
        </section>
      </div>
      <aside className="side stack" aria-label="About this draft">
        <RingPanel draft={d} userId={userId} />
        {editable && <CoachPanel draft={d} canApply={mine} />}
        <PreviewPanel draft={d} />
        <WritersPanel draft={d} userId={userId} editable={editable} onLeft={() => navigate('/drafts')} />
        <AnalyticsPanel draftId={d.id} />
        {isOwner && editable && <InvitesPanel draftId={d.id} />}
        <SharePanel draft={d} />
        {isOwner && editable && <SettingsPanel draft={d} />}
      </aside>
      {sharing && <ShareDialog draft={d} isOwner={isOwner} onClose={() => setSharing(false)} />}
    </div>
    </CoachTargetContext>
  );
}
