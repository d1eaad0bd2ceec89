import { useCallback } from 'react';
import type { Draft } from '../../../contract/drafts.js';
import { useConfirm } from '../../components/confirm-dialog.js';
import { unsentKeys, useLeaveGuard, useUnsent, useUnsentEdits, type UnsentEdit } from './unsent.js';

/** Whether anything typed on this draft has not been sent: the next post, or an edit that changes its post. */
function hasUnsent(draft: Draft | undefined, next: string, edits: Map<string, UnsentEdit>): boolean {
  if (next.trim() !== '') return true;
  return [...edits.values()].some((e) => e.text !== draft?.segments.find((s) => s.id === e.segmentId)?.content);
}

/**
 * Asks before the page is left with unsent text. A component of its own, so the keystrokes it follows
 * re-render only it, not the thread.
 */
export function LeaveGuard({ draftId, draft, userId }: { draftId: string; draft: Draft | undefined; userId: string }) {
  const confirm = useConfirm();
  const next = useUnsent(unsentKeys.next(userId, draftId));
  const edits = useUnsentEdits(userId, draftId);
  const ask = useCallback(
    () =>
      confirm({
        title: 'Leave with unsent text?',
        body: 'What you typed stays on this device and comes back when you open this draft again.',
        confirmLabel: 'Leave',
        cancelLabel: 'Stay',
      }),
    [confirm],
  );
  useLeaveGuard(hasUnsent(draft, next, edits), ask);
  return null;
}
