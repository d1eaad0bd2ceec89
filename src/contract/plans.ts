import { z } from 'zod';

/** Plans are rows of the `plans` table (seeded by migration 0007); these are their ids. */
export const PLAN_IDS = ['free', 'creator', 'team'] as const;
export type PlanId = (typeof PLAN_IDS)[number];
export const PlanIdSchema = z.enum(PLAN_IDS);
/** New users start here. */
export const DEFAULT_PLAN: PlanId = 'free';

/**
 * What a plan allows. `limit` entitlements count something (null = no limit); `flag` entitlements are on (1)
 * or off (0).
 */
export const ENTITLEMENTS = {
  /** Drafts you own that are not archived. */
  'drafts.max': 'limit',
  /** People writing with you on one of your drafts, besides you; counted against the draft's owner. */
  'collaborators.max': 'limit',
  /** Draft and user analytics (`GET /v1/drafts/:id/analytics`, `GET /v1/users/:id/analytics`). */
  'analytics.enabled': 'flag',
  /** Coach turns per UTC day (a safety answer counts none). */
  'coach.turns_per_day': 'limit',
  /** Coach Mirror sessions started per ISO week (Monday to Sunday, UTC). */
  'coach.mirror_sessions_per_week': 'limit',
  /** Lens goals that are active (not completed or archived). */
  'coach.goals.max': 'limit',
} as const;
export type EntitlementKey = keyof typeof ENTITLEMENTS;
export type EntitlementKind = (typeof ENTITLEMENTS)[EntitlementKey];
export const ENTITLEMENT_KEYS = Object.keys(ENTITLEMENTS) as [EntitlementKey, ...EntitlementKey[]];
export const EntitlementKeySchema = z.enum(ENTITLEMENT_KEYS);

/**
 * The answer of a check. ALLOW: under the limit. ALLOW_WITH_GRACE: at or past the limit, one grace use is
 * taken. WARN_ONLY: past the limit (or a flag off) on a plan whose enforcement is off, allowed and counted.
 * BLOCK: past the limit with no grace left. DISALLOWED: a flag that is off.
 */
export const DECISIONS = ['ALLOW', 'ALLOW_WITH_GRACE', 'WARN_ONLY', 'BLOCK', 'DISALLOWED'] as const;
export type Decision = (typeof DECISIONS)[number];

export const EntitlementStatusSchema = z.object({
  key: EntitlementKeySchema,
  kind: z.enum(['limit', 'flag']),
  /** The plan's value, or an admin override's while it lasts; null = no limit. A flag is 1 (on) or 0 (off). */
  limit: z.number().int().min(0).nullable(),
  /** How much is in use now; null for a flag. For `collaborators.max`, the most on any one of your drafts. */
  used: z.number().int().min(0).nullable(),
  remaining: z.number().int().min(0).nullable(),
  graceTotal: z.number().int().min(0),
  graceLeft: z.number().int().min(0),
  /** What the next use would get (a check: it takes no grace). */
  decision: z.enum(DECISIONS),
  /** Set while an admin override replaces the plan's value. */
  override: z.object({ value: z.number().int().min(0).nullable(), expiresAt: z.iso.datetime().nullable() }).nullable(),
});
export type EntitlementStatus = z.infer<typeof EntitlementStatusSchema>;

export const MyEntitlementsSchema = z.object({
  plan: PlanIdSchema,
  enforcementEnabled: z.boolean(),
  entitlements: z.array(EntitlementStatusSchema),
});
export type MyEntitlements = z.infer<typeof MyEntitlementsSchema>;

export const PlanEntitlementSchema = z.object({
  key: EntitlementKeySchema,
  kind: z.enum(['limit', 'flag']),
  value: z.number().int().min(0).nullable(),
  grace: z.number().int().min(0),
});

/** `GET /v1/plans`: what each plan allows, for the plan page (public). */
export const PlanSchema = z.object({
  id: PlanIdSchema,
  name: z.string(),
  description: z.string(),
  enforcementEnabled: z.boolean(),
  entitlements: z.array(PlanEntitlementSchema),
});
export type Plan = z.infer<typeof PlanSchema>;
export const PlanListSchema = z.object({ items: z.array(PlanSchema) });

/**
 * The extra members of a `403 quota_exceeded` problem: which entitlement, its limit, how much is used and the
 * plan whose limit it is (the draft owner's, for collaborators).
 */
export const QuotaExceededFieldsSchema = z.object({
  entitlement: EntitlementKeySchema,
  limit: z.number().int().min(0),
  used: z.number().int().min(0).nullable(),
  plan: PlanIdSchema,
});
export type QuotaExceededFields = z.infer<typeof QuotaExceededFieldsSchema>;
