import type { AuditAction, AuditEntry, AuditTargetType } from '../../../contract/admin.js';
import type { auditLog } from '../../db/schema/index.js';

export type AuditRow = typeof auditLog.$inferSelect;

/** An audit row as the admin API shows it. */
export function presentAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    actorId: row.actorId,
    actorEmail: row.actorEmail,
    action: row.action as AuditAction,
    targetType: row.targetType as AuditTargetType,
    targetId: row.targetId,
    before: row.before,
    after: row.after,
    requestId: row.requestId,
    createdAt: row.createdAt.toISOString(),
  };
}
