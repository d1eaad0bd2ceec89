import type { ReactNode } from 'react';
import type { Turn, TurnSuggestion } from '../../../contract/coach.js';
import { PLATFORM_NAMES } from '../../../contract/platform-text.js';
import { AnsweredByNote, SafetyNoticeView } from '../../components/coach-notices.js';
import './coach.css';

type TurnAnswerProps = {
  turn: Turn;
  /** A heading above the rewrites ("Suggestions for post 2"); none on the Turn page, where the list is named. */
  heading?: string;
  /** What the reader can do with one rewrite (copy it, use it in the post), beside its length. */
  action?: (suggestion: TurnSuggestion, index: number) => ReactNode;
  /** Words under the rewrites (why they cannot be used just now). */
  footer?: ReactNode;
};

/**
 * A Turn's answer, the same on the Turn page and beside a draft: the safety notice when the precheck
 * matched, else each rewrite with its length against the platform's limit and what can be done with it;
 * then who wrote it, when it was the offline coach.
 */
export function TurnAnswer({ turn, heading, action, footer }: TurnAnswerProps) {
  const platform = PLATFORM_NAMES[turn.platform];
  return (
    <div className="stack tight turn-answer" data-testid="turn-answer">
      {turn.safety ? (
        <SafetyNoticeView notice={turn.safety} />
      ) : (
        <>
          {heading && <h3>{heading}</h3>}
          <ol className="plain-list suggestions-list" aria-label={heading ?? `Suggestions for ${platform}`}>
            {turn.suggestions.map((s, index) => (
              <li key={index} className="suggestion-card" data-testid="turn-suggestion">
                <p className="suggestion-text">{s.text}</p>
                <div className="row spread">
                  <span className="post-count">
                    {s.length} / {turn.limit}
                    <span className="visually-hidden"> characters on {platform}</span>
                  </span>
                  {action?.(s, index)}
                </div>
              </li>
            ))}
          </ol>
          {footer}
        </>
      )}
      <AnsweredByNote provider={turn.provider} fallback={turn.fallback} />
    </div>
  );
}
