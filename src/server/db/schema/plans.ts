import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { time } from './columns.js';
import { users } from './identity.js';

/** A plan is data: migration 0007 seeds `free`, `creator` and `team`; admins toggle its enforcement. */
export const plans = pgTable('plans', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull(),
  /** Off: a check past a limit answers WARN_ONLY and the action goes ahead. */
  enforcementEnabled: boolean('enforcement_enabled').notNull().default(true),
  /** The order plans are shown in. */
  position: integer('position').notNull(),
});

/** What a plan allows: a limit (null = none) or a flag (0/1), and how many uses past the limit it forgives. */
export const planEntitlements = pgTable(
  'plan_entitlements',
  {
    planId: text('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    value: integer('value'),
    grace: integer('grace').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.planId, t.key] }),
    check('plan_entitlements_value_check', sql`${t.value} is null or ${t.value} >= 0`),
    check('plan_entitlements_grace_check', sql`${t.grace} >= 0`),
  ],
);

/**
 * Every user's one active plan (a row from registration on). The row is also the lock a gated write takes,
 * so parallel uses of one user's quota are counted one at a time.
 */
export const userPlans = pgTable(
  'user_plans',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    planId: text('plan_id')
      .notNull()
      .references(() => plans.id),
    since: time('since').notNull(),
    /**
     * How many gated uses have claimed this row. Each claim adds one in the statement that also reads the
     * quota, so that statement can tell whether its snapshot saw the claim before it (see `claimFacts`).
     */
    claims: bigint('claims', { mode: 'number' }).notNull().default(0),
  },
  (t) => [index('user_plans_plan_idx').on(t.planId, t.userId)],
);

/** Grace taken per user and entitlement; given back on a plan change or by an admin. */
export const entitlementGrace = pgTable(
  'entitlement_grace',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    used: integer('used').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] }), check('entitlement_grace_used_check', sql`${t.used} >= 0`)],
);

/** An admin's replacement of one user's entitlement value, until `expires_at` (null: until removed). */
export const entitlementOverrides = pgTable(
  'entitlement_overrides',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    value: integer('value'),
    expiresAt: time('expires_at'),
    createdAt: time('created_at').notNull(),
    createdBy: uuid('created_by').notNull(),
  },
  (t) => [
    uniqueIndex('entitlement_overrides_user_key').on(t.userId, t.key),
    check('entitlement_overrides_value_check', sql`${t.value} is null or ${t.value} >= 0`),
  ],
);
