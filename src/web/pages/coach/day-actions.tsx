import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { coachApi, coachKeys } from '../../api/coach.js';
import { FormError } from '../../components/form.js';
import { ActionCheck } from './action-check.js';
import './coach.css';

/** The Today page's "Today's actions": the steps planned for today across the active goals, ticked here too. */
export function DayActionsSection() {
  const actions = useQuery({ queryKey: coachKeys.dayActions(), queryFn: () => coachApi.dayActions() });
  return (
    <section className="card" aria-labelledby="day-actions-title" data-testid="day-actions">
      <h2 id="day-actions-title">Today’s actions</h2>
      {actions.isPending ? (
        <p role="status">Loading…</p>
      ) : !actions.data ? (
        <FormError error={actions.error} />
      ) : actions.data.items.length === 0 ? (
        <p className="muted">
          Nothing planned for today. <Link to="/coach/goals">Plan a small step toward a goal</Link>
        </p>
      ) : (
        <>
          <ul className="plain-list actions-list">
            {actions.data.items.map((a) => (
              <li key={a.id} className={a.doneAt ? 'action-item done' : 'action-item'} data-testid="day-action">
                <ActionCheck action={a} detail={`For “${a.goalTitle}”`} />
              </li>
            ))}
          </ul>
          <p className="hint">
            <Link to="/coach/goals">Your goals</Link>
          </p>
        </>
      )}
    </section>
  );
}
