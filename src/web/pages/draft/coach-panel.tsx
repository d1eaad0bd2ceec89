import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Turn } from '../../../contract/coach.js';
import type { Draft, Segment } from '../../../contract/drafts.js';
import { PLATFORM_NAMES } from '../../../contract/platform-text.js';
import { api, ApiError } from '../../api/client.js';
import { coachApi, coachKeys } from '../../api/coach.js';
import { localChange } from '../../api/draft-cache.js';
import { AnsweredByNote, CoachError, SafetyNoticeView } from '../../components/coach-notices.js';
import { useCoachTarget } from './coach-target.js';
import { useDraftChange } from './use-draft.js';
import '../coach/coach.css';

/** "Post 2: Boil them, mash them…", short enough for a select. */
function postLabel(segment: Segment): string {
  const text = segment.content.replace(/\s+/g, ' ').trim();
  return `Post ${segment.position + 1}: ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}

/** A Turn asked for one post, with the revision of the post it was asked on (what applying it replaces). */
type Asked = { turn: Turn; segmentId: string; revision: number };

type ApplyResult = { kind: 'applied'; index: number } | { kind: 'changed' } | null;

/**
 * The coach beside a draft: pick a post (or "Turn this post" on one), ask for a Turn, read up to three
 * rewrites with their length against the platform's limit, and, holding the ring, use one in one click. Using
 * one is an ordinary edit of the post, made on the revision the Turn was asked on: if the post changed since,
 * the server refuses it and the panel says so instead of overwriting the newer text.
 */
export function CoachPanel({ draft, canApply }: { draft: Draft; canApply: boolean }) {
  const id = useId();
  const target = useCoachTarget();
  const heading = useRef<HTMLHeadingElement>(null);
  const change = useDraftChange(draft.id);
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState(draft.segments[0]?.id ?? '');
  const [asked, setAsked] = useState<Asked | null>(null);
  const [result, setResult] = useState<ApplyResult>(null);

  // "Turn this post" on a post: that post is picked, and the panel comes into view with focus on its title.
  useEffect(() => {
    if (!target.segmentId) return;
    setChosen(target.segmentId);
    heading.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus();
  }, [target]);

  const segment = draft.segments.find((s) => s.id === chosen) ?? draft.segments[0];
  const turn = useMutation({
    mutationFn: (s: Segment) => coachApi.createTurn({ draftId: draft.id, segmentId: s.id }),
    onSuccess: (answer, s) => {
      setAsked({ turn: answer, segmentId: s.id, revision: s.revision });
      setResult(null);
      void queryClient.invalidateQueries({ queryKey: coachKeys.turns() });
    },
  });
  const apply = useMutation({
    mutationFn: ({ text }: { text: string; index: number }) => api.editSegment(draft.id, asked!.segmentId, text, asked!.revision),
    onSuccess: (saved, { index }) => {
      change((d) => localChange.edited(d, saved));
      // Another suggestion may replace this one next: it is then made on the revision just saved.
      setAsked((a) => a && { ...a, revision: saved.revision });
      setResult({ kind: 'applied', index });
    },
    onError: (error) => {
      const current = error instanceof ApiError ? error.current<Segment>() : undefined;
      if (current) {
        change((d) => localChange.edited(d, current));
        setResult({ kind: 'changed' });
      }
    },
  });

  function ask(event: FormEvent) {
    event.preventDefault();
    if (!segment || turn.isPending) return;
    apply.reset();
    turn.mutate(segment);
  }

  const askedPost = asked ? draft.segments.find((s) => s.id === asked.segmentId) : undefined;
  const postNumber = askedPost ? askedPost.position + 1 : null;
  return (
    <section className="card coach-panel" aria-labelledby={`${id}-title`} data-testid="coach-panel">
      <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
        Coach
      </h2>
      {draft.segments.length === 0 ? (
        <p className="muted">Write a first post, then ask the coach for other ways to say it.</p>
      ) : (
        <form onSubmit={ask} className="stack tight" noValidate>
          <p className="hint">A Turn offers up to three other ways to say a post, each within {PLATFORM_NAMES[draft.platform]}’s limit.</p>
          <div className="field">
            <label htmlFor={`${id}-post`}>Post</label>
            <select id={`${id}-post`} value={segment?.id ?? ''} onChange={(e) => setChosen(e.target.value)}>
              {draft.segments.map((s) => (
                <option key={s.id} value={s.id}>
                  {postLabel(s)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" disabled={turn.isPending}>
            {turn.isPending ? 'The coach is thinking…' : 'Ask for a Turn'}
          </button>
        </form>
      )}
      <CoachError error={turn.error} />
      {asked && (
        <div className="turn-answer stack tight" data-testid="turn-answer" aria-live="polite">
          {asked.turn.safety ? (
            <SafetyNoticeView notice={asked.turn.safety} />
          ) : (
            <>
              <h3>Suggestions{postNumber ? ` for post ${postNumber}` : ''}</h3>
              <ol className="plain-list suggestions-list">
                {asked.turn.suggestions.map((s, index) => (
                  <li key={index} className="suggestion-card" data-testid="turn-suggestion">
                    <p className="suggestion-text">{s.text}</p>
                    <div className="row spread">
                      <span className="post-count">
                        {s.length} / {asked.turn.limit}
                        <span className="visually-hidden"> characters on {PLATFORM_NAMES[asked.turn.platform]}</span>
                      </span>
                      {canApply && askedPost && (
                        <button
                          type="button"
                          className="small secondary"
                          disabled={apply.isPending}
                          onClick={() => apply.mutate({ text: s.text, index })}
                          aria-label={`Use suggestion ${index + 1} for post ${postNumber}`}
                        >
                          Use suggestion {index + 1}
                        </button>
                      )}
                    </div>
                  </li>
                ))}
              </ol>
              {!canApply && <p className="hint">You can use a suggestion in the thread while you hold the ring.</p>}
              {canApply && !askedPost && <p className="hint">That post is no longer in the thread.</p>}
            </>
          )}
          <AnsweredByNote provider={asked.turn.provider} fallback={asked.turn.fallback} />
          {result?.kind === 'applied' && (
            <p className="notice" role="status" data-testid="turn-applied">
              Post {postNumber} now reads suggestion {result.index + 1}. Its earlier text is in the post’s history.
            </p>
          )}
          {result?.kind === 'changed' && (
            <p className="form-error" role="alert" data-testid="turn-stale">
              Post {postNumber} changed after you asked, so its newer text was kept. Ask for a new Turn to work from it.
            </p>
          )}
          {!result && <CoachError error={apply.error} />}
        </div>
      )}
    </section>
  );
}
