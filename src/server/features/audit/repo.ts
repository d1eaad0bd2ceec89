import { and, desc, eq, gte, lt, or, type SQL } from 'drizzle-orm';
import type { AuditAction, AuditEntry, AuditTargetType } from '../../../contract/admin.js';
import type { Db } from '../../db/client.js';
import { auditLog } from '../../db/schema/index.js';
import type { KeysetCursor } from '../../platform/cursor.js';
import { presentAuditEntry, type AuditRow } from './present.js';

/** What the audit log can be narrowed to; `from` inclusive, `to` exclusive. */
export type AuditFilters = {
  actorId?: string | undefined;
  action?: AuditAction | undefined;
  targetType?: AuditTargetType | undefined;
  targetId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
};

/**
 * Audit rows matching every given filter, newest first by (created_at, id), keyset-paginated. Each filter
 * on actor, action or target has an index that leads with it and goes on with (created_at, id).
 */
export async function listAudit(db: Db, filters: AuditFilters, limit: number, after: KeysetCursor | null): Promise<AuditRow[]> {
  const conditions: SQL[] = [];
  if (filters.actorId) conditions.push(eq(auditLog.actorId, filters.actorId));
  if (filters.action) conditions.push(eq(auditLog.action, filters.action));
  if (filters.targetType) conditions.push(eq(auditLog.targetType, filters.targetType));
  if (filters.targetId) conditions.push(eq(auditLog.targetId, filters.targetId));
  if (filters.from) conditions.push(gte(auditLog.createdAt, filters.from));
  if (filters.to) conditions.push(lt(auditLog.createdAt, filters.to));
  if (after) {
    conditions.push(or(lt(auditLog.createdAt, after.at), and(eq(auditLog.createdAt, after.at), lt(auditLog.id, after.id)))!);
  }
  return db
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(limit);
}

/** The latest audit entries about one target (a user's page shows what admins did to that user). */
export async function recentAuditFor(db: Db, targetType: AuditTargetType, targetId: string, limit: number): Promise<AuditEntry[]> {
  const rows = await listAudit(db, { targetType, targetId }, limit, null);
  return rows.map(presentAuditEntry);
}
