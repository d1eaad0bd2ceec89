import { index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { time } from './columns.js';

/**
 * The answer to a mutation sent with an Idempotency-Key, per user, written in the same transaction as the
 * change it answers (so a row exists exactly when the change committed). Rows past retention are swept
 * by `created_at`.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: uuid('user_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    responseStatus: integer('response_status').notNull(),
    responseBody: text('response_body').notNull(),
    responseType: text('response_type'),
    /** Headers the route answered along with the body (an ETag), replayed with it. */
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] }), index('idempotency_keys_created_idx').on(t.createdAt)],
);

/** Mail the default Mailer has queued; a sender process or an operator delivers it. */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: uuid('id').primaryKey(),
    toAddress: text('to_address').notNull(),
    template: text('template').notNull(),
    subject: text('subject').notNull(),
    bodyText: text('body_text').notNull(),
    createdAt: time('created_at').notNull(),
    sentAt: time('sent_at'),
  },
  (t) => [index('mail_outbox_created_idx').on(t.createdAt)],
);
