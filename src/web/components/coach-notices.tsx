import { COACH_ERROR_CODES, type AiBudgetProblem, type AiProvider, type SafetyNotice } from '../../contract/coach.js';
import { ApiError } from '../api/client.js';
import { renewsIn } from './coach-words.js';
import { FormError } from './form.js';

/**
 * What the safety precheck answered instead of a generation: its supportive words and where to find help
 * now, each resource a link. Shown as a note, not an alarm: the reader is met, not flagged.
 */
export function SafetyNoticeView({ notice }: { notice: SafetyNotice }) {
  return (
    <section className="safety-notice" aria-label="Support" data-testid="safety-notice" data-category={notice.category}>
      <p className="safety-message">{notice.message}</p>
      {notice.resources.length > 0 && (
        <>
          <p className="safety-lead">If you would like to talk to someone now:</p>
          <ul className="safety-resources">
            {notice.resources.map((r) => (
              <li key={`${r.name}-${r.region}`} data-testid="safety-resource">
                <a href={r.url} target="_blank" rel="noreferrer noopener">
                  {r.name}
                </a>{' '}
                <span className="muted">
                  {r.contact}
                  {r.region !== 'international' ? ` (${r.region})` : ' (international)'}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** Says so when the offline coach wrote an answer: always when it is the configured one, or standing in. */
export function AnsweredByNote({ provider, fallback }: { provider: AiProvider | null; fallback: boolean }) {
  if (provider === null || (provider !== 'local' && !fallback)) return null;
  return (
    <p className="coach-note" data-testid="offline-coach">
      <strong>Offline coach.</strong>{' '}
      {fallback
        ? 'The AI service did not answer just now, so a simple built-in helper wrote this instead. It follows set patterns rather than reading your words as an AI would: take what helps.'
        : 'No AI service is connected here, so a simple built-in helper wrote this. It follows set patterns rather than reading your words as an AI would: take what helps.'}
    </p>
  );
}

const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

/**
 * The coach's errors: a plan's limit (`403 quota_exceeded`) is the QuotaNotice, the day's AI budget
 * (`429 ai_budget_exhausted`) a kind word on when it renews, anything else the form's message.
 */
export function CoachError({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.problem.status === 429 && error.code === COACH_ERROR_CODES.AI_BUDGET_EXHAUSTED) {
    const { budget, retryAfterSeconds = 3600 } = error.problem as Partial<AiBudgetProblem>;
    const at = clock.format(new Date(new Date().getTime() + retryAfterSeconds * 1000));
    return (
      <div className="coach-note" role="alert" data-testid="ai-budget">
        <p>
          {budget?.scope === 'user'
            ? 'You have had all of today’s coaching.'
            : 'The coach has answered everyone it can for today.'}{' '}
          It is resting now and back {renewsIn(retryAfterSeconds)} (around {at}).
        </p>
        <p>Everything you wrote is kept; you can keep writing on your own meanwhile.</p>
      </div>
    );
  }
  return <FormError error={error} />;
}
