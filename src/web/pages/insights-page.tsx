import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  LEADERBOARD_METRICS,
  LEADERBOARD_SIZE,
  LEADERBOARD_WINDOWS,
  type LeaderboardEntry,
  type LeaderboardMetric,
  type LeaderboardWindow,
} from '../../contract/analytics.js';
import { api } from '../api/client.js';
import { useAuth } from '../auth/auth-context.js';
import { Avatar } from '../components/avatar.js';
import { FormError } from '../components/form.js';
import { Segmented } from '../components/segmented.js';
import './progress-pages.css';

const METRICS: Record<LeaderboardMetric, { label: string; counts: string }> = {
  collaboration: { label: 'Collaboration', counts: '3 points a post, 2 for each turn with the ring, 1 for each draft you write in.' },
  momentum: { label: 'Momentum', counts: '1 point a post, 5 for each draft you start.' },
  consistency: { label: 'Consistency', counts: '5 points for each draft you start, 2 for each draft you write in.' },
};
const WINDOWS: Record<LeaderboardWindow, string> = { '7d': 'Last 7 days', '30d': 'Last 30 days', all: 'All time' };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function pick<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return allowed.find((a) => a === value) ?? fallback;
}

function Entry({ entry, mine }: { entry: LeaderboardEntry; mine: boolean }) {
  return (
    <li className={mine ? 'entry mine' : 'entry'} data-testid="leaderboard-entry">
      <span className="place" aria-label={`Place ${entry.rank}`}>
        {entry.rank}
      </span>
      <Avatar userId={entry.userId} displayName={entry.displayName} decorative />
      <div className="entry-body">
        <p className="entry-name">
          <Link to={`/u/${entry.userId}`}>{entry.displayName}</Link>
          {mine && <span className="badge">you</span>}
        </p>
        <p className="entry-insight">{entry.insight}</p>
        <p className="muted">
          {plural(entry.segments, 'post', 'posts')} · {plural(entry.ringsHeld, 'ring turn', 'ring turns')} · {plural(entry.draftsCreated, 'draft started', 'drafts started')} ·{' '}
          {plural(entry.draftsContributed, 'draft written in', 'drafts written in')}
        </p>
      </div>
      <p className="score">
        <span className="score-value">{entry.score}</span>
        <span className="muted">{entry.score === 1 ? 'point' : 'points'}</span>
      </p>
    </li>
  );
}

/**
 * `/insights`: the three supportive leaderboards, top ten only, over a window of days. The reader's own
 * entry is marked where they are in it; nobody is told where they stand outside it.
 */
export function InsightsPage() {
  const { state } = useAuth();
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  const fromAddress = () => ({
    metric: pick(params.get('metric'), LEADERBOARD_METRICS, 'collaboration'),
    period: pick(params.get('window'), LEADERBOARD_WINDOWS, '7d'),
  });
  // The choice is shown at once; the address follows it (a router update lands a moment later, and a
  // controlled radio waiting for it would flick back first).
  const [choice, setChoice] = useState(fromAddress);
  // Read again when the address changes some other way (the nav link, back and forward).
  useEffect(() => setChoice(fromAddress()), [search]);
  const { metric, period } = choice;
  const board = useQuery({
    queryKey: ['leaderboard', metric, period],
    queryFn: () => api.leaderboard(metric, period),
    placeholderData: keepPreviousData,
  });
  const userId = state.status === 'signed-in' ? state.user.id : '';
  function choose(next: { metric?: LeaderboardMetric; period?: LeaderboardWindow }) {
    const chosen = { ...choice, ...next };
    setChoice(chosen);
    setParams({ metric: chosen.metric, window: chosen.period }, { replace: true });
  }
  const entries = (board.data?.entries ?? []).filter((e) => e.rank <= LEADERBOARD_SIZE);

  return (
    <div className="progress-page insights-page stack">
      <header>
        <h1>Insights</h1>
        <p className="muted">The most active writers of the moment, ten at a time. Every post, ring turn and draft counts.</p>
      </header>
      <div className="board-controls">
        <Segmented
          legend="Leaderboard"
          name="metric"
          options={LEADERBOARD_METRICS.map((m) => ({ value: m, label: METRICS[m].label }))}
          value={metric}
          onChange={(m) => choose({ metric: m })}
        />
        <Segmented
          legend="Period"
          name="window"
          options={LEADERBOARD_WINDOWS.map((w) => ({ value: w, label: WINDOWS[w] }))}
          value={period}
          onChange={(w) => choose({ period: w })}
        />
      </div>
      <section className="card board" aria-labelledby="board-title" aria-busy={board.isFetching}>
        <h2 id="board-title">
          {METRICS[metric].label} · {WINDOWS[period]}
        </h2>
        <p className="hint">{METRICS[metric].counts}</p>
        {board.data && board.data.metric === metric && board.data.window === period && (
          <p className="board-message" data-testid="leaderboard-message">
            {board.data.message}
          </p>
        )}
        {board.isPending && <p role="status">Loading…</p>}
        <FormError error={board.error} />
        {board.data && entries.length === 0 && (
          <div className="empty-board" data-testid="leaderboard-empty">
            <p>Nobody has written in this period yet. The first post puts a name here.</p>
            <Link className="button" to="/drafts">
              Write a post
            </Link>
          </div>
        )}
        {entries.length > 0 && (
          <ol className="plain-list leaderboard" aria-labelledby="board-title">
            {entries.map((e) => (
              <Entry key={e.userId} entry={e} mine={e.userId === userId} />
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
