import { v7 as uuidv7 } from 'uuid';
import type { AuditAction, AuditTargetType } from '../../../contract/admin.js';
import type { Db } from '../../db/client.js';
import { auditLog } from '../../db/schema/index.js';
import type { AuthUser } from '../../platform/auth.js';

/** Who did it and in which request: what every audit row carries besides the change itself. */
export type AuditContext = { actor: Pick<AuthUser, 'id' | 'email'>; requestId: string; now: Date };

export type AuditChange = {
  action: AuditAction;
  targetType: AuditTargetType;
  targetId: string;
  before: unknown;
  after: unknown;
};

/**
 * Writes one audit row. Call it with the action's own transaction: the change and its row commit together,
 * and a failed audit write fails the action.
 */
export async function recordAudit(tx: Db, context: AuditContext, change: AuditChange): Promise<void> {
  await tx.insert(auditLog).values({
    id: uuidv7(),
    actorId: context.actor.id,
    actorEmail: context.actor.email,
    action: change.action,
    targetType: change.targetType,
    targetId: change.targetId,
    before: change.before ?? null,
    after: change.after ?? null,
    requestId: context.requestId,
    createdAt: context.now,
  });
}
