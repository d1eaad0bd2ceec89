import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { MIRROR_MAX_MESSAGES, type MirrorMessage } from '../../../contract/coach.js';
import { ApiError } from '../../api/client.js';
import { coachApi, coachKeys, StreamCutError } from '../../api/coach.js';
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

/** The reply as it streams in, inside the chat's polite live region, so it is read out as it arrives. */
function StreamingReply({ text }: { text: string }) {
  return (
    <li className="chat-message coach" data-testid="mirror-streaming">
      <span className="who">Coach</span>
      <p className="chat-text">{text === '' ? 'Thinking…' : text}</p>
    </li>
  );
}

type Sending = { content: string; stored: boolean; reply: string };

/** `/coach/mirror/:id`: one session's conversation, a composer, and the coach's reply streaming in. */
export function MirrorSessionPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const confirm = useConfirm();
  const queryClient = useQueryClient();
  const session = useQuery({ queryKey: coachKeys.session(id), queryFn: () => coachApi.session(id) });
  const messages = useQuery({ queryKey: coachKeys.messages(id), queryFn: () => coachApi.messages(id), enabled: session.isSuccess });
  const [draft, setDraft] = useState('');
  const [sending, setSending] = useState<Sending | null>(null);
  const [error, setError] = useState<unknown>(null);
  const gone = useRef(false);
  useEffect(() => {
    gone.current = false;
    return () => {
      // Leaving the page stops reading the stream, which closes it: the server keeps what came so far.
      gone.current = true;
    };
  }, []);

  const add = (message: MirrorMessage) =>
    queryClient.setQueryData<MirrorMessage[]>(coachKeys.messages(id), (list) => (list && !list.some((m) => m.id === message.id) ? [...list, message] : list));

  async function send(event: FormEvent) {
    event.preventDefault();
    const content = draft.trim();
    if (!content || sending) return;
    setError(null);
    setSending({ content, stored: false, reply: '' });
    setDraft('');
    let stored = false;
    try {
      const reply = await coachApi.sendMessage(
        id,
        content,
        {
          onMessage: (message) => {
            stored = true;
            add(message);
            setSending((s) => s && { ...s, stored: true });
          },
          onDelta: (text) => setSending((s) => s && { ...s, reply: s.reply + text }),
        },
        () => gone.current,
      );
      if (reply) add(reply);
    } catch (problem) {
      if (gone.current) return;
      setError(problem);
      // Refused before the message was kept: it goes back into the composer, nothing lost.
      if (!stored) setDraft((now) => (now === '' ? content : now));
    } finally {
      if (!gone.current) {
        setSending(null);
        void queryClient.invalidateQueries({ queryKey: coachKeys.session(id) });
        void queryClient.invalidateQueries({ queryKey: coachKeys.sessions(), exact: true });
        // A cut reply is kept by the server as it was: read it back, marked unfinished.
        if (stored) void queryClient.invalidateQueries({ queryKey: coachKeys.messages(id) });
      }
    }
  }

  const remove = useMutation({
    mutationFn: () => coachApi.deleteSession(id),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: coachKeys.session(id) });
      void queryClient.invalidateQueries({ queryKey: coachKeys.sessions() });
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
  if (session.error instanceof ApiError && session.error.problem.status === 404) {
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
        <ol className="chat" aria-live="polite" aria-relevant="additions text" data-testid="mirror-chat">
          {list.map((m) => (
            <Message key={m.id} message={m} />
          ))}
          {sending && !sending.stored && (
            <li className="chat-message user" data-role="user">
              <span className="who">You</span>
              <p className="chat-text">{sending.content}</p>
            </li>
          )}
          {sending && <StreamingReply text={sending.reply} />}
        </ol>
        {offline && <AnsweredByNote provider={offline.provider} fallback={offline.fallback} />}
        {error instanceof StreamCutError ? (
          <p className="form-error" role="alert">
            The connection broke before the reply was finished. What arrived is kept and marked; you can send your next message when you are ready.
          </p>
        ) : (
          <CoachError error={error} />
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
              <button type="submit" disabled={sending !== null || draft.trim() === ''}>
                {sending ? 'The coach is replying…' : 'Send'}
              </button>
            </div>
          </form>
        )}
      </section>
      <div>
        <button type="button" className="secondary small" onClick={askDelete} disabled={remove.isPending}>
          Delete this session
        </button>
        <FormError error={remove.error} />
      </div>
    </div>
  );
}
