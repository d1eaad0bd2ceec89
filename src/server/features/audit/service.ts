import type { z } from 'zod';
import type { AuditPageSchema, AuditQuery } from '../../../contract/admin.js';
import type { Db } from '../../db/client.js';
import { decodeCursor, pageOf } from '../../platform/cursor.js';
import { presentAuditEntry } from './present.js';
import { listAudit } from './repo.js';

type AuditPage = z.infer<typeof AuditPageSchema>;

/** One page of the audit log, newest first, narrowed by the query's filters. */
export async function readAuditLog(deps: { db: Db }, query: AuditQuery): Promise<AuditPage> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const filters = {
    actorId: query.actorId,
    action: query.action,
    targetType: query.targetType,
    targetId: query.targetId,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
  };
  const rows = await listAudit(deps.db, filters, query.limit + 1, after);
  return pageOf(rows, query.limit, (row) => ({ at: row.createdAt, id: row.id }), presentAuditEntry);
}
