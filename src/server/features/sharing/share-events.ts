import { createHash } from 'node:crypto';
import type { ShareChannel } from '../../../contract/analytics.js';
import type { Db } from '../../db/client.js';
import { recordAnalyticsEvents, type NewAnalyticsEvent } from '../analytics/record.js';

/** A share is counted at most once per draft, channel and viewer in each such bucket of time. */
export const SHARE_BUCKET_MS = 30 * 60 * 1000;

/**
 * Who fetched a shared draft: a signed-in user by id; anyone else by their address and user agent, which are
 * never stored as they are (see `shareEvent`).
 */
export type Viewer = { userId: string } | { ip: string; userAgent: string | null };

export function anonymousViewer(ip: string, userAgent: string | null): Viewer {
  return { ip, userAgent };
}

/**
 * A short hash of a visitor within one bucket: the bucket is part of what is hashed, so the same visitor gets
 * unrelated values in different buckets (no visit history) and reversing one value means guessing the
 * address and agent for that bucket alone.
 */
function visitorTag(viewer: { ip: string; userAgent: string | null }, bucket: number): string {
  return createHash('sha256').update(`${bucket}\n${viewer.ip}\n${viewer.userAgent ?? ''}`).digest('hex').slice(0, 16);
}

/** The `DraftShared` event of one fetch; its key makes repeats by the same viewer in the same bucket one event. */
export function shareEvent(draftId: string, channel: ShareChannel, viewer: Viewer, at: Date): NewAnalyticsEvent {
  const bucket = Math.floor(at.getTime() / SHARE_BUCKET_MS);
  const who = 'userId' in viewer ? `u:${viewer.userId}` : `a:${visitorTag(viewer, bucket)}`;
  return {
    type: 'DraftShared',
    idempotencyKey: `share:${draftId}:${channel}:${who}:${bucket}`,
    occurredAt: at,
    draftId,
    userId: 'userId' in viewer ? viewer.userId : null,
    payload: { channel },
  };
}

/** Records that someone who is not a member met the draft through `channel`. */
export async function recordShare(db: Db, draftId: string, channel: ShareChannel, viewer: Viewer, at: Date): Promise<void> {
  await recordAnalyticsEvents(db, [shareEvent(draftId, channel, viewer, at)]);
}
