import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import type { Goal, GoalStatus, LensAction } from '../../../contract/coach.js';
import { coachApi, coachKeys, coachRefresh } from '../../api/coach.js';
import { BusyButton } from '../../components/busy-button.js';
import { useConfirm } from '../../components/confirm-dialog.js';
import { FormError, fieldError } from '../../components/form.js';
import { ActionCheck } from './action-check.js';
import { DayText } from './coach-header.js';

/** Adds an action to a goal, for today (the day left empty) or a day picked. */
function AddAction({ goal }: { goal: Goal }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  const [day, setDay] = useState('');
  const add = useMutation({
    mutationFn: () => coachApi.addAction(goal.id, { title: title.trim(), ...(day ? { day } : {}) }),
    onSuccess: () => {
      setTitle('');
      setDay('');
      return coachRefresh.action(queryClient, goal.id);
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    if (title.trim() && !add.isPending) add.mutate();
  }
  const titleError = fieldError(add.error, 'title');
  const dayError = fieldError(add.error, 'day');
  return (
    <form className="add-action" onSubmit={submit} noValidate aria-label={`Add an action to ${goal.title}`}>
      <div className="field">
        <label htmlFor={`${id}-title`}>Next small step</label>
        <input id={`${id}-title`} value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} aria-invalid={titleError ? true : undefined} />
      </div>
      <div className="field day">
        <label htmlFor={`${id}-day`}>Day (today if left empty)</label>
        <input id={`${id}-day`} type="date" value={day} onChange={(e) => setDay(e.target.value)} aria-invalid={dayError ? true : undefined} />
      </div>
      <BusyButton type="submit" className="secondary" busy={add.isPending || title.trim() === ''}>
        Add
      </BusyButton>
      {(titleError ?? dayError) && (
        <p className="field-error" role="alert">
          {titleError ?? dayError}
        </p>
      )}
      <FormError error={add.error} fields={['title', 'day']} />
    </form>
  );
}

function ActionItem({ action, editable }: { action: LensAction; editable: boolean }) {
  const confirm = useConfirm();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => coachApi.deleteAction(action.goalId, action.id),
    onSuccess: () => coachRefresh.action(queryClient, action.goalId),
  });
  async function askDelete() {
    if (await confirm({ title: `Remove “${action.title}”?`, confirmLabel: 'Remove action', danger: true })) remove.mutate();
  }
  return (
    <li className={action.doneAt ? 'action-item done' : 'action-item'} data-testid="goal-action">
      {editable ? (
        <ActionCheck action={action} />
      ) : (
        <span className="action-title">
          {action.doneAt ? '✓ ' : ''}
          {action.title}
        </span>
      )}
      <span className="action-meta">
        <span className="action-day">
          <DayText day={action.day} />
        </span>
        {editable && (
          <BusyButton type="button" className="small link-button" onClick={askDelete} busy={remove.isPending} aria-label={`Remove ${action.title}`}>
            Remove
          </BusyButton>
        )}
      </span>
      <FormError error={remove.error} />
    </li>
  );
}

/** A goal's actions, read when the goal is shown open. */
function GoalActions({ goal }: { goal: Goal }) {
  const detail = useQuery({ queryKey: coachKeys.goal(goal.id), queryFn: () => coachApi.goal(goal.id) });
  const editable = goal.status === 'active';
  if (detail.isPending) return <p role="status">Loading…</p>;
  if (!detail.data) return <FormError error={detail.error} />;
  return (
    <>
      {detail.data.actions.length === 0 ? (
        <p className="muted">{editable ? 'No actions yet. What is one small step toward it?' : 'No actions were planned.'}</p>
      ) : (
        <ul className="plain-list actions-list" aria-label={`Actions for ${goal.title}`}>
          {detail.data.actions.map((a) => (
            <ActionItem key={a.id} action={a} editable={editable} />
          ))}
        </ul>
      )}
      {editable && <AddAction goal={goal} />}
    </>
  );
}

const STATUS_MOVES: Record<GoalStatus, { status: GoalStatus; label: string }[]> = {
  active: [
    { status: 'completed', label: 'Mark completed' },
    { status: 'archived', label: 'Archive' },
  ],
  completed: [{ status: 'active', label: 'Make active again' }],
  archived: [{ status: 'active', label: 'Make active again' }],
};

/** One goal: why it matters, its target day and progress, its actions, and moving it between statuses. */
export function GoalCard({ goal }: { goal: Goal }) {
  const id = useId();
  const confirm = useConfirm();
  const queryClient = useQueryClient();
  const move = useMutation({ mutationFn: (status: GoalStatus) => coachApi.updateGoal(goal.id, { status }), onSuccess: () => coachRefresh.goal(queryClient, goal.id) });
  const remove = useMutation({ mutationFn: () => coachApi.deleteGoal(goal.id), onSuccess: () => coachRefresh.goalDeleted(queryClient, goal.id) });
  async function askDelete() {
    const ok = await confirm({ title: `Delete “${goal.title}”?`, body: 'The goal and its actions are deleted for good.', confirmLabel: 'Delete goal', danger: true });
    if (ok) remove.mutate();
  }
  // A finished goal's actions are read only when its list is opened.
  const [open, setOpen] = useState(false);
  const actions = <GoalActions goal={goal} />;
  return (
    <li className="card goal-card" aria-labelledby={`${id}-title`} data-testid="goal" data-status={goal.status}>
      <div>
        <h3 id={`${id}-title`}>{goal.title}</h3>
        {/* Without actions the list below says so; the count would only repeat it. */}
        {(goal.actionsPlanned > 0 || goal.targetDay) && (
          <p className="goal-meta">
            {goal.actionsPlanned > 0 && `${goal.actionsDone} of ${goal.actionsPlanned} ${goal.actionsPlanned === 1 ? 'action' : 'actions'} done`}
            {goal.actionsPlanned > 0 && goal.targetDay && ' · '}
            {goal.targetDay && (
              <>
                {goal.actionsPlanned > 0 ? 'aiming for' : 'Aiming for'} <DayText day={goal.targetDay} />
              </>
            )}
          </p>
        )}
      </div>
      {goal.why && <p className="goal-why">{goal.why}</p>}
      {goal.status === 'active' ? (
        actions
      ) : (
        <details onToggle={(e) => setOpen(e.currentTarget.open)}>
          <summary>Its actions</summary>
          {open && actions}
        </details>
      )}
      <div className="row tight">
        {STATUS_MOVES[goal.status].map((m) => (
          <BusyButton key={m.status} type="button" className="small secondary" busy={move.isPending} onClick={() => move.mutate(m.status)}>
            {m.label}
          </BusyButton>
        ))}
        <BusyButton type="button" className="small link-button" onClick={askDelete} busy={remove.isPending}>
          Delete goal
        </BusyButton>
      </div>
      <FormError error={move.error ?? remove.error} />
    </li>
  );
}
