import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { notify } from '../../db/notifications.js';
import { users, type UserRow } from '../../db/schema/index.js';
import { PRINCIPAL_CHANNEL, userChanged } from '../../platform/principal-cache.js';
import type { Role } from '../../../contract/auth.js';

export type NewUser = Pick<UserRow, 'id' | 'email' | 'passwordHash' | 'displayName' | 'role' | 'createdAt'>;

export async function insertUser(db: Db, user: NewUser): Promise<UserRow> {
  const [row] = await db
    .insert(users)
    .values({ ...user, updatedAt: user.createdAt })
    .returning();
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
