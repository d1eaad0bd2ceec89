import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { ENTITLEMENT_KEYS, type EntitlementKey, type PlanId } from '../../../contract/plans.js';
import type { Db } from '../../db/client.js';
import { entitlementGrace, entitlementOverrides, planEntitlements, plans, userPlans, users } from '../../db/schema/index.js';
import type { EntitlementFacts } from './model.js';
import { isoWeekOf, PENDING_TURN_LEASE_MS, utcDayOf } from './usage.js';

type Rows<T> = { rows: T[] };
const rowsOf = <T>(result: unknown): T[] => (result as Rows<T>).rows;
const dateOf = (value: string | Date | null): Date | null => (value === null ? null : value instanceof Date ? value : new Date(value));

/**
 * Where a use would land: `collaborators.max` counts one draft's collaborators (besides `joiningUserId`,
 * who is no new use when already on it); without a draft, the most on any of the user's drafts.
 */
export type UsageScope = { draftId?: string; joiningUserId?: string };

/**
 * The usage of one entitlement as a SQL expression at `now`, from the tables that project the draft log and
 * the coach's own tables (usage.ts counts the same with pure reducers; a test shows they agree).
 */
function usageSql(key: EntitlementKey, userId: string, scope: UsageScope, now: Date): SQL {
  switch (key) {
    case 'drafts.max':
      // drafts_owner_active_idx
      return sql`(select count(*)::int from drafts where owner_id = ${userId} and status <> 'archived')`;
    case 'collaborators.max':
      if (scope.draftId !== undefined) {
        const joining = scope.joiningUserId ?? null;
        return sql`(select count(*)::int from draft_members
          where draft_id = ${scope.draftId} and role = 'collaborator' and user_id is distinct from ${joining}::uuid)`;
      }
      return sql`(select coalesce(max(n), 0)::int from (
        select (select count(*) from draft_members m where m.draft_id = d.id and m.role = 'collaborator') as n
        from drafts d where d.owner_id = ${userId} and d.status <> 'archived') as per_draft)`;
    case 'analytics.enabled':
      return sql`null::int`;
    case 'coach.turns_per_day': {
      // coach_turns_user_idx; a turn counts from its claim (pending, for its lease) on, unless it failed or the precheck answered.
      const day = utcDayOf(now);
      const leaseStart = new Date(now.getTime() - PENDING_TURN_LEASE_MS);
      return sql`(select count(*)::int from coach_turns where user_id = ${userId}
        and (status = 'done' or (status = 'pending' and created_at > ${leaseStart.toISOString()}::timestamptz))
        and created_at >= ${day.start.toISOString()}::timestamptz and created_at < ${day.end.toISOString()}::timestamptz)`;
    }
    case 'coach.mirror_sessions_per_week': {
      // mirror_sessions_created_idx; a deleted session still counts (deleting frees no slot).
      const week = isoWeekOf(now);
      return sql`(select count(*)::int from mirror_sessions where user_id = ${userId}
        and created_at >= ${week.start.toISOString()}::timestamptz and created_at < ${week.end.toISOString()}::timestamptz)`;
    }
    case 'coach.goals.max':
      // lens_goals_user_idx
      return sql`(select count(*)::int from lens_goals where user_id = ${userId} and status = 'active')`;
  }
}

type FactsRow = {
  key: EntitlementKey;
  plan_id: PlanId;
  enforcement_enabled: boolean;
  plan_value: number | null;
  /** Whether the plan has a row for this entitlement. */
  defined: boolean;
  grace: number | null;
  override_id: string | null;
  override_value: number | null;
  override_expires_at: string | Date | null;
  grace_used: number;
  used: number | null;
};

export type PlanFacts = EntitlementFacts & { plan: PlanId };

function factsOf(row: FactsRow): PlanFacts {
  const overridden = row.override_id !== null;
  // A plan without a row for this entitlement allows none of it (a flag is off): plans are data, and a
  // missing row must not read as "no limit".
  const planValue = row.defined ? row.plan_value : 0;
  return {
    key: row.key,
    plan: row.plan_id,
    limit: overridden ? row.override_value : planValue,
    used: row.used,
    graceTotal: row.grace ?? 0,
    graceUsed: row.grace_used,
    enforcementEnabled: row.enforcement_enabled,
    override: overridden ? { value: row.override_value, expiresAt: dateOf(row.override_expires_at) } : null,
  };
}

