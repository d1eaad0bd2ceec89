import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { COACH_ERROR_CODES, MIRROR_MAX_MESSAGES, type MirrorMessage } from '../../../contract/coach.js';
import { ApiError } from '../../api/client.js';
import { coachApi, coachKeys, coachRefresh, StreamCutError } from '../../api/coach.js';
import { BusyButton } from '../../components/busy-button.js';
import { AnsweredByNote, CoachError, SafetyNoticeView } from '../../components/coach-notices.js';
import { useConfirm } from '../../components/confirm-dialog.js';
import { FormError } from '../../components/form.js';
import { CoachHeader } from './coach-header.js';

const byOffline = (m: MirrorMessage) => m.role === 'coach' && (m.provider === 'local' || m.fallback);

function Message({ message }: { message: MirrorMessage }) {
  const mine = message.role === 'user';
  return (
    <li className={`chat-message ${message.role}${message.complete ? '' : ' incomplete'}`} data-testid="mirror-message" data-role={message.role}>
      <span className="who">{mine ? 'You' : byOffline(message) ? 'Coach (offline)' : 'Coach'}</span>
      {message.safety ? <SafetyNoticeView notice={message.safety} /> : <p className="chat-text">{message.content}</p>}
      {!message.complete && (
        <p className="incomplete-note" data-testid="incomplete">
          This reply was cut off before it was finished.
        </p>
      )}
    </li>
  );
}

/** The reply as it streams in: busy until it is done, so a screen reader does not read out every piece. */
function StreamingReply({ text }: { text: string }) {
  return (
    <li className="chat-message coach" data-testid="mirror-streaming" aria-busy="true">
      <span className="who">Coach</span>
      <p className="chat-text">{text === '' ? 'Thinking…' : text}</p>
    </li>
  );
}

/** A message on its way: its text, and whether the server has stored it yet (its `message` event came). */
type Sending = { content: string; stored: MirrorMessage | null; reply: string };

/** `/coach/mirror/:id`: one session, keyed by its id, so moving to another session starts afresh. */
export function MirrorSessionPage() {
  const { id = '' } = useParams();
  return <MirrorSession key={id} id={id} />;
}

