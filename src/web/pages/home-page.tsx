import { Link, Navigate } from 'react-router';
import { PLATFORM_LIMITS } from '../../contract/constants.js';
import { graphemeLength } from '../../contract/display-name.js';
import { useAuth } from '../auth/auth-context.js';
import { Avatar } from '../components/avatar.js';

const LIMIT = PLATFORM_LIMITS.x;
const WRITERS = {
  maya: { userId: 'maya', displayName: 'Maya Okafor' },
  jon: { userId: 'jon', displayName: 'Jon Berg' },
  priya: { userId: 'priya', displayName: 'Priya Shah' },
};
const POSTS = [
  { by: WRITERS.maya, text: 'We shipped offline mode today. Three things we learned building it, a thread:' },
  { by: WRITERS.jon, text: '1. Sync is a log, not a snapshot. Every change is an event, so a phone that was away replays what it missed.' },
];
const WRITING = { by: WRITERS.priya, text: '2. Conflicts are rarer than you fear when only one person writes at a time' };

type SamplePostProps = { by: { userId: string; displayName: string }; text: string; n: number; of: number; writing?: boolean };

function SamplePost({ by, text, n, of, writing }: SamplePostProps) {
  return (
    <>
      <Avatar userId={by.userId} displayName={by.displayName} />
      <div>
        <header>
          <strong>{by.displayName}</strong>
          <span className="muted">
            {n}/{of}
          </span>
          {writing && <span className="badge ring">◯ holds the ring</span>}
        </header>
        <p>
          {text}
          {writing && <span className="caret" aria-hidden="true" />}
        </p>
        <span className="sample-count">
          {graphemeLength(text)} / {LIMIT}
        </span>
      </div>
    </>
  );
}

/** A thread as it looks mid-writing: two posts, the ring just passed, the third writer typing. */
function SampleThread() {
  const of = POSTS.length + 1;
  return (
    <figure className="card sample" aria-labelledby="sample-caption">
      <div className="sample-head">
        <span>Launch thread · X · 3 writers</span>
        <span className="live-status live">● live</span>
      </div>
      <ol className="plain-list" aria-label="Posts in the example thread">
        {POSTS.map((post, i) => (
          <li key={post.by.userId} className="sample-post">
            <SamplePost {...post} n={i + 1} of={of} />
          </li>
        ))}
        <li className="sample-post sample-writing">
          <SamplePost {...WRITING} n={of} of={of} writing />
        </li>
      </ol>
      <p className="ring-pass">
        <Avatar userId={WRITERS.jon.userId} displayName={WRITERS.jon.displayName} size="small" />
        <span className="ring-track" aria-hidden="true">
          <span className="ring-token" />
        </span>
        <Avatar userId={WRITERS.priya.userId} displayName={WRITERS.priya.displayName} size="small" />
        <span>Jon passed the ring to Priya, who is writing post {of}.</span>
      </p>
      <figcaption id="sample-caption" className="muted">
        An example draft: three people writing one thread for X, each post counted as X counts it.
      </figcaption>
    </figure>
  );
}

/** `/`: what OneRing is, shown, for visitors; signed-in people go straight to their drafts. */
export function HomePage() {
  const { state } = useAuth();
  if (state.status === 'loading') return <p role="status">Loading…</p>;
  if (state.status === 'signed-in') return <Navigate to="/drafts" replace />;
  return (
    <div className="home wide">
      <section className="hero" aria-labelledby="home-title">
        <div>
          <h1 id="home-title">Write threads together, one ring at a time.</h1>
          <p className="lead">
            OneRing is a shared draft for social threads. Invite your co-writers, pass the ring to whoever writes the next post, and watch the
            thread grow live, counted the way X, Bluesky, Threads, LinkedIn and Instagram count it.
          </p>
          <div className="cta">
            <Link className="button" to="/signup">
              Create an account
            </Link>
            <Link className="button secondary" to="/login">
              Log in
            </Link>
          </div>
        </div>
        <SampleThread />
      </section>
      <section aria-labelledby="how-title">
        <h2 id="how-title">How it works</h2>
        <ol className="steps">
          <li className="card">
            <span className="step-number" aria-hidden="true">
              1
            </span>
            <h3>Start a draft</h3>
            <p>Pick the platform. Every post shows its count against that platform’s limit while you type.</p>
          </li>
          <li className="card">
            <span className="step-number" aria-hidden="true">
              2
            </span>
            <h3>Invite your writers</h3>
            <p>Share a link. Whoever joins sees the thread, who is here and who is typing, live.</p>
          </li>
          <li className="card">
            <span className="step-number" aria-hidden="true">
              3
            </span>
            <h3>Pass the ring</h3>
            <p>Only the ring holder writes, so nobody writes over anybody. Done with your post? Hand the ring on.</p>
          </li>
        </ol>
      </section>
    </div>
  );
}

export function NotFoundPage() {
  return (
    <section className="card narrow" aria-labelledby="not-found-title">
      <h1 id="not-found-title">Nothing here</h1>
      <p>
        This page does not exist. <Link to="/">Go home</Link>
      </p>
    </section>
  );
}
