import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { previewLinks, type PreviewLinkRow } from '../../db/schema/index.js';
import type { KeysetCursor } from '../../platform/cursor.js';
import type { RingStats } from './card.js';

/** A draft's ring moves up to `now` in one aggregate, read through the (draft_id, passed_at) index. */
export async function ringStats(db: Db, draftId: string, now: Date, since: Date): Promise<RingStats> {
  const result = await db.execute(sql`
    select count(*)::int as count, min(passed_at) as first, max(passed_at) as last,
      (count(*) filter (where passed_at > ${since.toISOString()}))::int as recent
    from ring_passes where draft_id = ${draftId} and passed_at <= ${now.toISOString()}`);
  const row = (result as unknown as { rows: Array<{ count: number; first: string | Date | null; last: string | Date | null; recent: number }> }).rows[0]!;
  return {
    count: Number(row.count),
    first: row.first === null ? null : new Date(row.first),
    last: row.last === null ? null : new Date(row.last),
    inLast24h: Number(row.recent),
  };
}

export async function insertPreviewLink(tx: Db, row: PreviewLinkRow): Promise<void> {
  await tx.insert(previewLinks).values(row);
}

/** A draft's preview links, newest first, keyset-paginated. */
export async function listPreviewLinks(db: Db, draftId: string, limit: number, after: KeysetCursor | null): Promise<PreviewLinkRow[]> {
  const conditions = [eq(previewLinks.draftId, draftId)];
  if (after) {
    conditions.push(or(lt(previewLinks.createdAt, after.at), and(eq(previewLinks.createdAt, after.at), lt(previewLinks.id, after.id)))!);
  }
  return db
    .select()
    .from(previewLinks)
    .where(and(...conditions))
    .orderBy(desc(previewLinks.createdAt), desc(previewLinks.id))
    .limit(limit);
}

/** Revokes a link of this draft (a revoked one keeps its first revocation time); false when there is no such link. */
export async function revokePreviewLink(tx: Db, draftId: string, id: string, now: Date): Promise<boolean> {
  const rows = await tx
    .update(previewLinks)
    .set({ revokedAt: sql`coalesce(${previewLinks.revokedAt}, ${now.toISOString()}::timestamptz)` })
    .where(and(eq(previewLinks.draftId, draftId), eq(previewLinks.id, id)))
    .returning({ id: previewLinks.id });
  return rows.length > 0;
}

/** Counts an open of a live (unrevoked) link and answers its draft id; undefined for an unknown or revoked token. */
export async function openPreviewLink(tx: Db, tokenHash: string, now: Date): Promise<string | undefined> {
  const [row] = await tx
    .update(previewLinks)
    .set({ opens: sql`${previewLinks.opens} + 1`, lastOpenedAt: now })
    .where(and(eq(previewLinks.tokenHash, tokenHash), isNull(previewLinks.revokedAt)))
    .returning({ draftId: previewLinks.draftId });
  return row?.draftId;
}
