import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import type { LensAction } from '../../../contract/coach.js';
import { coachApi, coachKeys } from '../../api/coach.js';
import { FormError } from '../../components/form.js';

/**
 * An action with its checkbox: ticking it marks it done (unticking, not done), shown at once and kept until
 * the coach's lists are read again, so the goal's count and today's list agree.
 */
export function ActionCheck({ action, detail }: { action: LensAction; detail?: string }) {
  const id = useId();
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: (done: boolean) => coachApi.updateAction(action.goalId, action.id, { done }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: coachKeys.all }),
  });
  const done = toggle.isPending ? toggle.variables : action.doneAt !== null;
  return (
    <>
      <label htmlFor={id}>
        <input id={id} type="checkbox" checked={done} disabled={toggle.isPending} onChange={(e) => toggle.mutate(e.target.checked)} data-testid="action-done" />
        <span className="action-text">
          <span className="action-title">{action.title}</span>
          {detail && <span className="action-day">{detail}</span>}
        </span>
      </label>
      <FormError error={toggle.error} />
    </>
  );
}
