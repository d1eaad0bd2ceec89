import { sql } from 'drizzle-orm';
import { bigint, check, date, index, integer, jsonb, pgTable, primaryKey, smallint, text, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { time } from './columns.js';
import { drafts } from './collaboration.js';
import { users } from './identity.js';

/**
 * The analytics event log: append-only, one row per event, written in the same transaction as the change or
 * read it records. No foreign keys: the log is history and outlives what it mentions. `id` is the order of
 * recording, which a rebuild of the projections follows.
 */
export const analyticsEvents = pgTable(
  'analytics_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    idempotencyKey: text('idempotency_key').notNull(),
    schemaVersion: smallint('schema_version').notNull(),
    type: text('type').notNull(),
    occurredAt: time('occurred_at').notNull(),
    draftId: uuid('draft_id').notNull(),
    /** Who acted: creator, viewer, author, editor, passer, publisher; null for a share by someone signed out. */
    userId: uuid('user_id'),
    /** Who else the event is about: the ring's receiver, a deleted segment's author. */
    targetUserId: uuid('target_user_id'),
    /** The rest of the event, by type (segment id, ring move kind and hold start, share channel). */
    payload: jsonb('payload').notNull(),
  },
  (t) => [
    uniqueIndex('analytics_events_idempotency_key').on(t.idempotencyKey),
    index('analytics_events_draft_idx').on(t.draftId, t.occurredAt),
    index('analytics_events_user_idx')
      .on(t.userId, t.type, t.occurredAt)
      .where(sql`${t.userId} is not null`),
    index('analytics_events_target_idx')
      .on(t.targetUserId, t.occurredAt)
      .where(sql`${t.targetUserId} is not null`),
    index('analytics_events_time_idx').on(t.occurredAt),
    check(
      'analytics_events_type_check',
      sql`${t.type} in ('DraftCreated', 'DraftViewed', 'DraftShared', 'SegmentAdded', 'SegmentEdited', 'SegmentDeleted', 'RingPassed', 'DraftPublished')`,
    ),
  ],
);

/** A secret, revocable read-only link to a draft; only the token's hash is kept. */
export const previewLinks = pgTable(
  'preview_links',
  {
    id: uuid('id').primaryKey(),
    draftId: uuid('draft_id')
      .notNull()
      .references(() => drafts.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: time('created_at').notNull(),
    revokedAt: time('revoked_at'),
    opens: integer('opens').notNull().default(0),
    lastOpenedAt: time('last_opened_at'),
  },
  (t) => [uniqueIndex('preview_links_token_hash_key').on(t.tokenHash), index('preview_links_draft_idx').on(t.draftId, t.createdAt)],
);


export type AnalyticsEventRow = typeof analyticsEvents.$inferSelect;
export type PreviewLinkRow = typeof previewLinks.$inferSelect;

// Projections (read models) of analytics_events, kept by the statement that records the events
// (features/analytics/projection-sql.ts) and rebuilt from the log by `npm run analytics:rebuild`. Each counts
// every recorded event, whatever its time; a read as of `now` subtracts the (usually no) events after `now`,
// found through the event table's time indexes. Two tables, so that a change upserts two rows: one per person
// and UTC day (a window adds days up), one per draft and person (a draft adds its people up).

/**
 * Per user and UTC day, what they did; the row of day `infinity` holds every day (all-time totals). Counters
 * are not indexed, so the upsert of today's row by each change stays HOT.
 */
export const analyticsUserDays = pgTable(
  'analytics_user_days',
  {
    userId: uuid('user_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    segments: integer('segments').notNull().default(0),
    segmentsEdited: integer('segments_edited').notNull().default(0),
    ringsHeld: integer('rings_held').notNull().default(0),
    ringsPassed: integer('rings_passed').notNull().default(0),
    draftsCreated: integer('drafts_created').notNull().default(0),
    /** Drafts whose first segment by the user was written that day. */
    draftsContributed: integer('drafts_contributed').notNull().default(0),
    /** Σ (occurredAt − heldSince) in whole milliseconds over the ring passes from the user, and how many. */
    holdMs: bigint('hold_ms', { mode: 'number' }).notNull().default(0),
    holds: integer('holds').notNull().default(0),
    lastActiveAt: time('last_active_at'),
  },
  (t) => [primaryKey({ columns: [t.userId, t.day] }), index('analytics_user_days_day_idx').on(t.day)],
);

/**
 * Per draft and person (null: someone signed out), what they did there; a draft's totals are the sum of its
 * rows. `first_segment_at` is their first segment there, which day draftsContributed counts.
 */
export const analyticsDraftPeople = pgTable(
  'analytics_draft_people',
  {
    draftId: uuid('draft_id').notNull(),
    userId: uuid('user_id'),
    views: integer('views').notNull().default(0),
    shares: integer('shares').notNull().default(0),
    segmentsAdded: integer('segments_added').notNull().default(0),
    segmentsDeleted: integer('segments_deleted').notNull().default(0),
    edits: integer('edits').notNull().default(0),
    ringPasses: integer('ring_passes').notNull().default(0),
    lastActivityAt: time('last_activity_at'),
    firstSegmentAt: time('first_segment_at'),
    /**
     * `first_segment_at` before the latest upsert (null after an insert). PostgreSQL 15's RETURNING cannot name
     * a row's old values; with this, the statement that moves a first segment earlier moves its day's count too.
     */
    previousFirstSegmentAt: time('previous_first_segment_at'),
  },
  (t) => [
    unique('analytics_draft_people_key').on(t.draftId, t.userId).nullsNotDistinct(),
    index('analytics_draft_people_user_idx').on(t.userId, t.firstSegmentAt).where(sql`${t.firstSegmentAt} is not null`),
    index('analytics_draft_people_first_idx').on(t.firstSegmentAt).where(sql`${t.firstSegmentAt} is not null`),
  ],
);

/**
 * The last recorded view per member and draft: the gate that records at most one DraftViewed per 30 minutes.
 * An upsert decides under the row's lock, so two opens at once cannot both pass.
 */
export const analyticsViewMarks = pgTable(
  'analytics_view_marks',
  {
    draftId: uuid('draft_id').notNull(),
    userId: uuid('user_id').notNull(),
    lastViewedAt: time('last_viewed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.draftId, t.userId] })],
);
