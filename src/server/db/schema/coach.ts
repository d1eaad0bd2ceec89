import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { drafts } from './collaboration.js';
import { time } from './columns.js';
import { users } from './identity.js';

// ---------------------------------------------------------------------------------------------------------
// The AI gateway: prices and budgets are data (seeded by migration 0010); money is kept in whole
// micro-dollars (1 USD = 1,000,000), so sums are exact.

/** What a provider's model costs per million tokens. `model = '*'` is the provider's price for any other model. */
export const aiPrices = pgTable(
  'ai_prices',
  {
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    inputMicrosPerMillion: bigint('input_micros_per_million', { mode: 'number' }).notNull(),
    outputMicrosPerMillion: bigint('output_micros_per_million', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.model] }),
    check('ai_prices_non_negative', sql`${t.inputMicrosPerMillion} >= 0 and ${t.outputMicrosPerMillion} >= 0`),
  ],
);

/** A feature's daily budget, for all users together (`global`) or for each user (`user`). */
export const aiBudgets = pgTable(
  'ai_budgets',
  {
    feature: text('feature').notNull(),
    scope: text('scope').notNull(),
    dailyMicros: bigint('daily_micros', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.feature, t.scope] }),
    check('ai_budgets_scope', sql`${t.scope} in ('global', 'user')`),
    check('ai_budgets_non_negative', sql`${t.dailyMicros} >= 0`),
  ],
);

/**
 * What each budget has used on one UTC day: the estimates of calls in flight plus the cost of settled ones.
 * `holder` is `global` or a user id. A reservation raises `used_micros` only while it stays within the budget
 * (one conditional statement), so parallel calls cannot pass it.
 */
export const aiBudgetDays = pgTable(
  'ai_budget_days',
  {
    day: date('day', { mode: 'string' }).notNull(),
    feature: text('feature').notNull(),
    holder: text('holder').notNull(),
    usedMicros: bigint('used_micros', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.feature, t.holder] })],
);

/** A call's claim on the budgets, made before the call at its worst-case cost and settled with what it cost. */
export const aiReservations = pgTable(
  'ai_reservations',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    feature: text('feature').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    estimateMicros: bigint('estimate_micros', { mode: 'number' }).notNull(),
    /** What it cost once settled (the sum of its calls' costs); null while in flight. */
    settledMicros: bigint('settled_micros', { mode: 'number' }),
    createdAt: time('created_at').notNull(),
    settledAt: time('settled_at'),
  },
  // The sweep of reservations whose process died finds them here.
  (t) => [index('ai_reservations_open_idx').on(t.createdAt).where(sql`${t.settledAt} is null`)],
);

/** One row per provider call, whatever its outcome. */
export const aiUsage = pgTable(
  'ai_usage',
  {
    id: uuid('id').primaryKey(),
    reservationId: uuid('reservation_id')
      .notNull()
      .references(() => aiReservations.id),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    feature: text('feature').notNull(),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    outcome: text('outcome').notNull(),
    inputTokens: integer('input_tokens').notNull(),
    outputTokens: integer('output_tokens').notNull(),
    costMicros: bigint('cost_micros', { mode: 'number' }).notNull(),
    latencyMs: integer('latency_ms').notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [
    index('ai_usage_user_idx').on(t.userId, t.createdAt),
    index('ai_usage_feature_idx').on(t.feature, t.createdAt),
    index('ai_usage_reservation_idx').on(t.reservationId),
    check('ai_usage_outcome', sql`${t.outcome} in ('ok', 'error', 'timeout', 'cut', 'cancelled', 'abandoned')`),
  ],
);

/** The precheck answered instead of a model: which rule, never the user's words. */
export const safetyEvents = pgTable(
  'safety_events',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    feature: text('feature').notNull(),
    category: text('category').notNull(),
    ruleId: text('rule_id').notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [index('safety_events_user_idx').on(t.userId, t.createdAt), index('safety_events_time_idx').on(t.createdAt)],
);

// ---------------------------------------------------------------------------------------------------------
// Coach features

/**
 * A Turn: the text reframed and the rewrites. `status` is `pending` from the claim (it counts against
 * `coach.turns_per_day` from then on) until the answer is stored (`done`); `safety` turns count nothing.
 */
export const coachTurns = pgTable(
  'coach_turns',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    draftId: uuid('draft_id').references(() => drafts.id, { onDelete: 'set null' }),
    segmentId: uuid('segment_id'),
    platform: text('platform').notNull(),
    text: text('text').notNull(),
    status: text('status').notNull(),
    suggestions: jsonb('suggestions').$type<Array<{ text: string; length: number }>>().notNull().default([]),
    provider: text('provider'),
    fallback: boolean('fallback').notNull().default(false),
    safetyCategory: text('safety_category'),
    createdAt: time('created_at').notNull(),
    updatedAt: time('updated_at').notNull(),
  },
  (t) => [
    index('coach_turns_user_idx').on(t.userId, t.createdAt, t.id),
    check('coach_turns_status', sql`${t.status} in ('pending', 'done', 'failed', 'safety')`),
  ],
);

export const mirrorSessions = pgTable(
  'mirror_sessions',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    draftId: uuid('draft_id').references(() => drafts.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    messageCount: integer('message_count').notNull().default(0),
    createdAt: time('created_at').notNull(),
    updatedAt: time('updated_at').notNull(),
    /** Set when the user deletes the session: it is gone for them, but still counts in its week's quota. */
    deletedAt: time('deleted_at'),
  },
  (t) => [index('mirror_sessions_user_idx').on(t.userId, t.updatedAt, t.id), index('mirror_sessions_created_idx').on(t.userId, t.createdAt)],
);

export const mirrorMessages = pgTable(
  'mirror_messages',
  {
    id: uuid('id').primaryKey(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => mirrorSessions.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    content: text('content').notNull(),
    provider: text('provider'),
    fallback: boolean('fallback').notNull().default(false),
    complete: boolean('complete').notNull().default(true),
    safetyCategory: text('safety_category'),
    createdAt: time('created_at').notNull(),
  },
  (t) => [index('mirror_messages_session_idx').on(t.sessionId, t.id), check('mirror_messages_role', sql`${t.role} in ('user', 'coach')`)],
);

export const lensGoals = pgTable(
  'lens_goals',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    why: text('why').notNull().default(''),
    targetDay: date('target_day', { mode: 'string' }),
    status: text('status').notNull(),
    createdAt: time('created_at').notNull(),
    updatedAt: time('updated_at').notNull(),
  },
  (t) => [index('lens_goals_user_idx').on(t.userId, t.status, t.createdAt, t.id), check('lens_goals_status', sql`${t.status} in ('active', 'completed', 'archived')`)],
);

export const lensActions = pgTable(
  'lens_actions',
  {
    id: uuid('id').primaryKey(),
    goalId: uuid('goal_id')
      .notNull()
      .references(() => lensGoals.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    doneAt: time('done_at'),
    createdAt: time('created_at').notNull(),
    updatedAt: time('updated_at').notNull(),
  },
  (t) => [index('lens_actions_goal_idx').on(t.goalId, t.day, t.id), index('lens_actions_user_day_idx').on(t.userId, t.day)],
);
