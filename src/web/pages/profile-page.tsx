import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { ApiError, api } from '../api/client.js';
import { useAuth } from '../auth/auth-context.js';
import { Avatar } from '../components/avatar.js';
import { FormError } from '../components/form.js';
import { Stats } from '../components/stats.js';
import { MomentumChart } from './profile/momentum-chart.js';
import { ProfileShare } from './profile/profile-share.js';
import './progress-pages.css';

const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;

/**
 * `/u/:id`: what anyone may see of a writer — their name, archetype and momentum over the last 30 days.
 * Open to everyone, signed in or not (the profile API is public).
 */
export function ProfilePage() {
  const { id = '' } = useParams();
  const { state } = useAuth();
  const profile = useQuery({ queryKey: ['profile', id], queryFn: () => api.profile(id) });
  const own = state.status === 'signed-in' && state.user.id === id;

  if (profile.isPending) return <p role="status">Loading…</p>;
  if (profile.error instanceof ApiError && profile.error.problem.status === 404) {
    return (
      <section className="card narrow" aria-labelledby="no-profile-title">
        <h1 id="no-profile-title">No profile here</h1>
        <p>
          There is no writer at this address. <Link to="/">Go home</Link>
        </p>
      </section>
    );
  }
  if (!profile.data) return <FormError error={profile.error} />;
  const p = profile.data;
  const m = p.momentum;

  return (
    <div className="progress-page profile-page stack">
      <header className="profile-head">
        <Avatar userId={p.userId} displayName={p.displayName} size="large" decorative />
        <div>
          <h1 data-testid="profile-name">{p.displayName}</h1>
          <p className="muted">{own ? 'Your public profile: anyone with its address sees this page.' : 'Writes threads on OneRing.'}</p>
        </div>
      </header>
      <section className="card archetype" aria-labelledby="archetype-title">
        <p className="eyebrow">Writing style</p>
        <h2 id="archetype-title" data-testid="archetype">
          {p.archetype.name}
        </h2>
        <p>{p.archetype.description}</p>
      </section>
      <Stats
        items={[
          { label: 'Momentum score', value: <>{m.score}<span className="unit"> / 100</span></>, testId: 'momentum-score' },
          { label: 'Streak', value: days(m.streakDays), testId: 'profile-streak' },
          { label: 'Longest streak', value: days(m.longestStreak) },
        ]}
      />
      <section className="card" aria-labelledby="chart-title">
        <h2 id="chart-title">The last 30 days</h2>
        <MomentumChart days={m.last30Days} />
      </section>
      {own && <ProfileShare profile={p} />}
      {own && (
        <p>
          <Link to="/today">See today’s challenge and suggestions</Link>
        </p>
      )}
      {state.status === 'signed-out' && (
        <section className="card" aria-labelledby="join-title">
          <h2 id="join-title">Write threads together</h2>
          <p>OneRing is a shared draft for social threads: pass the ring, and whoever holds it writes the next post.</p>
          <Link className="button" to="/signup">
            Create an account
          </Link>
        </section>
      )}
    </div>
  );
}