/**
 * The user's plan, the entitlement's value (a live override's when there is one: no expiry or one after
 * `now`), the grace taken and the usage: one statement, one row per key.
 */
export function factsQuery(userId: string, keys: readonly EntitlementKey[], now: Date, scope: UsageScope): SQL {
  const usage = sql.join(
    keys.map((key) => sql`when ${key} then ${usageSql(key, userId, scope, now)}`),
    sql` `,
  );
  return sql`select k.key, up.plan_id, p.enforcement_enabled, pe.value as plan_value, pe.key is not null as defined, pe.grace,
      o.id as override_id, o.value as override_value, o.expires_at as override_expires_at,
      coalesce(g.used, 0)::int as grace_used,
      case k.key ${usage} end as used
    from user_plans up
    join plans p on p.id = up.plan_id
    cross join unnest(array[${sql.join(keys.map((k) => sql`${k}`), sql`, `)}]::text[]) as k(key)
    left join plan_entitlements pe on pe.plan_id = up.plan_id and pe.key = k.key
    left join entitlement_overrides o on o.user_id = up.user_id and o.key = k.key and (o.expires_at is null or o.expires_at > ${now.toISOString()})
    left join entitlement_grace g on g.user_id = up.user_id and g.key = k.key
    where up.user_id = ${userId}`;
}

/** One entitlement's facts for a user; undefined when the user has no plan row (no such user). */
export async function readFacts(db: Db, userId: string, key: EntitlementKey, now: Date, scope: UsageScope = {}): Promise<PlanFacts | undefined> {
  const [row] = rowsOf<FactsRow>(await db.execute(factsQuery(userId, [key], now, scope)));
  return row ? factsOf(row) : undefined;
}

/**
 * Claims the user's plan row for one gated use (the row stays locked until the transaction ends, so uses of
 * one quota are counted one at a time) and reads the entitlement's facts in the same statement. Under READ
 * COMMITTED that statement reads with the snapshot it started with, which misses what a use that held the
 * row before it committed meanwhile (it waited for that use, or the use committed just before the lock).
 * Every claim adds one to `claims`, so the statement sees whether its snapshot holds the claim just before
 * its own; only when it does not, the facts are read again, now after the lock: one statement when nobody
 * else is using the quota, two when someone just did. Undefined for a user without a plan row.
 */
export async function claimFacts(tx: Db, userId: string, key: EntitlementKey, now: Date, scope: UsageScope = {}): Promise<PlanFacts | undefined> {
  const result = await tx.execute(sql`with claim as (
      update user_plans set claims = claims + 1 where user_id = ${userId} returning claims
    )
    select f.*, claim.claims - 1 = (select seen.claims from user_plans seen where seen.user_id = ${userId}) as fresh
    from claim cross join (${factsQuery(userId, [key], now, scope)}) as f`);
  const [row] = rowsOf<FactsRow & { fresh: boolean }>(result);
  if (!row) return undefined;
  return row.fresh ? factsOf(row) : readFacts(tx, userId, key, now, scope);
}

/** Every entitlement's facts for a user, in the contract's order; empty when the user has no plan row. */
export async function readAllFacts(db: Db, userId: string, now: Date): Promise<PlanFacts[]> {
  const rows = rowsOf<FactsRow>(await db.execute(factsQuery(userId, ENTITLEMENT_KEYS, now, {})));
  return ENTITLEMENT_KEYS.flatMap((key) => rows.filter((r) => r.key === key).map(factsOf));
}

/**
 * Locks the user's plan row until the transaction ends, for an admin's change to the user's quota (plan,
 * grace, overrides). It counts as a claim, so a gated use that waited for the change reads the quota again
 * (see `claimFacts`). Answers the plan, or undefined for a user without one.
 */
export async function lockUserPlan(tx: Db, userId: string): Promise<{ planId: PlanId; since: Date } | undefined> {
  const [row] = await tx
    .update(userPlans)
    .set({ claims: sql`${userPlans.claims} + 1` })
    .where(eq(userPlans.userId, userId))
    .returning({ planId: userPlans.planId, since: userPlans.since });
  return row ? { planId: row.planId as PlanId, since: row.since } : undefined;
}

