import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import './coach.css';

/** The coach pages' heading, with its sections as tabs (Turn is also beside each draft). */
export function CoachHeader({ title, children }: { title: string; children: ReactNode }) {
  return (
    <header>
      <h1>{title}</h1>
      <p className="muted">{children}</p>
      <nav className="coach-tabs" aria-label="Coach">
        <NavLink to="/coach/goals">Goals</NavLink>
        <NavLink to="/coach/turn">Turn</NavLink>
        <NavLink to="/coach/mirror">Mirror</NavLink>
      </nav>
    </header>
  );
}

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });

/** A calendar day (YYYY-MM-DD, UTC) as words: "Mon, Nov 23". */
export function DayText({ day }: { day: string }) {
  return <time dateTime={day}>{dayFormat.format(new Date(`${day}T00:00:00Z`))}</time>;
}
