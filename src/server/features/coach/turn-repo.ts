import { and, desc, eq, inArray, lt, or } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { coachTurns, draftMembers, drafts, segments } from '../../db/schema/index.js';
import type { KeysetCursor } from '../../platform/cursor.js';

export type TurnRow = typeof coachTurns.$inferSelect;

/** The turns a user sees: answered ones (rewrites or the safety notice); pending and failed ones are not history. */
const SHOWN = ['done', 'safety'];

export async function insertTurn(tx: Db, row: TurnRow): Promise<void> {
  await tx.insert(coachTurns).values(row);
}

export async function updateTurn(tx: Db, id: string, changes: Partial<Pick<TurnRow, 'status' | 'suggestions' | 'provider' | 'fallback' | 'updatedAt'>>): Promise<void> {
  await tx.update(coachTurns).set(changes).where(eq(coachTurns.id, id));
}

export async function findTurn(db: Db, userId: string, id: string): Promise<TurnRow | undefined> {
  const [row] = await db
    .select()
    .from(coachTurns)
    .where(and(eq(coachTurns.id, id), eq(coachTurns.userId, userId), inArray(coachTurns.status, SHOWN)));
  return row;
}

/** A page of the user's turns, newest first (coach_turns_user_idx), after the cursor's place. */
export async function listTurns(db: Db, userId: string, limit: number, after: KeysetCursor | null): Promise<TurnRow[]> {
  const before = after ? or(lt(coachTurns.createdAt, after.at), and(eq(coachTurns.createdAt, after.at), lt(coachTurns.id, after.id))) : undefined;
  return db
    .select()
    .from(coachTurns)
    .where(and(eq(coachTurns.userId, userId), inArray(coachTurns.status, SHOWN), before))
    .orderBy(desc(coachTurns.createdAt), desc(coachTurns.id))
    .limit(limit + 1);
}

/**
 * A post of a draft as its member sees it: the draft's platform, whether the user is a member, and the
 * segment's text (null when the draft has no such segment).
 */
export async function findDraftPost(
  db: Db,
  userId: string,
  draftId: string,
  segmentId: string,
): Promise<{ platform: string; member: boolean; content: string | null } | undefined> {
  const [row] = await db
    .select({ platform: drafts.platform, role: draftMembers.role, content: segments.content })
    .from(drafts)
    .leftJoin(draftMembers, and(eq(draftMembers.draftId, drafts.id), eq(draftMembers.userId, userId)))
    .leftJoin(segments, and(eq(segments.id, segmentId), eq(segments.draftId, drafts.id)))
    .where(eq(drafts.id, draftId));
  return row && { platform: row.platform, member: row.role !== null, content: row.content };
}
