import type { z } from 'zod';
import type { AdminUserPageSchema, AdminUserQuery, AdminUserSummary } from '../../../contract/admin.js';
import type { Role } from '../../../contract/auth.js';
import type { PlanId } from '../../../contract/plans.js';
import type { Db } from '../../db/client.js';
import type { AuthUser } from '../../platform/auth.js';
import type { Clock } from '../../platform/clock.js';
import { decodeCursor, pageOf } from '../../platform/cursor.js';
import { ConflictError } from '../../platform/errors.js';
import { transaction, type Transact } from '../../platform/unit-of-work.js';
import { recordAudit, type AuditContext } from '../audit/record.js';
import { revokeSessionsOf } from '../auth/repo.js';
import { displayNameOf } from '../users/present.js';
import { updateUser } from '../users/repo.js';
import { userNotFound } from '../users/errors.js';
import * as repo from './users-repo.js';

/** `transact`, when given, runs the change (an Idempotency-Key's runner). */
export type AdminDeps = { db: Db; clock: Clock; transact?: Transact };

/** The admin acting, and the request the audit row names. */
export type AdminActor = { user: AuthUser; requestId: string };

type AdminUserPage = z.infer<typeof AdminUserPageSchema>;

const lastAdmin = () => new ConflictError('last_admin', 'This is the last admin: make someone else an admin first.');

export function presentAdminUser(row: repo.AdminUserRow): AdminUserSummary {
  return {
    id: row.id,
    email: row.email,
    displayName: displayNameOf(row),
    role: row.role as Role,
    plan: row.plan as PlanId,
    createdAt: row.createdAt.toISOString(),
  };
}

function auditContext(deps: AdminDeps, actor: AdminActor): AuditContext {
  return { actor: actor.user, requestId: actor.requestId, now: deps.clock.now() };
}

/** Users matching the query, newest first. */
export async function searchUsers(deps: AdminDeps, query: AdminUserQuery): Promise<AdminUserPage> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const rows = await repo.searchUsers(deps.db, { q: query.q, plan: query.plan }, query.limit + 1, after);
  return pageOf(rows, query.limit, (row) => ({ at: row.createdAt, id: row.id }), presentAdminUser);
}

/**
 * Makes a user an admin or an ordinary user, audited in the same transaction. The last admin cannot be
 * demoted (409 `last_admin`), even by two admins demoting each other at once. The user's cached sessions
 * hear of it (updateUser announces the change), so their next request has the new role.
 */
export async function setUserRole(deps: AdminDeps, actor: AdminActor, userId: string, role: Role): Promise<AdminUserSummary> {
  const transact = deps.transact ?? transaction(deps.db);
  return transact(async ({ tx }) => {
    // Admins first, always in the same order, then the user: see lockAdmins.
    const admins = role === 'user' ? await repo.lockAdmins(tx) : [];
    const user = await repo.lockUser(tx, userId);
    if (!user) throw userNotFound();
    if (user.role === role) return presentAdminUser(user);
    if (role === 'user' && admins.length === 1 && admins[0] === user.id) throw lastAdmin();
    const context = auditContext(deps, actor);
    await updateUser(tx, user.id, { role }, context.now);
    await recordAudit(tx, context, { action: 'user.role_set', targetType: 'user', targetId: user.id, before: { role: user.role }, after: { role } });
    return presentAdminUser({ ...user, role });
  });
}

/**
 * Ends every session of a user (they must sign in again, on every instance: the revocation is announced),
 * audited in the same transaction; answers how many were live. Expired sessions are marked revoked too but
 * not counted. The user's row stays locked until commit, so a sign-in in flight (its session row refers to
 * the user) waits and is not half-counted.
 */
export async function revokeUserSessions(deps: AdminDeps, actor: AdminActor, userId: string): Promise<{ revoked: number }> {
  const transact = deps.transact ?? transaction(deps.db);
  return transact(async ({ tx }) => {
    const user = await repo.lockUser(tx, userId);
    if (!user) throw userNotFound();
    const context = auditContext(deps, actor);
    const revoked = await repo.countLiveSessions(tx, user.id, context.now);
    await revokeSessionsOf(tx, user.id, 'revoked_by_admin', context.now);
    await recordAudit(tx, context, { action: 'user.sessions_revoked', targetType: 'user', targetId: user.id, before: null, after: { revoked } });
    return { revoked };
  });
}
