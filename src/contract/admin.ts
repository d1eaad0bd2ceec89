import { z } from 'zod';
import { InstantSchema, pageOf, queryInteger } from './common.js';
import { ROLES } from './auth.js';
import { EntitlementKeySchema, EntitlementStatusSchema, PlanIdSchema, PlanSchema } from './plans.js';

/** Every state-changing admin action, as its audit row names it. */
export const AUDIT_ACTIONS = [
  'user.plan_set',
  'user.role_set',
  'user.sessions_revoked',
  'entitlement.override_set',
  'entitlement.override_deleted',
  'entitlement.grace_reset',
  'plan.enforcement_set',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** An override's rows name the user whose entitlement it changes; before/after carry the override (and its id). */
export const AUDIT_TARGET_TYPES = ['user', 'plan'] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

/** One immutable audit row. `before`/`after` are the changed state as JSON (never a secret). */
export const AuditEntrySchema = z.object({
  id: z.uuid(),
  actorId: z.uuid(),
  actorEmail: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  targetType: z.enum(AUDIT_TARGET_TYPES),
  targetId: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string(),
  createdAt: z.iso.datetime(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export const AuditPageSchema = pageOf(AuditEntrySchema);

/** `GET /v1/admin/audit`: newest first; every filter optional; `from` inclusive, `to` exclusive. */
export const AuditQuerySchema = z.object({
  limit: queryInteger(1, 100, 50),
  cursor: z.string().max(200).optional(),
  actorId: z.uuid().optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
  targetType: z.enum(AUDIT_TARGET_TYPES).optional(),
  targetId: z.string().min(1).max(100).optional(),
  from: InstantSchema.optional(),
  to: InstantSchema.optional(),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export const AdminUserSummarySchema = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  plan: PlanIdSchema,
  createdAt: z.iso.datetime(),
});
export type AdminUserSummary = z.infer<typeof AdminUserSummarySchema>;
export const AdminUserPageSchema = pageOf(AdminUserSummarySchema);

/** `GET /v1/admin/users`: `q` matches email or display name (case-insensitive substring); newest first. */
export const AdminUserQuerySchema = z.object({
  limit: queryInteger(1, 100, 20),
  cursor: z.string().max(200).optional(),
  q: z.string().trim().min(1).max(254).optional(),
  plan: PlanIdSchema.optional(),
});
export type AdminUserQuery = z.infer<typeof AdminUserQuerySchema>;

export const EntitlementOverrideSchema = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  key: EntitlementKeySchema,
  /** Replaces the plan's value: a limit (null = no limit) or, for a flag, 1 (on) or 0 (off). */
  value: z.number().int().min(0).nullable(),
  expiresAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  createdBy: z.uuid(),
});
export type EntitlementOverride = z.infer<typeof EntitlementOverrideSchema>;
export const EntitlementOverrideListSchema = z.object({ items: z.array(EntitlementOverrideSchema) });

/** How far ahead an override's expiry may be: five years. Longer is no expiry, which the override says plainly. */
export const OVERRIDE_MAX_DAYS = 5 * 366;

/** At most one override per user and entitlement: a new one replaces the old (both audited). */
export const CreateOverrideBodySchema = z
  .object({
    userId: z.uuid(),
    key: EntitlementKeySchema,
    value: z.number().int().min(0).max(1_000_000).nullable(),
    /** In the future, and at most OVERRIDE_MAX_DAYS ahead (an override that never ends has no expiry). */
    expiresAt: InstantSchema.optional(),
  })
  .strict();
export type CreateOverrideBody = z.infer<typeof CreateOverrideBodySchema>;
export const OverrideListQuerySchema = z.object({ userId: z.uuid() });

/** A per-user usage counter: requests per route group in the current UTC day. */
export const UsageCounterSchema = z.object({ name: z.string(), window: z.literal('day'), count: z.number().int().min(0) });

export const AdminUserDetailSchema = z.object({
  user: AdminUserSummarySchema,
  planSince: z.iso.datetime(),
  enforcementEnabled: z.boolean(),
  entitlements: z.array(EntitlementStatusSchema),
  overrides: z.array(EntitlementOverrideSchema),
  activeSessions: z.number().int().min(0),
  usageCounters: z.array(UsageCounterSchema),
  recentAudit: z.array(AuditEntrySchema),
});
export type AdminUserDetail = z.infer<typeof AdminUserDetailSchema>;

export const SetPlanBodySchema = z.object({ plan: PlanIdSchema }).strict();
export const SetRoleBodySchema = z.object({ role: z.enum(ROLES) }).strict();
/** Without `key`, every entitlement's grace is given back. */
export const ResetGraceBodySchema = z.object({ key: EntitlementKeySchema.optional() }).strict();
export const SetEnforcementBodySchema = z.object({ enabled: z.boolean() }).strict();
export const RevokedSessionsSchema = z.object({ revoked: z.number().int().min(0) });
export const AdminPlanListSchema = z.object({ items: z.array(PlanSchema) });
