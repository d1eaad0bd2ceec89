import type { LiveStatus } from '../api/live.js';

/** Whether the page is receiving live updates; announced politely to screen readers when it changes. */
export function LiveIndicator({ status }: { status: LiveStatus }) {
  return (
    <span className={`live-status ${status}`} role="status" data-testid="live-status">
      {status === 'live' ? '● live' : status === 'connecting' ? '○ connecting…' : '○ offline, retrying'}
    </span>
  );
}
