import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { segments, users, type SegmentRow } from '../../db/schema/index.js';
import { segmentColumns, type SegmentView } from './repo.js';

// Moving segments: a segment about to take place `p` first waits at the parked position `-1 - p`. Negative
// positions never meet real ones, so the unique (draft_id, position) index, which PostgreSQL checks row by
// row while an UPDATE runs, holds at every step, whatever order the rows are visited in; `unparkSegments`
// then puts every parked segment in its place.

/** A segment of this draft with its author's name; undefined when it is not (or no longer) in the draft. */
export async function findSegment(db: Db, draftId: string, segmentId: string): Promise<SegmentView | undefined> {
  const [row] = await db
    .select(segmentColumns)
    .from(segments)
    .innerJoin(users, eq(users.id, segments.authorId))
    .where(and(eq(segments.draftId, draftId), eq(segments.id, segmentId)));
  return row;
}

/** The draft's segment ids in thread order. */
export async function listSegmentIds(db: Db, draftId: string): Promise<string[]> {
  const rows = await db.select({ id: segments.id }).from(segments).where(eq(segments.draftId, draftId)).orderBy(asc(segments.position));
  return rows.map((r) => r.id);
}

/** Keeps a segment's current version in its history, before it is replaced or deleted. */
function keepVersion(segment: SegmentRow): SQL {
  return sql`insert into segment_revisions (draft_id, segment_id, revision, content, written_by, written_at)
    values (${segment.draftId}, ${segment.id}, ${segment.revision}, ${segment.content}, ${segment.editedBy ?? segment.authorId},
      ${(segment.editedAt ?? segment.createdAt).toISOString()})`;
}

/** The writes of an edit, to be sent along with its event: the old version kept, the new one in place. */
export function segmentEdit(segment: SegmentRow, edited: Pick<SegmentRow, 'content' | 'revision' | 'editedAt' | 'editedBy'>): SQL[] {
  return [
    keepVersion(segment),
    sql`update segments set content = ${edited.content}, revision = ${edited.revision}, edited_at = ${edited.editedAt?.toISOString() ?? null},
      edited_by = ${edited.editedBy} where id = ${segment.id}`,
  ];
}

/** Deletes a segment, keeping its last version, and parks every later one a place up (see `unparkSegments`). */
export async function deleteSegment(tx: Db, segment: SegmentRow): Promise<void> {
  await tx.execute(sql`with kept as (${keepVersion(segment)}), gone as (delete from segments where id = ${segment.id})
    update segments set position = -position where draft_id = ${segment.draftId} and position > ${segment.position}`);
}

/** Parks each segment that `order` (every segment id of the draft) moves, at its new place. */
export async function parkReordered(tx: Db, draftId: string, order: string[]): Promise<void> {
  await tx.execute(sql`update segments s set position = -m.place::int
    from jsonb_array_elements_text(${JSON.stringify(order)}::jsonb) with ordinality as m(id, place)
    where s.draft_id = ${draftId} and s.id = m.id::uuid and s.position <> m.place - 1`);
}

/** Puts every parked segment of the draft in its place: a write to send along with the move's event. */
export function unparkSegments(draftId: string): SQL {
  return sql`update segments set position = -1 - position where draft_id = ${draftId} and position < 0`;
}

export type RevisionView = { revision: number; content: string; writtenBy: string; writtenByName: string | null; writtenAt: Date };

/**
 * A segment's versions newest first, below revision `before` when given: the current one (while the
 * segment is in the draft) and the kept ones.
 */
export async function listRevisions(db: Db, draftId: string, segmentId: string, limit: number, before: number | null): Promise<RevisionView[]> {
  const result = await db.execute(sql`
    select v.revision, v.content, v.written_by, u.display_name, v.written_at from (
      select revision, content, coalesce(edited_by, author_id) as written_by, coalesce(edited_at, created_at) as written_at
      from segments where id = ${segmentId} and draft_id = ${draftId}
      union all
      select revision, content, written_by, written_at from segment_revisions where segment_id = ${segmentId} and draft_id = ${draftId}
    ) v join users u on u.id = v.written_by
    where ${before}::int is null or v.revision < ${before}::int
    order by v.revision desc
    limit ${limit}`);
  const rows = (result as unknown as { rows: Array<{ revision: number; content: string; written_by: string; display_name: string | null; written_at: string | Date }> })
    .rows;
  return rows.map((r) => ({
    revision: Number(r.revision),
    content: r.content,
    writtenBy: r.written_by,
    writtenByName: r.display_name,
    writtenAt: new Date(r.written_at),
  }));
}

/** Whether the segment is or ever was in this draft: its first version is kept once it is edited or deleted. */
export async function segmentEverIn(db: Db, draftId: string, segmentId: string): Promise<boolean> {
  const result = await db.execute(sql`select exists (select 1 from segments where id = ${segmentId} and draft_id = ${draftId})
    or exists (select 1 from segment_revisions where segment_id = ${segmentId} and draft_id = ${draftId} and revision = 1) as found`);
  return (result as unknown as { rows: Array<{ found: boolean }> }).rows[0]?.found === true;
}
