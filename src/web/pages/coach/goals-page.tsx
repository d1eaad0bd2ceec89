import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import type { GoalStatus, SafetyNotice } from '../../../contract/coach.js';
import { coachApi, coachKeys, coachRefresh } from '../../api/coach.js';
import { BusyButton } from '../../components/busy-button.js';
import { CoachError, SafetyNoticeView } from '../../components/coach-notices.js';
import { Field, FormError, fieldError } from '../../components/form.js';
import { CoachHeader } from './coach-header.js';
import { GoalCard } from './goal-card.js';

/**
 * A new goal: what, why it matters, and (if the user likes) the day they aim for. When its words met the
 * safety precheck, the supportive notice comes right under the button: announced there (a status region
 * mounted empty) while the focus stays on the button, with its resources the next stops in the tab order.
 */
function CreateGoal() {
  const id = useId();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  const [why, setWhy] = useState('');
  const [targetDay, setTargetDay] = useState('');
  const [safety, setSafety] = useState<SafetyNotice | null>(null);
  const create = useMutation({
    mutationFn: () => coachApi.createGoal({ title: title.trim(), ...(why.trim() ? { why: why.trim() } : {}), ...(targetDay ? { targetDay } : {}) }),
    onMutate: () => setSafety(null),
    onSuccess: (goal) => {
      setSafety(goal.safety);
      setTitle('');
      setWhy('');
      setTargetDay('');
      return coachRefresh.goal(queryClient);
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!create.isPending && title.trim() !== '') create.mutate();
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
        <BusyButton type="submit" busy={create.isPending || title.trim() === ''}>
          Add the goal
        </BusyButton>
      </form>
      <div role="status" className="goal-safety">
        {safety && (
          <>
            <p className="notice">Your goal is saved below.</p>
            <SafetyNoticeView notice={safety} />
          </>
        )}
      </div>
    </section>
  );
}

const GROUPS: { status: GoalStatus; title: string; empty: string }[] = [
  { status: 'active', title: 'Active', empty: 'No active goals. Set one above whenever you are ready.' },
  { status: 'completed', title: 'Completed', empty: '' },
  { status: 'archived', title: 'Archived', empty: '' },
];

/** One status's goals, a page at a time (newest first), with "Load more" while there are more. */
function GoalGroup({ status, title, empty }: { status: GoalStatus; title: string; empty: string }) {
  const id = useId();
  const goals = useInfiniteQuery({
    queryKey: coachKeys.goalList(status),
    queryFn: ({ pageParam }) => coachApi.goals(status, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = goals.data?.pages.flatMap((p) => p.items) ?? [];
  if (goals.isPending) return status === 'active' ? <p role="status">Loading…</p> : null;
  if (!goals.data) return <FormError error={goals.error} />;
  if (items.length === 0 && !empty) return null;
  return (
    <section className="stack tight goal-status-group" aria-labelledby={id} data-testid={`goals-${status}`}>
      <h2 id={id}>
        {title} <span className="muted">({items.length}{goals.hasNextPage ? '+' : ''})</span>
      </h2>
      {items.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="plain-list">
          {items.map((g) => (
            <GoalCard key={g.id} goal={g} />
          ))}
        </ul>
      )}
      {goals.hasNextPage && (
        <BusyButton type="button" className="secondary load-more" busy={goals.isFetchingNextPage} onClick={() => void goals.fetchNextPage()}>
          Load more {title.toLowerCase()} goals
        </BusyButton>
      )}
    </section>
  );
}

/** `/coach/goals` (Lens): the user's goals by status, a new goal, and the small daily actions toward each. */
export function GoalsPage() {
  return (
    <div className="coach-page stack">
      <CoachHeader title="Goals">What you are working toward, and one small step a day. Today’s steps show on your Today page.</CoachHeader>
      <CreateGoal />
      {GROUPS.map((g) => (
        <GoalGroup key={g.status} status={g.status} title={g.title} empty={g.empty} />
      ))}
    </div>
  );
}
