import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';

export type ContributionRow = { userId: string; displayName: string | null; segments: number; edits: number; first: Date; last: Date };

/**
 * Per person, what they gave the thread as it stands: the segments they appended and the edits they made to
 * them (each version after the first, current or kept), with the times of the first and the last.
 */
export async function contributions(db: Db, draftId: string): Promise<ContributionRow[]> {
  const result = await db.execute(sql`
    with thread as (select id, author_id, created_at, revision, edited_by, edited_at from segments where draft_id = ${draftId}),
    work as (
      select author_id as user_id, 1 as appended, 0 as edited, created_at as at from thread
      union all
      select edited_by, 0, 1, edited_at from thread where revision > 1
      union all
      select r.written_by, 0, 1, r.written_at from segment_revisions r join thread t on t.id = r.segment_id
      where r.draft_id = ${draftId} and r.revision > 1
    )
    select w.user_id, u.display_name, sum(w.appended)::int as segments, sum(w.edited)::int as edits, min(w.at) as first, max(w.at) as last
    from work w join users u on u.id = w.user_id
    group by w.user_id, u.display_name
    order by segments desc, edits desc, first asc, w.user_id asc`);
  const rows = (result as unknown as { rows: Array<{ user_id: string; display_name: string | null; segments: number; edits: number; first: string | Date; last: string | Date }> }).rows;
  return rows.map((r) => ({
    userId: r.user_id,
    displayName: r.display_name,
    segments: Number(r.segments),
    edits: Number(r.edits),
    first: new Date(r.first),
    last: new Date(r.last),
  }));
}
