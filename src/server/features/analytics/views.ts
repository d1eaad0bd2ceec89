import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { analyticsEventsWith } from './record.js';

/** A member's opens of one draft count once per this long, measured from the last one counted. */
export const VIEW_INTERVAL_MINUTES = 30;

/**
 * Records that a member opened a draft, unless their last recorded view of it is less than 30 minutes old; one
 * statement. The gate is an upsert of the member's mark that moves it only when the interval has passed: it
 * decides under the mark row's lock, so of two opens at once the second sees the first's mark and records
 * nothing. A recent mark seen first skips the upsert altogether, so most opens only read. Answers whether a
 * view was recorded.
 */
export async function recordDraftView(db: Db, draftId: string, userId: string, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const interval = sql.raw(`interval '${VIEW_INTERVAL_MINUTES} minutes'`);
  const view = { type: 'DraftViewed' as const, idempotencyKey: `view:${draftId}:${userId}:${at}`, occurredAt: now, draftId, userId };
  const result = await db.execute(sql`
    with a_gate as (
      insert into analytics_view_marks as m (draft_id, user_id, last_viewed_at)
      select ${draftId}::uuid, ${userId}::uuid, ${at}::timestamptz
      where not exists (
        select 1 from analytics_view_marks where draft_id = ${draftId}::uuid and user_id = ${userId}::uuid and last_viewed_at > ${at}::timestamptz - ${interval}
      )
      on conflict (draft_id, user_id) do update set last_viewed_at = excluded.last_viewed_at
      where m.last_viewed_at <= excluded.last_viewed_at - ${interval}
      returning 1
    ), ${analyticsEventsWith([view], sql`exists (select 1 from a_gate)`)}
    select count(*)::int as recorded from a_src`);
  return (result as unknown as { rows: Array<{ recorded: number }> }).rows[0]?.recorded === 1;
}
