import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { notify } from '../../db/notifications.js';
import { preparedPerDb } from '../../db/prepared.js';
import { userPlans, users, type UserRow } from '../../db/schema/index.js';
import { PRINCIPAL_CHANNEL, userChanged } from '../../platform/principal-cache.js';
import type { Role } from '../../../contract/auth.js';
import { DEFAULT_PLAN } from '../../../contract/plans.js';

export type NewUser = Pick<UserRow, 'id' | 'email' | 'passwordHash' | 'displayName' | 'role' | 'createdAt'>;

/** A new account, on the free plan from its first moment (every user has exactly one active plan). */
export async function insertUser(db: Db, user: NewUser): Promise<UserRow> {
  const [row] = await db
    .insert(users)
    .values({ ...user, updatedAt: user.createdAt })
    .returning();
  await db.insert(userPlans).values({ userId: user.id, planId: DEFAULT_PLAN, since: user.createdAt });
  return row!;
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email})`);
  return row;
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

/** What anyone may know of a user: the id and the chosen name, never the email. */
export async function findPublicUser(db: Db, id: string): Promise<{ id: string; displayName: string | null } | undefined> {
  const [row] = await db.select({ id: users.id, displayName: users.displayName }).from(users).where(eq(users.id, id));
  return row;
}

// Every leaderboard and analytics answer names its people with this: prepared, like the other hot reads.
const displayNamesQuery = preparedPerDb((db) =>
  db
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    .where(sql`${users.id} = any(${sql.placeholder('ids')}::uuid[])`)
    .prepare('display_names'),
);

export async function listDisplayNames(db: Db, ids: readonly string[]): Promise<Array<{ id: string; displayName: string | null }>> {
  return displayNamesQuery(db).execute({ ids: [...ids] });
}

export async function updateUser(
  db: Db,
  id: string,
  changes: Partial<Pick<UserRow, 'displayName' | 'passwordHash' | 'role'>>,
  now: Date,
): Promise<UserRow | undefined> {
  const [row] = await db
    .update(users)
    .set({ ...changes, updatedAt: now })
    .where(eq(users.id, id))
    .returning();
  if (row) await notify(db, PRINCIPAL_CHANNEL, userChanged(id));
  return row;
}

/** Promotes (or demotes) an account by email and announces it; answers whether one was found. */
export async function setRoleByEmail(db: Db, email: string, role: Role, now: Date): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ role, updatedAt: now })
    .where(sql`lower(${users.email}) = lower(${email})`)
    .returning({ id: users.id });
  for (const row of rows) await notify(db, PRINCIPAL_CHANNEL, userChanged(row.id));
  return rows.length > 0;
}