/** One session's conversation, a composer, and the coach's reply streaming in. */
function MirrorSession({ id }: { id: string }) {
  const navigate = useNavigate();
  const confirm = useConfirm();
  const queryClient = useQueryClient();
  const session = useQuery({ queryKey: coachKeys.session(id), queryFn: () => coachApi.session(id) });
  const messages = useQuery({ queryKey: coachKeys.messages(id), queryFn: () => coachApi.messages(id), enabled: session.isSuccess });
  const [draft, setDraft] = useState('');
  const [sending, setSending] = useState<Sending | null>(null);
  const [error, setError] = useState<unknown>(null);
  // What the live region says: the finished reply, once (the streaming text is busy, not read piece by piece).
  const [announced, setAnnounced] = useState('');
  const leaving = useRef<AbortController | null>(null);
  // Leaving the page aborts the stream's request, which closes it: the server keeps what came so far.
  useEffect(() => () => leaving.current?.abort(), []);

  const add = (message: MirrorMessage) =>
    queryClient.setQueryData<MirrorMessage[]>(coachKeys.messages(id), (list) => (list && !list.some((m) => m.id === message.id) ? [...list, message] : list));
  const drop = (message: MirrorMessage) => queryClient.setQueryData<MirrorMessage[]>(coachKeys.messages(id), (list) => list?.filter((m) => m.id !== message.id));

  async function send(event: FormEvent) {
    event.preventDefault();
    const content = draft.trim();
    if (!content || sending) return;
    const controller = new AbortController();
    leaving.current = controller;
    setError(null);
    setAnnounced('');
    setSending({ content, stored: null, reply: '' });
    setDraft('');
    let stored: MirrorMessage | null = null;
    let cut = false;
    try {
      const reply = await coachApi.sendMessage(
        id,
        content,
        {
          onMessage: (message) => {
            stored = message;
            add(message);
            setSending((s) => s && { ...s, stored: message });
          },
          onDelta: (text) => setSending((s) => s && { ...s, reply: s.reply + text }),
        },
        controller.signal,
      );
      if (reply) {
        add(reply);
        setAnnounced(reply.safety ? 'The coach answered with a note of support.' : `The coach replied: ${reply.content}`);
      }
    } catch (problem) {
      if (controller.signal.aborted) return;
      setError(problem);
      cut = problem instanceof StreamCutError;
      // A cut reply is kept by the server as it was. Any other failure takes my message back (the server
      // withdrew it, or never kept it): it leaves the conversation and goes back into the composer.
      if (!cut) {
        if (stored) drop(stored);
        setDraft((now) => (now === '' ? content : `${content}\n${now}`));
      }
    } finally {
      if (!controller.signal.aborted) {
        setSending(null);
        void queryClient.invalidateQueries({ queryKey: coachKeys.session(id), exact: true });
        void coachRefresh.sessions(queryClient);
        // A cut reply was kept as it was: read it back, marked unfinished.
        if (cut) void queryClient.invalidateQueries({ queryKey: coachKeys.messages(id) });
      }
    }
  }

  const remove = useMutation({
    mutationFn: () => coachApi.deleteSession(id),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: coachKeys.session(id) });
      void coachRefresh.sessions(queryClient);
      navigate('/coach/mirror');
    },
  });
  async function askDelete() {
    const ok = await confirm({
      title: 'Delete this session?',
      body: 'The session and all its messages are deleted for good.',
      confirmLabel: 'Delete session',
      danger: true,
    });
    if (ok) remove.mutate();
  }

  if (session.isPending) return <p role="status">Loading…</p>;
  if (session.error instanceof ApiError && session.error.code === COACH_ERROR_CODES.MIRROR_SESSION_NOT_FOUND) {
    return (
      <section className="card narrow" aria-labelledby="gone-title">
        <h1 id="gone-title">This session is not here</h1>
        <p role="alert">It may have been deleted.</p>
        <Link to="/coach/mirror">Back to your sessions</Link>
      </section>
    );
  }
  if (!session.data) return <FormError error={session.error} />;
  const s = session.data;
  const list = messages.data ?? [];
  const full = list.length >= MIRROR_MAX_MESSAGES;
  const offline = list.find(byOffline);
  return (
    <div className="coach-page stack">
      <CoachHeader title={s.title}>
        A Mirror session{s.draftId && <> about <Link to={`/drafts/${s.draftId}`}>your draft</Link></>}.
      </CoachHeader>
      <section className="card stack tight" aria-label="Conversation">
        {messages.isPending && <p role="status">Loading…</p>}
        {!messages.data && <FormError error={messages.error} />}
        {messages.isSuccess && list.length === 0 && !sending && <p className="muted">Say whatever is on your mind about your writing. The coach answers here.</p>}
        <ol className="chat" data-testid="mirror-chat">
          {list.map((m) => (
            <Message key={m.id} message={m} />
          ))}
          {sending && sending.stored === null && (
            <li className="chat-message user" data-role="user">
              <span className="who">You</span>
              <p className="chat-text">{sending.content}</p>
            </li>
          )}
          {sending && <StreamingReply text={sending.reply} />}
        </ol>
        <p className="visually-hidden" aria-live="polite" data-testid="mirror-announcer">
          {announced}
        </p>
        {offline && <AnsweredByNote provider={offline.provider} fallback={offline.fallback} />}
        {error instanceof StreamCutError ? (
          <p className="form-error" role="alert">
            The connection broke before the reply was finished. What arrived is kept and marked; you can send your next message when you are ready.
          </p>
        ) : (
          error !== null && (
            <div className="stack tight" data-testid="mirror-failed">
              <CoachError error={error} />
              <p className="hint">Your message is back in the box below.</p>
            </div>
          )
        )}
        {full ? (
          <p className="notice" role="status">
            This session holds all the messages it can. <Link to="/coach/mirror">Start a new session</Link> to keep talking.
          </p>
        ) : (
          <form className="composer-form" onSubmit={send} noValidate>
            <label htmlFor="mirror-composer">Your message</label>
            <textarea id="mirror-composer" rows={3} maxLength={5000} value={draft} onChange={(e) => setDraft(e.target.value)} />
            <div className="row">
              <BusyButton type="submit" busy={sending !== null || draft.trim() === ''}>
                {sending ? 'The coach is replying…' : 'Send'}
              </BusyButton>
            </div>
          </form>
        )}
      </section>
      <div>
        <BusyButton type="button" className="secondary small" onClick={askDelete} busy={remove.isPending}>
          Delete this session
        </BusyButton>
        <FormError error={remove.error} />
      </div>
    </div>
  );
}
