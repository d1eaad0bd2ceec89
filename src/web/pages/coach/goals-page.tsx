import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import type { Goal, GoalStatus, SafetyNotice } from '../../../contract/coach.js';
import { coachApi, coachKeys } from '../../api/coach.js';
import { CoachError, SafetyNoticeView } from '../../components/coach-notices.js';
import { Field, FormError, fieldError } from '../../components/form.js';
import { CoachHeader } from './coach-header.js';
import { GoalCard } from './goal-card.js';

/** A new goal: what, why it matters, and (if the user likes) the day they aim for. */
function CreateGoal({ onSafety }: { onSafety(notice: SafetyNotice | null): void }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  const [why, setWhy] = useState('');
  const [targetDay, setTargetDay] = useState('');
  const create = useMutation({
    mutationFn: () => coachApi.createGoal({ title: title.trim(), ...(why.trim() ? { why: why.trim() } : {}), ...(targetDay ? { targetDay } : {}) }),
    onSuccess: (goal) => {
      onSafety(goal.safety);
      setTitle('');
      setWhy('');
      setTargetDay('');
      return queryClient.invalidateQueries({ queryKey: coachKeys.all });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!create.isPending) create.mutate();
  }
  const whyError = fieldError(create.error, 'why');
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Set a goal</h2>
      <form onSubmit={submit} noValidate>
        <Field label="Goal" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} error={fieldError(create.error, 'title')} />
        <div className="field">
          <label htmlFor={`${id}-why`}>Why it matters to you (optional)</label>
          <textarea id={`${id}-why`} rows={2} maxLength={1000} value={why} onChange={(e) => setWhy(e.target.value)} aria-invalid={whyError ? true : undefined} />
          {whyError && (
            <p className="field-error" role="alert">
              {whyError}
            </p>
          )}
        </div>
        <Field label="Aiming for (optional)" type="date" value={targetDay} onChange={(e) => setTargetDay(e.target.value)} error={fieldError(create.error, 'targetDay')} />
        {create.error && !['title', 'why', 'targetDay'].some((f) => fieldError(create.error, f)) && <CoachError error={create.error} />}
        <button type="submit" disabled={create.isPending || title.trim() === ''}>
          Add the goal
        </button>
      </form>
    </section>
  );
}

const GROUPS: { status: GoalStatus; title: string; empty: string }[] = [
  { status: 'active', title: 'Active', empty: 'No active goals. Set one above whenever you are ready.' },
  { status: 'completed', title: 'Completed', empty: '' },
  { status: 'archived', title: 'Archived', empty: '' },
];

function GoalGroup({ title, empty, goals }: { title: string; empty: string; goals: Goal[] }) {
  const id = useId();
  if (goals.length === 0 && !empty) return null;
  return (
    <section className="stack tight goal-status-group" aria-labelledby={id}>
      <h2 id={id}>
        {title} <span className="muted">({goals.length})</span>
      </h2>
      {goals.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="plain-list">
          {goals.map((g) => (
            <GoalCard key={g.id} goal={g} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** `/coach/goals` (Lens): the user's goals by status, a new goal, and the small daily actions toward each. */
export function GoalsPage() {
  const goals = useQuery({ queryKey: coachKeys.goals(), queryFn: coachApi.goals });
  const [safety, setSafety] = useState<SafetyNotice | null>(null);
  return (
    <div className="coach-page stack">
      <CoachHeader title="Goals">What you are working toward, and one small step a day. Today’s steps show on your Today page.</CoachHeader>
      {safety && <SafetyNoticeView notice={safety} />}
      <CreateGoal onSafety={setSafety} />
      {goals.isPending ? (
        <p role="status">Loading…</p>
      ) : !goals.data ? (
        <FormError error={goals.error} />
      ) : (
        GROUPS.map((g) => <GoalGroup key={g.status} title={g.title} empty={g.empty} goals={goals.data.filter((goal) => goal.status === g.status)} />)
      )}
    </div>
  );
}
