import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api/client.js';
import { useAuth } from '../auth/auth-context.js';
import { FormError } from '../components/form.js';
import { Stats } from '../components/stats.js';
import { DayActionsSection } from './coach/day-actions.js';
import { dayLabel } from './profile/chart-geometry.js';
import './progress-pages.css';

const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;
const fullDay = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' });

/** Whether today counts yet, said kindly either way. */
function WroteToday({ wrote, streak }: { wrote: boolean; streak: number }) {
  if (wrote) {
    return (
      <p className="today-state done" data-testid="wrote-today">
        <span aria-hidden="true">✓</span> You wrote today. {streak > 1 ? `That makes ${days(streak)} in a row.` : 'Your streak has begun.'}
      </p>
    );
  }
  return (
    <p className="today-state" data-testid="wrote-today">
      {streak > 0 ? `One post today keeps your ${streak}-day streak going.` : 'One post today starts a streak.'}
    </p>
  );
}

/** `/today`: the streak, whether today counts yet, the day's challenge and the coach's suggestions. */
export function TodayPage() {
  const { state } = useAuth();
  const today = useQuery({ queryKey: ['today'], queryFn: api.today });
  const momentum = useQuery({ queryKey: ['momentum'], queryFn: api.momentum });
  const userId = state.status === 'signed-in' ? state.user.id : '';

  if (today.isPending) return <p role="status">Loading…</p>;
  if (!today.data) return <FormError error={today.error} />;
  const t = today.data;

  return (
    <div className="progress-page today-page stack">
      <header>
        <h1>Today</h1>
        <p className="muted">
          <time dateTime={t.date}>{fullDay.format(new Date(`${t.date}T00:00:00Z`))}</time>
        </p>
      </header>
      <p className="lead" data-testid="today-message">
        {t.message}
      </p>
      <section className="card" aria-labelledby="streak-title">
        <h2 id="streak-title">Your streak</h2>
        <Stats
          items={[
            { label: 'Current streak', value: days(t.streakDays), testId: 'streak-days' },
            { label: 'Longest streak', value: days(t.longestStreak), testId: 'longest-streak' },
            ...(momentum.data ? [{ label: 'Momentum score', value: <>{momentum.data.score}<span className="unit"> / 100</span></> }] : []),
          ]}
        />
        <WroteToday wrote={t.wroteToday} streak={t.streakDays} />
        {userId && (
          <p className="hint">
            A day counts when you write a post in it (UTC). <Link to={`/u/${userId}`}>See your last 30 days</Link>
          </p>
        )}
      </section>
      <section className="card challenge" aria-labelledby="challenge-title">
        <p className="eyebrow">Challenge for {dayLabel(t.date)}</p>
        <h2 id="challenge-title" data-testid="challenge-title">
          {t.challenge.title}
        </h2>
        <p>{t.challenge.prompt}</p>
        <Link className="button secondary" to="/drafts">
          Go to your drafts
        </Link>
      </section>
      <DayActionsSection />
      <section className="card" aria-labelledby="suggestions-title">
        <h2 id="suggestions-title">Suggestions from your coach</h2>
        {t.suggestions.length === 0 ? (
          <p className="muted">Nothing to suggest right now. Enjoy the day.</p>
        ) : (
          <ul className="plain-list suggestions">
            {t.suggestions.map((s) => (
              <li key={s.id} data-testid="suggestion">
                {s.draftId ? <Link to={`/drafts/${s.draftId}`}>{s.text}</Link> : s.text}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
