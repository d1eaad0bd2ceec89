import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Turn, TurnSuggestion } from '../../../contract/coach.js';
import type { Draft, Segment } from '../../../contract/drafts.js';
import { PLATFORM_NAMES } from '../../../contract/platform-text.js';
import { api, ApiError } from '../../api/client.js';
import { coachApi, coachKeys } from '../../api/coach.js';
import { localChange } from '../../api/draft-cache.js';
import { BusyButton } from '../../components/busy-button.js';
import { CoachError } from '../../components/coach-notices.js';
import { TurnAnswer } from '../coach/turn-answer.js';
import { useCoachTarget } from './coach-target.js';
import { useDraftChange } from './use-draft.js';
import '../coach/coach.css';

/** "Post 2: Boil them, mash them…", short enough for a select. */
function postLabel(segment: Segment): string {
  const text = segment.content.replace(/\s+/g, ' ').trim();
  return `Post ${segment.position + 1}: ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}

/**
 * A Turn asked for one post, with the revision of the post it was asked on (what applying it replaces).
 * `stale`: the post changed after it was asked, so its suggestions can no longer be used.
 */
type Asked = { turn: Turn; segmentId: string; revision: number; stale: boolean };

type Applied = { index: number } | null;

/**
 * The coach beside a draft: pick a post (or "Turn this post" on one), ask for a Turn, read up to three
 * rewrites with their length against the platform's limit, and, holding the ring, use one in one click. Using
 * one is an ordinary edit of the post, made on the revision the Turn was asked on: if the post changed since,
 * the server refuses it and the panel says so instead of overwriting the newer text, and puts those
 * suggestions' buttons away.
 */
export function CoachPanel({ draft, canApply }: { draft: Draft; canApply: boolean }) {
  const id = useId();
  const target = useCoachTarget();
  const heading = useRef<HTMLHeadingElement>(null);
  const change = useDraftChange(draft.id);
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState(draft.segments[0]?.id ?? '');
  const [asked, setAsked] = useState<Asked | null>(null);
  const [applied, setApplied] = useState<Applied>(null);

  // "Turn this post" on a post: that post is picked, and the panel comes into view with focus on its title.
  useEffect(() => {
    if (!target.segmentId) return;
    setChosen(target.segmentId);
    heading.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus();
  }, [target]);

  const segment = draft.segments.find((s) => s.id === chosen) ?? draft.segments[0];
  const apply = useMutation({
    mutationFn: ({ text }: { text: string; index: number }) => api.editSegment(draft.id, asked!.segmentId, text, asked!.revision),
    onMutate: () => setApplied(null),
    onSuccess: (saved, { index }) => {
      change((d) => localChange.edited(d, saved));
      // Another suggestion may replace this one next: it is then made on the revision just saved.
      setAsked((a) => a && { ...a, revision: saved.revision });
      setApplied({ index });
    },
    onError: (error) => {
      const current = error instanceof ApiError ? error.current<Segment>() : undefined;
      if (current) {
        change((d) => localChange.edited(d, current));
        setAsked((a) => a && { ...a, stale: true });
      }
    },
  });
  const turn = useMutation({
    mutationFn: (s: Segment) => coachApi.createTurn({ draftId: draft.id, segmentId: s.id }),
    // A new question puts the last answer, and what was done with it, away.
    onMutate: () => {
      setAsked(null);
      setApplied(null);
      apply.reset();
    },
    onSuccess: (answer, s) => {
      setAsked({ turn: answer, segmentId: s.id, revision: s.revision, stale: false });
      void queryClient.invalidateQueries({ queryKey: coachKeys.turns() });
    },
  });

  function ask(event: FormEvent) {
    event.preventDefault();
    if (!segment || turn.isPending) return;
    turn.mutate(segment);
  }

  const askedPost = asked ? draft.segments.find((s) => s.id === asked.segmentId) : undefined;
  const postNumber = askedPost ? askedPost.position + 1 : null;
  const usable = canApply && askedPost !== undefined && asked?.stale === false;
  // The suggestion in use keeps its button (and so the focus of whoever pressed it), marked and inert.
  const useAction = (s: TurnSuggestion, index: number) =>
    usable && (
      <span className="row tight">
        {applied?.index === index && (
          <span className="hint">
            <span aria-hidden="true">✓ </span>In post {postNumber}
          </span>
        )}
        <BusyButton
          type="button"
          className="small secondary"
          busy={apply.isPending || applied?.index === index}
          onClick={() => apply.mutate({ text: s.text, index })}
          aria-label={`Use suggestion ${index + 1} for post ${postNumber}`}
        >
          Use suggestion {index + 1}
        </BusyButton>
      </span>
    );
  const footer = asked && (
    <>
      {!canApply && <p className="hint">You can use a suggestion in the thread while you hold the ring.</p>}
      {canApply && !askedPost && <p className="hint">That post is no longer in the thread.</p>}
    </>
  );
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
          <BusyButton type="submit" busy={turn.isPending}>
            {turn.isPending ? 'The coach is thinking…' : 'Ask for a Turn'}
          </BusyButton>
        </form>
      )}
      <CoachError error={turn.error} />
      {/* Mounted empty, so the answer and what became of it are announced when they come. */}
      <div className="stack tight" aria-live="polite" aria-busy={turn.isPending || undefined}>
        {asked && (
          <TurnAnswer turn={asked.turn} heading={`Suggestions${postNumber ? ` for post ${postNumber}` : ''}`} action={useAction} footer={footer} />
        )}
        {asked && applied && (
          <p className="notice" data-testid="turn-applied">
            Post {postNumber} now reads suggestion {applied.index + 1}. Its earlier text is in the post’s history.
          </p>
        )}
        {asked?.stale && (
          <p className="form-error" data-testid="turn-stale">
            Post {postNumber} changed after you asked, so its newer text was kept. Ask for a new Turn to work from it.
          </p>
        )}
      </div>
      {!asked?.stale && <CoachError error={apply.error} />}
    </section>
  );
}
