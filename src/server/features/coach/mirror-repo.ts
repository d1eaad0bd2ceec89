import { and, asc, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { draftMembers, drafts, mirrorMessages, mirrorSessions, segments } from '../../db/schema/index.js';
import type { KeysetCursor } from '../../platform/cursor.js';

export type SessionRow = typeof mirrorSessions.$inferSelect;
export type MessageRow = typeof mirrorMessages.$inferSelect;
/** A session with its draft only while its user is still a member of that draft. */
export type SessionView = SessionRow & { visibleDraftId: string | null };

const sessionView = {
  id: mirrorSessions.id,
  userId: mirrorSessions.userId,
  draftId: mirrorSessions.draftId,
  title: mirrorSessions.title,
  messageCount: mirrorSessions.messageCount,
  createdAt: mirrorSessions.createdAt,
  updatedAt: mirrorSessions.updatedAt,
  deletedAt: mirrorSessions.deletedAt,
  visibleDraftId: draftMembers.draftId,
};
const memberOfSessionDraft = and(eq(draftMembers.draftId, mirrorSessions.draftId), eq(draftMembers.userId, mirrorSessions.userId));
/** The user's session, unless they deleted it (a deleted one only stays to count in its week's quota). */
const usersLiveSession = (userId: string, id: string) => and(eq(mirrorSessions.id, id), eq(mirrorSessions.userId, userId), isNull(mirrorSessions.deletedAt));

export async function insertSession(tx: Db, row: SessionRow): Promise<void> {
  await tx.insert(mirrorSessions).values(row);
}

export async function findSession(db: Db, userId: string, id: string): Promise<SessionView | undefined> {
  const [row] = await db
    .select(sessionView)
    .from(mirrorSessions)
    .leftJoin(draftMembers, memberOfSessionDraft)
    .where(usersLiveSession(userId, id));
  return row;
}

/** Locks the user's session row until the transaction ends: its messages are added one exchange at a time. */
export async function lockSession(tx: Db, userId: string, id: string): Promise<SessionRow | undefined> {
  const [row] = await tx
    .select()
    .from(mirrorSessions)
    .where(usersLiveSession(userId, id))
    .for('update');
  return row;
}

export async function updateSession(tx: Db, id: string, changes: Partial<Pick<SessionRow, 'messageCount' | 'updatedAt'>>): Promise<void> {
  await tx.update(mirrorSessions).set(changes).where(eq(mirrorSessions.id, id));
}

/** Takes back a user's message whose reply never came, and both places it had taken in its session. */
export async function withdrawMessage(tx: Db, sessionId: string, messageId: string): Promise<void> {
  const removed = await tx.delete(mirrorMessages).where(eq(mirrorMessages.id, messageId)).returning({ id: mirrorMessages.id });
  if (removed.length === 0) return;
  await tx
    .update(mirrorSessions)
    .set({ messageCount: sql`${mirrorSessions.messageCount} - 2` })
    .where(eq(mirrorSessions.id, sessionId));
}

/**
 * Deletes the user's session: its messages go, and so do its title and draft; the row stays, marked deleted,
 * because it still counts in `coach.mirror_sessions_per_week` (deleting must not free a slot). False when
 * there was no such live session.
 */
export async function deleteSession(tx: Db, userId: string, id: string, at: Date): Promise<boolean> {
  const deleted = await tx
    .update(mirrorSessions)
    .set({ deletedAt: at, title: '', draftId: null, messageCount: 0 })
    .where(usersLiveSession(userId, id))
    .returning({ id: mirrorSessions.id });
  if (deleted.length === 0) return false;
  await tx.delete(mirrorMessages).where(eq(mirrorMessages.sessionId, id));
  return true;
}

/** A page of the user's sessions by last activity, newest first (mirror_sessions_user_idx). */
export async function listSessions(db: Db, userId: string, limit: number, after: KeysetCursor | null): Promise<SessionView[]> {
  const before = after
    ? or(lt(mirrorSessions.updatedAt, after.at), and(eq(mirrorSessions.updatedAt, after.at), lt(mirrorSessions.id, after.id)))
    : undefined;
  return db
    .select(sessionView)
    .from(mirrorSessions)
    .leftJoin(draftMembers, memberOfSessionDraft)
    .where(and(eq(mirrorSessions.userId, userId), isNull(mirrorSessions.deletedAt), before))
    .orderBy(desc(mirrorSessions.updatedAt), desc(mirrorSessions.id))
    .limit(limit + 1);
}

export async function insertMessages(tx: Db, rows: MessageRow[]): Promise<void> {
  await tx.insert(mirrorMessages).values(rows);
}

/** A page of a session's messages, oldest first, after the cursor's place. */
export async function listMessages(db: Db, sessionId: string, limit: number, after: KeysetCursor | null): Promise<MessageRow[]> {
  const later = after
    ? or(gt(mirrorMessages.createdAt, after.at), and(eq(mirrorMessages.createdAt, after.at), gt(mirrorMessages.id, after.id)))
    : undefined;
  return db
    .select()
    .from(mirrorMessages)
    .where(and(eq(mirrorMessages.sessionId, sessionId), later))
    .orderBy(asc(mirrorMessages.createdAt), asc(mirrorMessages.id))
    .limit(limit + 1);
}

/** The last `count` messages of a session, oldest first: the conversation a reply continues. */
export async function recentMessages(db: Db, sessionId: string, count: number): Promise<MessageRow[]> {
  const rows = await db
    .select()
    .from(mirrorMessages)
    .where(eq(mirrorMessages.sessionId, sessionId))
    .orderBy(desc(mirrorMessages.createdAt), desc(mirrorMessages.id))
    .limit(count);
  return rows.reverse();
}

/** The draft's title when the user is a member of it (the only drafts a session may be about). */
export async function draftTitleFor(db: Db, userId: string, draftId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ title: drafts.title })
    .from(drafts)
    .innerJoin(draftMembers, and(eq(draftMembers.draftId, drafts.id), eq(draftMembers.userId, userId)))
    .where(eq(drafts.id, draftId));
  return row?.title;
}

/** The draft's title and posts in order, when the user is still a member of it. */
export async function draftTextFor(db: Db, userId: string, draftId: string): Promise<{ title: string; posts: string[] } | undefined> {
  const title = await draftTitleFor(db, userId, draftId);
  if (title === undefined) return undefined;
  const posts = await db
    .select({ content: segments.content })
    .from(segments)
    .where(eq(segments.draftId, draftId))
    .orderBy(asc(segments.position));
  return { title, posts: posts.map((p) => p.content) };
}