/** Takes one use of grace. */
export async function takeGrace(tx: Db, userId: string, key: EntitlementKey): Promise<void> {
  await tx
    .insert(entitlementGrace)
    .values({ userId, key, used: 1 })
    .onConflictDoUpdate({ target: [entitlementGrace.userId, entitlementGrace.key], set: { used: sql`${entitlementGrace.used} + 1` } });
}

/** Grace taken per key; gives it back (one key, or all) and answers what was taken. */
export async function clearGrace(tx: Db, userId: string, key?: EntitlementKey): Promise<Record<string, number>> {
  const where = key === undefined ? eq(entitlementGrace.userId, userId) : and(eq(entitlementGrace.userId, userId), eq(entitlementGrace.key, key));
  const rows = await tx.delete(entitlementGrace).where(where).returning({ key: entitlementGrace.key, used: entitlementGrace.used });
  return Object.fromEntries(rows.sort((a, b) => a.key.localeCompare(b.key)).map((r) => [r.key, r.used]));
}

export async function setUserPlan(tx: Db, userId: string, planId: PlanId, since: Date): Promise<void> {
  await tx.update(userPlans).set({ planId, since }).where(eq(userPlans.userId, userId));
}

export type PlanRecord = {
  id: PlanId;
  name: string;
  description: string;
  enforcementEnabled: boolean;
  entitlements: Array<{ key: string; value: number | null; grace: number }>;
};

/** Every plan with its entitlements, in the order plans are shown. */
export async function listPlans(db: Db): Promise<PlanRecord[]> {
  const [planRows, entitlementRows] = await Promise.all([
    db.select().from(plans).orderBy(asc(plans.position), asc(plans.id)),
    db.select().from(planEntitlements),
  ]);
  return planRows.map((p) => ({
    id: p.id as PlanId,
    name: p.name,
    description: p.description,
    enforcementEnabled: p.enforcementEnabled,
    entitlements: entitlementRows.filter((e) => e.planId === p.id).map((e) => ({ key: e.key, value: e.value, grace: e.grace })),
  }));
}

/** Switches a plan's enforcement; answers the value it had, or undefined for no such plan. */
export async function setEnforcement(tx: Db, planId: PlanId, enabled: boolean): Promise<boolean | undefined> {
  const result = await tx.execute(sql`
    update plans set enforcement_enabled = ${enabled} from (select id, enforcement_enabled from plans where id = ${planId} for update) as before
    where plans.id = before.id returning before.enforcement_enabled as was`);
  return rowsOf<{ was: boolean }>(result)[0]?.was;
}

export type OverrideRow = typeof entitlementOverrides.$inferSelect;

export async function listOverrides(db: Db, userId: string): Promise<OverrideRow[]> {
  return db.select().from(entitlementOverrides).where(eq(entitlementOverrides.userId, userId)).orderBy(asc(entitlementOverrides.key));
}

export async function findOverride(db: Db, id: string): Promise<OverrideRow | undefined> {
  const [row] = await db.select().from(entitlementOverrides).where(eq(entitlementOverrides.id, id));
  return row;
}

/** Removes the user's override of `key`, if any, and answers it. */
export async function deleteOverrideOf(tx: Db, userId: string, key: EntitlementKey): Promise<OverrideRow | undefined> {
  const [row] = await tx
    .delete(entitlementOverrides)
    .where(and(eq(entitlementOverrides.userId, userId), eq(entitlementOverrides.key, key)))
    .returning();
  return row;
}

/** Removes an override; answers it, or undefined when it was already gone. */
export async function deleteOverride(tx: Db, id: string): Promise<OverrideRow | undefined> {
  const [row] = await tx.delete(entitlementOverrides).where(eq(entitlementOverrides.id, id)).returning();
  return row;
}

export async function insertOverride(tx: Db, row: OverrideRow): Promise<void> {
  await tx.insert(entitlementOverrides).values(row);
}

/** A user as the admin view lists them, with their plan. */
export async function findUserWithPlan(db: Db, userId: string) {
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      displayName: users.displayName,
      role: users.role,
      createdAt: users.createdAt,
      plan: userPlans.planId,
      planSince: userPlans.since,
      enforcementEnabled: plans.enforcementEnabled,
    })
    .from(users)
    .innerJoin(userPlans, eq(userPlans.userId, users.id))
    .innerJoin(plans, eq(plans.id, userPlans.planId))
    .where(eq(users.id, userId));
  return row;
}

