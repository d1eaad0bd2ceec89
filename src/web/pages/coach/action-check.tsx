import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { LensAction } from '../../../contract/coach.js';
import { coachApi, coachRefresh } from '../../api/coach.js';
import { FormError } from '../../components/form.js';

/**
 * An action with its checkbox: ticking it marks it done (unticking, not done), shown at once and kept until
 * the coach's lists are read again, so the goal's count and today's list agree; a refusal shows the saved state.
 */
export function ActionCheck({ action, detail }: { action: LensAction; detail?: string }) {
  const id = useId();
  const queryClient = useQueryClient();
  // The box shows the tick at once (set in the same event, so it never flips back while the request runs).
  const [ticked, setTicked] = useState<boolean | null>(null);
  const toggle = useMutation({
    mutationFn: (done: boolean) => coachApi.updateAction(action.goalId, action.id, { done }),
    onSuccess: () => coachRefresh.action(queryClient, action.goalId),
    onSettled: () => setTicked(null),
  });
  const done = ticked ?? action.doneAt !== null;
  return (
    <>
      <label htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          checked={done}
          // Not `disabled` while saving: that would drop the focus of whoever just ticked it.
          aria-disabled={toggle.isPending || undefined}
          onChange={(e) => {
            if (toggle.isPending) return;
            setTicked(e.target.checked);
            toggle.mutate(e.target.checked);
          }}
          data-testid="action-done"
        />
        <span className="action-text">
          <span className="action-title">{action.title}</span>
          {detail && <span className="action-day">{detail}</span>}
        </span>
      </label>
      <FormError error={toggle.error} />
    </>
  );
}
