import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { TurnSuggestion } from '../../../contract/coach.js';
import type { Platform } from '../../../contract/constants.js';
import { PLATFORM_NAMES } from '../../../contract/platform-text.js';
import { coachApi, coachKeys } from '../../api/coach.js';
import { BusyButton } from '../../components/busy-button.js';
import { CoachError } from '../../components/coach-notices.js';
import { FormError, fieldError } from '../../components/form.js';
import { PlatformField } from '../../components/platform-field.js';
import { RelativeTime } from '../../components/relative-time.js';
import { CoachHeader } from './coach-header.js';
import { TurnAnswer } from './turn-answer.js';

/** Copies a rewrite, and says whether it worked (a browser may refuse the clipboard). */
function CopySuggestion({ text, n }: { text: string; n: number }) {
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
    <span className="row tight">
      <span className="hint" role="status">
        {copied === 'yes' ? 'Copied.' : copied === 'no' ? 'Select the text to copy it.' : ''}
      </span>
      <button type="button" className="small secondary" onClick={copy}>
        Copy suggestion {n}
      </button>
    </span>
  );
}

const copyAction = (s: TurnSuggestion, index: number) => <CopySuggestion text={s.text} n={index + 1} />;

/** `/coach/turn`: a thought turned into posts for a platform, and the turns asked before. */
export function TurnPage() {
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [platform, setPlatform] = useState<Platform>('x');
  const turns = useInfiniteQuery({
    queryKey: coachKeys.turns(),
    queryFn: ({ pageParam }) => coachApi.turns(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const past = turns.data?.pages.flatMap((p) => p.items) ?? [];
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
          <BusyButton type="submit" busy={ask.isPending || text.trim() === ''}>
            {ask.isPending ? 'The coach is thinking…' : 'Ask for a Turn'}
          </BusyButton>
        </form>
        {/* Mounted empty, so the answer put in it is announced. */}
        <div className="turn-result" aria-live="polite" aria-busy={ask.isPending || undefined}>
          {ask.data && <TurnAnswer turn={ask.data} action={copyAction} />}
        </div>
      </section>
      <section className="card" aria-labelledby="turns-title">
        <h2 id="turns-title">Your recent turns</h2>
        {turns.isPending ? (
          <p role="status">Loading…</p>
        ) : !turns.data ? (
          <FormError error={turns.error} />
        ) : past.length === 0 ? (
          <p className="muted">None yet. The turns you ask for, here or in a draft, are kept here.</p>
        ) : (
          <ul className="plain-list">
            {past.map((t) => (
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
                  <TurnAnswer turn={t} action={copyAction} />
                </details>
              </li>
            ))}
          </ul>
        )}
        {turns.hasNextPage && (
          <BusyButton type="button" className="secondary load-more" busy={turns.isFetchingNextPage} onClick={() => void turns.fetchNextPage()}>
            Load more
          </BusyButton>
        )}
      </section>
    </div>
  );
}
