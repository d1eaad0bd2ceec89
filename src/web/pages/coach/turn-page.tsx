import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { Turn } from '../../../contract/coach.js';
import type { Platform } from '../../../contract/constants.js';
import { PLATFORM_NAMES } from '../../../contract/platform-text.js';
import { coachApi, coachKeys } from '../../api/coach.js';
import { AnsweredByNote, CoachError, SafetyNoticeView } from '../../components/coach-notices.js';
import { FormError, fieldError } from '../../components/form.js';
import { PlatformField } from '../../components/platform-field.js';
import { RelativeTime } from '../../components/relative-time.js';
import { CoachHeader } from './coach-header.js';

/** One rewrite, its length against the limit, and a way to copy it. */
function Suggestion({ text, length, limit, n }: { text: string; length: number; limit: number; n: number }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  }
  return (
    <li className="suggestion-card" data-testid="turn-suggestion">
      <p className="suggestion-text">{text}</p>
      <div className="row spread">
        <span className="post-count">
          {length} / {limit}
        </span>
        <span className="row tight">
          {copied && (
            <span className="hint" role="status">
              {copied === 'yes' ? 'Copied.' : 'Select the text to copy it.'}
            </span>
          )}
          <button type="button" className="small secondary" onClick={copy}>
            Copy suggestion {n}
          </button>
        </span>
      </div>
    </li>
  );
}

/** A Turn's answer: the safety notice instead when the precheck matched, else the rewrites. */
export function TurnAnswer({ turn }: { turn: Turn }) {
  return (
    <div className="stack tight" data-testid="turn-answer">
      {turn.safety ? (
        <SafetyNoticeView notice={turn.safety} />
      ) : (
        <ol className="plain-list" aria-label={`Suggestions for ${PLATFORM_NAMES[turn.platform]}`}>
          {turn.suggestions.map((s, i) => (
            <Suggestion key={i} text={s.text} length={s.length} limit={turn.limit} n={i + 1} />
          ))}
        </ol>
      )}
      <AnsweredByNote provider={turn.provider} fallback={turn.fallback} />
    </div>
  );
}

/** `/coach/turn`: a thought turned into posts for a platform, and the turns asked before. */
export function TurnPage() {
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [platform, setPlatform] = useState<Platform>('x');
  const turns = useQuery({ queryKey: coachKeys.turns(), queryFn: () => coachApi.turns() });
  const ask = useMutation({
    mutationFn: () => coachApi.createTurn({ text, platform }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: coachKeys.turns() }),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    if (text.trim() && !ask.isPending) ask.mutate();
  }
  const textError = fieldError(ask.error, 'text');
  return (
    <div className="coach-page stack">
      <CoachHeader title="Turn">
        Turn a thought into a post: up to three ways to say it, each within the platform’s limit. In a draft, “Turn this post” does the same for a post.
      </CoachHeader>
      <section className="card" aria-labelledby="turn-title">
        <h2 id="turn-title">A thought to turn</h2>
        <form onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor="turn-text">Your thought</label>
            <textarea id="turn-text" rows={4} maxLength={5000} value={text} onChange={(e) => setText(e.target.value)} aria-invalid={textError ? true : undefined} />
            {textError && (
              <p className="field-error" role="alert">
                {textError}
              </p>
            )}
          </div>
          <PlatformField id="turn-platform" value={platform} onChange={setPlatform} />
          {ask.error && !textError && <CoachError error={ask.error} />}
          <button type="submit" disabled={ask.isPending || text.trim() === ''}>
            {ask.isPending ? 'The coach is thinking…' : 'Ask for a Turn'}
          </button>
        </form>
        {ask.data && (
          <div className="turn-result" aria-live="polite">
            <TurnAnswer turn={ask.data} />
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="turns-title">
        <h2 id="turns-title">Your recent turns</h2>
        {turns.isPending ? (
          <p role="status">Loading…</p>
        ) : !turns.data ? (
          <FormError error={turns.error} />
        ) : turns.data.items.length === 0 ? (
          <p className="muted">None yet. The turns you ask for, here or in a draft, are kept here.</p>
        ) : (
          <ul className="plain-list">
            {turns.data.items.map((t) => (
              <li key={t.id} data-testid="past-turn">
                <details>
                  <summary>
                    {t.text.length > 60 ? `${t.text.slice(0, 60)}…` : t.text}
                  </summary>
                  <p className="hint">
                    For {PLATFORM_NAMES[t.platform]} · <RelativeTime iso={t.createdAt} />
                    {t.source && (
                      <>
                        {' '}
                        · <Link to={`/drafts/${t.source.draftId}`}>from a draft</Link>
                      </>
                    )}
                  </p>
                  <TurnAnswer turn={t} />
                </details>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
