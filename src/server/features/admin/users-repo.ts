import { and, asc, count, desc, eq, gt, ilike, isNull, lt, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { sessions, userPlans, users } from '../../db/schema/index.js';
import type { KeysetCursor } from '../../platform/cursor.js';

/** A user as the admin console lists them: the account and its plan. */
export type AdminUserRow = {
  id: string;
  email: string;
  displayName: string | null;
  role: string;
  createdAt: Date;
  plan: string;
};

const adminUserColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  role: users.role,
  createdAt: users.createdAt,
  plan: userPlans.planId,
};

/** `text` as a LIKE pattern that matches it anywhere, its own `%`, `_` and `\` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Users whose email or display name contains `q` (any case) and who are on `plan`, newest first by
 * (created_at, id), keyset-paginated, walking users_created_idx (migration 0008). `q` is a substring match,
 * so with one the rows are filtered as the index is walked; pg_trgm GIN indexes on email and display_name
 * would serve it for `q` of 3+ characters.
 */
export async function searchUsers(
  db: Db,
  filters: { q?: string | undefined; plan?: string | undefined },
  limit: number,
  after: KeysetCursor | null,
): Promise<AdminUserRow[]> {
  const conditions: SQL[] = [];
  if (filters.q) {
    const pattern = containsPattern(filters.q);
    conditions.push(or(ilike(users.email, pattern), ilike(users.displayName, pattern))!);
  }
  if (filters.plan) conditions.push(eq(userPlans.planId, filters.plan));
  if (after) conditions.push(or(lt(users.createdAt, after.at), and(eq(users.createdAt, after.at), lt(users.id, after.id)))!);
  return db
    .select(adminUserColumns)
    .from(users)
    .innerJoin(userPlans, eq(userPlans.userId, users.id))
    .where(and(...conditions))
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(limit);
}

/**
 * Locks every admin's row until the transaction ends, in id order (two callers never wait on each other
 * crosswise), and answers their ids. A second caller waits here for the first to commit, then sees the
 * roles as the first left them: two admins demoting each other cannot both pass the last-admin check.
 */
export async function lockAdmins(tx: Db): Promise<string[]> {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(eq(users.role, 'admin'))
    .orderBy(asc(users.id))
    .for('update');
  return rows.map((r) => r.id);
}

/** Locks one user's row for a change and answers the user, or undefined when there is none. */
export async function lockUser(tx: Db, userId: string): Promise<AdminUserRow | undefined> {
  const [row] = await tx
    .select(adminUserColumns)
    .from(users)
    .innerJoin(userPlans, eq(userPlans.userId, users.id))
    .where(eq(users.id, userId))
    .for('update', { of: users });
  return row;
}

/** How many sessions of a user are live: neither ended nor past their expiry. */
export async function countLiveSessions(db: Db, userId: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
  return row?.n ?? 0;
}
