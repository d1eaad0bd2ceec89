import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { time } from './columns.js';
import { users } from './identity.js';

/** A thread being written; the row is also the per-draft lock and event-sequence counter. */
export const drafts = pgTable(
  'drafts',
  {
    id: uuid('id').primaryKey(),
    title: text('title').notNull(),
    platform: text('platform').notNull(),
    status: text('status').notNull().default('draft'),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    ringHolderId: uuid('ring_holder_id')
      .notNull()
      .references(() => users.id),
    segmentCount: integer('segment_count').notNull().default(0),
    lastServerSeq: integer('last_server_seq').notNull().default(0),
    createdAt: time('created_at').notNull(),
    updatedAt: time('updated_at').notNull(),
    lastActivityAt: time('last_activity_at').notNull(),
  },
  (t) => [
    check('drafts_status_check', sql`${t.status} in ('draft', 'published', 'archived')`),
    check('drafts_platform_check', sql`${t.platform} in ('x', 'threads', 'bluesky', 'linkedin', 'instagram')`),
    // No index on the counters or times a change sets: then the update of a draft's row by every append can
    // be HOT (no index entries written). The drafts list reaches a member's drafts through draft_members.
    // Owner and status never change on an append, so this index keeps appends HOT: it counts the drafts an
    // owner has in use (drafts.max).
    index('drafts_owner_active_idx')
      .on(t.ownerId)
      .where(sql`${t.status} <> 'archived'`),
  ],
);

/** Who belongs to a draft: its owner and its collaborators. */
export const draftMembers = pgTable(
  'draft_members',
  {
    draftId: uuid('draft_id')
      .notNull()
      .references(() => drafts.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    joinedAt: time('joined_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.draftId, t.userId] }),
    index('draft_members_user_idx').on(t.userId, t.draftId),
    check('draft_members_role_check', sql`${t.role} in ('owner', 'collaborator')`),
  ],
);

export const segments = pgTable(
  'segments',
  {
    id: uuid('id').primaryKey(),
    draftId: uuid('draft_id')
      .notNull()
      .references(() => drafts.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    content: text('content').notNull(),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    createdAt: time('created_at').notNull(),
    /** 1 when written, +1 per edit; the versions before it are in `segment_revisions`. */
    revision: integer('revision').notNull().default(1),
    /** When and by whom the current text was written, once it is an edit (null for the text as appended). */
    editedAt: time('edited_at'),
    editedBy: uuid('edited_by').references(() => users.id),
  },
  (t) => [uniqueIndex('segments_draft_position_key').on(t.draftId, t.position), index('segments_author_idx').on(t.authorId)],
);

/**
 * Every earlier version of a segment, and the last one of a deleted segment: the current text lives in
 * `segments`. No foreign key to the segment, so the history outlives it; it goes with its draft.
 */
export const segmentRevisions = pgTable(
  'segment_revisions',
  {
    draftId: uuid('draft_id')
      .notNull()
      .references(() => drafts.id, { onDelete: 'cascade' }),
    segmentId: uuid('segment_id').notNull(),
    revision: integer('revision').notNull(),
    content: text('content').notNull(),
    writtenBy: uuid('written_by')
      .notNull()
      .references(() => users.id),
    writtenAt: time('written_at').notNull(),
  },
  // The key serves a segment's history newest first; the draft index serves the cascade and attribution.
  (t) => [primaryKey({ columns: [t.segmentId, t.revision] }), index('segment_revisions_draft_idx').on(t.draftId, t.writtenBy)],
);

export const ringPasses = pgTable(
  'ring_passes',
  {
    id: uuid('id').primaryKey(),
    draftId: uuid('draft_id')
      .notNull()
      .references(() => drafts.id, { onDelete: 'cascade' }),
    fromUserId: uuid('from_user_id').references(() => users.id),
    toUserId: uuid('to_user_id')
      .notNull()
      .references(() => users.id),
    passedAt: time('passed_at').notNull(),
    /** `pass` by the holder, `take` by the owner, `return` to the owner when the holder left. */
    kind: text('kind').notNull().default('pass'),
  },
  (t) => [
    index('ring_passes_draft_idx').on(t.draftId, t.passedAt, t.id),
    check('ring_passes_kind_check', sql`${t.kind} in ('pass', 'take', 'return')`),
  ],
);

export const invites = pgTable(
  'invites',
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
    expiresAt: time('expires_at').notNull(),
    revokedAt: time('revoked_at'),
    acceptedBy: uuid('accepted_by').references(() => users.id),
    acceptedAt: time('accepted_at'),
  },
  (t) => [uniqueIndex('invites_token_hash_key').on(t.tokenHash), index('invites_draft_idx').on(t.draftId, t.createdAt)],
);

/** The per-draft append-only log: gapless `server_seq`, written in the same transaction as each change. */
export const draftEvents = pgTable(
  'draft_events',
  {
    draftId: uuid('draft_id')
      .notNull()
      .references(() => drafts.id, { onDelete: 'cascade' }),
    serverSeq: integer('server_seq').notNull(),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    clientId: text('client_id'),
    clientSeq: integer('client_seq'),
    createdAt: time('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.draftId, t.serverSeq] }),
    uniqueIndex('draft_events_client_key').on(t.draftId, t.clientId, t.clientSeq),
  ],
);

export type DraftRow = typeof drafts.$inferSelect;
export type DraftMemberRow = typeof draftMembers.$inferSelect;
export type SegmentRow = typeof segments.$inferSelect;
export type InviteRow = typeof invites.$inferSelect;
export type DraftEventRow = typeof draftEvents.$inferSelect;
