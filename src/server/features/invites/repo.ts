import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { invites, type InviteRow } from '../../db/schema/index.js';
import type { KeysetCursor } from '../../platform/cursor.js';

export async function insertInvite(tx: Db, row: InviteRow): Promise<void> {
  await tx.insert(invites).values(row);
}

export async function findInviteByHash(db: Db, tokenHash: string): Promise<InviteRow | undefined> {
  const [row] = await db.select().from(invites).where(eq(invites.tokenHash, tokenHash));
  return row;
}

export async function findInvite(db: Db, draftId: string, id: string): Promise<InviteRow | undefined> {
  const [row] = await db
    .select()
    .from(invites)
    .where(and(eq(invites.draftId, draftId), eq(invites.id, id)));
  return row;
}

export async function listInvites(db: Db, draftId: string, limit: number, after: KeysetCursor | null): Promise<InviteRow[]> {
  const conditions = [eq(invites.draftId, draftId)];
  if (after) conditions.push(or(lt(invites.createdAt, after.at), and(eq(invites.createdAt, after.at), lt(invites.id, after.id)))!);
  return db
    .select()
    .from(invites)
    .where(and(...conditions))
    .orderBy(desc(invites.createdAt), desc(invites.id))
    .limit(limit);
}

export async function revokeInvite(tx: Db, id: string, now: Date): Promise<void> {
  await tx.update(invites).set({ revokedAt: now }).where(eq(invites.id, id));
}

/** Consumes a pending invite; false when someone else consumed or revoked it first. */
export async function markAccepted(tx: Db, id: string, userId: string, now: Date): Promise<boolean> {
  const rows = await tx
    .update(invites)
    .set({ acceptedBy: userId, acceptedAt: now })
    .where(and(eq(invites.id, id), isNull(invites.acceptedBy), isNull(invites.revokedAt)))
    .returning({ id: invites.id });
  return rows.length > 0;
}
