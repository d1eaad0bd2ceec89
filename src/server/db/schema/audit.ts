import { index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { time } from './columns.js';

/**
 * What admins changed, one row per action, written in the action's transaction. Immutable: a trigger
 * (migration 0007) refuses UPDATE and DELETE. No foreign keys: the trail outlives what it names.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey(),
    actorId: uuid('actor_id').notNull(),
    actorEmail: text('actor_email').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id').notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [
    index('audit_log_time_idx').on(t.createdAt, t.id),
    index('audit_log_actor_idx').on(t.actorId, t.createdAt, t.id),
    // Leads with the id alone: a target id filter is served with or without its type (ids do not repeat across types).
    index('audit_log_target_id_idx').on(t.targetId, t.createdAt, t.id),
    index('audit_log_action_idx').on(t.action, t.createdAt, t.id),
  ],
);
