import { and, desc, eq, gt, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  passwordResetTokens,
  refreshTokens,
  sessions,
  users,
  type RefreshTokenRow,
  type SessionRow,
} from '../../db/schema/index.js';
import type { AuthUser } from '../../platform/auth.js';
import type { KeysetCursor } from '../../platform/cursor.js';
import { notify } from '../../db/notifications.js';
import { preparedPerDb } from '../../db/prepared.js';
import { PRINCIPAL_CHANNEL, sessionChanged, userChanged } from '../../platform/principal-cache.js';
import type { Role } from '../../../contract/auth.js';

export type NewSession = Omit<SessionRow, 'revokedAt' | 'revokedReason'>;

export async function insertSession(db: Db, session: NewSession): Promise<SessionRow> {
  const [row] = await db.insert(sessions).values(session).returning();
  return row!;
}

// Runs on every authenticated request whose session the principal cache does not hold.
const principalQuery = preparedPerDb((db) =>
  db
    .select({
      id: users.id,
      email: users.email,
      displayName: users.displayName,
      role: users.role,
      createdAt: users.createdAt,
      sessionId: sessions.id,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(eq(sessions.id, sql.placeholder('sessionId')), eq(sessions.userId, sql.placeholder('userId')), isNull(sessions.revokedAt)),
    )
    .prepare('find_principal'),
);

/** The live user of a session, in one prepared query: used on every authenticated request. */
export async function findPrincipal(db: Db, userId: string, sessionId: string): Promise<AuthUser | null> {
  const [row] = await principalQuery(db).execute({ userId, sessionId });
  return row ? { ...row, role: row.role as Role } : null;
}

const liveSessionColumns = {
  id: sessions.id,
  userAgent: sessions.userAgent,
  ip: sessions.ip,
  deviceName: sessions.deviceName,
  platform: sessions.platform,
  createdAt: sessions.createdAt,
  lastUsedAt: sessions.lastUsedAt,
};

export type LiveSession = Pick<SessionRow, keyof typeof liveSessionColumns>;

function buildLiveSessionsQuery(db: Db, afterCursor: boolean) {
  const conditions = [
    eq(sessions.userId, sql.placeholder('userId')),
    isNull(sessions.revokedAt),
    gt(sessions.expiresAt, sql.placeholder('now')),
  ];
  if (afterCursor) {
    conditions.push(
      or(
        lt(sessions.createdAt, sql.placeholder('afterAt')),
        and(eq(sessions.createdAt, sql.placeholder('afterAt')), lt(sessions.id, sql.placeholder('afterId'))),
      )!,
    );
  }
  return db
    .select(liveSessionColumns)
    .from(sessions)
    .where(and(...conditions))
    .orderBy(desc(sessions.createdAt), desc(sessions.id))
    .limit(sql.placeholder('limit'))
    .prepare(afterCursor ? 'list_live_sessions_after' : 'list_live_sessions');
}

const firstPageQuery = preparedPerDb((db) => buildLiveSessionsQuery(db, false));
const nextPageQuery = preparedPerDb((db) => buildLiveSessionsQuery(db, true));

/** Live sessions of a user, newest first, keyset-paginated. */
export async function listLiveSessions(
  db: Db,
  userId: string,
  now: Date,
  limit: number,
  after: KeysetCursor | null,
): Promise<LiveSession[]> {
  return (after ? nextPageQuery : firstPageQuery)(db).execute({ userId, now, limit, afterAt: after?.at, afterId: after?.id });
}

/** Revokes one live session of a user and announces it; answers whether it was live. */
export async function revokeSession(db: Db, userId: string, sessionId: string, reason: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  if (rows.length > 0) await notify(db, PRINCIPAL_CHANNEL, sessionChanged(sessionId));
  return rows.length > 0;
}

/** Revokes every live session of a user except `keepSessionId` (if given), and announces it. */
export async function revokeSessionsOf(
  db: Db,
  userId: string,
  reason: string,
  now: Date,
  keepSessionId: string | null = null,
): Promise<number> {
  const conditions = [eq(sessions.userId, userId), isNull(sessions.revokedAt)];
  if (keepSessionId) conditions.push(ne(sessions.id, keepSessionId));
  const rows = await db
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(...conditions))
    .returning({ id: sessions.id });
  if (rows.length > 0) await notify(db, PRINCIPAL_CHANNEL, userChanged(userId));
  return rows.length;
}

export async function touchSession(
  db: Db,
  sessionId: string,
  changes: Pick<SessionRow, 'lastUsedAt' | 'expiresAt' | 'ip' | 'userAgent'>,
): Promise<void> {
  await db.update(sessions).set(changes).where(eq(sessions.id, sessionId));
}

export async function insertRefreshToken(db: Db, token: RefreshTokenRow): Promise<void> {
  await db.insert(refreshTokens).values(token);
}

export type RefreshTokenWithSession = { token: RefreshTokenRow; session: SessionRow };

export async function findRefreshToken(db: Db, tokenHash: string): Promise<RefreshTokenWithSession | undefined> {
  const [row] = await db
    .select({ token: refreshTokens, session: sessions })
    .from(refreshTokens)
    .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
    .where(eq(refreshTokens.tokenHash, tokenHash));
  return row;
}

/** Marks a current refresh token as rotated; false when another request rotated it first. */
export async function markRotated(db: Db, tokenId: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(refreshTokens)
    .set({ rotatedAt: now })
    .where(and(eq(refreshTokens.id, tokenId), isNull(refreshTokens.rotatedAt)))
    .returning({ id: refreshTokens.id });
  return rows.length > 0;
}

export async function insertResetToken(
  db: Db,
  row: { id: string; userId: string; tokenHash: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db.insert(passwordResetTokens).values(row);
}

/** Consumes an unused, unexpired reset token (and every other one of its user); answers its user. */
export async function consumeResetToken(db: Db, tokenHash: string, now: Date): Promise<string | null> {
  const [row] = await db
    .update(passwordResetTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(passwordResetTokens.tokenHash, tokenHash),
        isNull(passwordResetTokens.usedAt),
        gt(passwordResetTokens.expiresAt, now),
      ),
    )
    .returning({ userId: passwordResetTokens.userId });
  if (!row) return null;
  await db
    .update(passwordResetTokens)
    .set({ usedAt: now })
    .where(and(eq(passwordResetTokens.userId, row.userId), isNull(passwordResetTokens.usedAt)));
  return row.userId;
}
