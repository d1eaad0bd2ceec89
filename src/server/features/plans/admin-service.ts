import { v7 as uuidv7 } from 'uuid';
import { OVERRIDE_MAX_DAYS, type AdminUserDetail, type AuditEntry, type CreateOverrideBody, type EntitlementOverride } from '../../../contract/admin.js';
import type { Role } from '../../../contract/auth.js';
import type { EntitlementKey, Plan, PlanId } from '../../../contract/plans.js';
import type { Db } from '../../db/client.js';
import type { AuthUser } from '../../platform/auth.js';
import type { Clock } from '../../platform/clock.js';
import { transaction, type Transact } from '../../platform/unit-of-work.js';
import { DAY_MS } from '../analytics/model.js';
import { recordAudit, type AuditContext } from '../audit/record.js';
import { displayNameOf } from '../users/present.js';
import * as errors from './errors.js';
import { entitlementStatus, kindOf } from './model.js';
import { presentOverride, presentPlan } from './present.js';
import { countLiveSessions } from '../admin/users-repo.js';
import * as repo from './repo.js';

/** A per-user usage counter as the admin view shows it (requests per route group today). */
export type UsageCounter = AdminUserDetail['usageCounters'][number];

/**
 * What the admin plan actions need. `recentAuditFor` and `usageCountersFor` fill the user view; the audit
 * and limits features provide them (the composition root wires them). Each gets the handle to read with:
 * inside a change it is the change's transaction, so the view shows the change's own audit row (and on
 * PGlite, one connection, a read on the outer handle would wait for the transaction forever).
 */
export type AdminPlansDeps = {
  db: Db;
  clock: Clock;
  transact?: Transact | undefined;
  recentAuditFor: (userId: string, db: Db) => Promise<AuditEntry[]>;
  usageCountersFor: (userId: string, db: Db) => Promise<UsageCounter[]>;
};

/** Who acts and in which request; the time comes from the clock. */
export type AdminActor = { actor: Pick<AuthUser, 'id' | 'email'>; requestId: string };

/** Runs an admin change and its audit row in one transaction. */
async function auditedChange<T>(deps: AdminPlansDeps, who: AdminActor, work: (tx: Db, audit: AuditContext) => Promise<T>): Promise<T> {
  const transact = deps.transact ?? transaction(deps.db);
  const audit = { ...who, now: deps.clock.now() };
  return transact(({ tx }) => work(tx, audit));
}

/** `GET /v1/admin/users/:id`: a user's plan, entitlements, overrides, sessions, usage and recent audit. */
export async function userDetail(deps: AdminPlansDeps, userId: string, db: Db = deps.db): Promise<AdminUserDetail> {
  const now = deps.clock.now();
  const user = await repo.findUserWithPlan(db, userId);
  if (!user) throw errors.userNotFound();
  const [facts, overrides, activeSessions, usageCounters, recentAudit] = [
    await repo.readAllFacts(db, userId, now),
    await repo.listOverrides(db, userId),
    await countLiveSessions(db, userId, now),
    await deps.usageCountersFor(userId, db),
    await deps.recentAuditFor(userId, db),
  ];
  return {
    user: {
      id: user.id,
      email: user.email,
      displayName: displayNameOf(user),
      role: user.role as Role,
      plan: user.plan as PlanId,
      createdAt: user.createdAt.toISOString(),
    },
    planSince: user.planSince.toISOString(),
    enforcementEnabled: user.enforcementEnabled,
    entitlements: facts.map(entitlementStatus),
    overrides: overrides.map(presentOverride),
    activeSessions,
    usageCounters,
    recentAudit,
  };
}

async function lockExistingUser(tx: Db, userId: string) {
  const plan = await repo.lockUserPlan(tx, userId);
  if (!plan) throw errors.userNotFound();
  return plan;
}

/** Moves a user to another plan; a change of plan gives back every grace use. The same plan changes nothing. */
export async function setUserPlan(deps: AdminPlansDeps, who: AdminActor, userId: string, plan: PlanId): Promise<AdminUserDetail> {
  return auditedChange(deps, who, async (tx, audit) => {
    const current = await lockExistingUser(tx, userId);
    if (current.planId !== plan) {
      await repo.setUserPlan(tx, userId, plan, audit.now);
      const graceUsed = await repo.clearGrace(tx, userId);
      await recordAudit(tx, audit, {
        action: 'user.plan_set',
        targetType: 'user',
        targetId: userId,
        before: { plan: current.planId, since: current.since.toISOString(), graceUsed },
        after: { plan, since: audit.now.toISOString(), graceUsed: {} },
      });
    }
    return userDetail(deps, userId, tx);
  });
}

/** Gives back the grace a user has taken, of one entitlement or of all. */
export async function resetGrace(deps: AdminPlansDeps, who: AdminActor, userId: string, key: EntitlementKey | undefined): Promise<AdminUserDetail> {
  return auditedChange(deps, who, async (tx, audit) => {
    await lockExistingUser(tx, userId);
    const graceUsed = await repo.clearGrace(tx, userId, key);
    await recordAudit(tx, audit, {
      action: 'entitlement.grace_reset',
      targetType: 'user',
      targetId: userId,
      before: { key: key ?? null, graceUsed },
      after: { key: key ?? null, graceUsed: {} },
    });
    return userDetail(deps, userId, tx);
  });
}

/** Every override of a user, expired ones included (checks ignore those), by key. */
export async function listOverrides(deps: AdminPlansDeps, userId: string): Promise<{ items: EntitlementOverride[] }> {
  if (!(await repo.findUserWithPlan(deps.db, userId))) throw errors.userNotFound();
  return { items: (await repo.listOverrides(deps.db, userId)).map(presentOverride) };
}

function checkOverride(input: CreateOverrideBody, now: Date): void {
  if (kindOf(input.key) === 'flag' && input.value !== null && input.value > 1) {
    throw errors.invalidField('body.value', `${input.key} is on (1) or off (0).`);
  }
  if (input.expiresAt !== undefined && new Date(input.expiresAt) <= now) {
    throw errors.invalidField('body.expiresAt', 'An override must expire after now.');
  }
  if (input.expiresAt !== undefined && new Date(input.expiresAt).getTime() > now.getTime() + OVERRIDE_MAX_DAYS * DAY_MS) {
    throw errors.invalidField('body.expiresAt', 'An override expires within five years; leave out the expiry for one that lasts.');
  }
}

/** Sets a user's override of one entitlement, replacing the one there was (the audit row shows both). */
export async function createOverride(deps: AdminPlansDeps, who: AdminActor, input: CreateOverrideBody): Promise<EntitlementOverride> {
  checkOverride(input, deps.clock.now());
  return auditedChange(deps, who, async (tx, audit) => {
    await lockExistingUser(tx, input.userId);
    const replaced = await repo.deleteOverrideOf(tx, input.userId, input.key);
    const row: repo.OverrideRow = {
      id: uuidv7(),
      userId: input.userId,
      key: input.key,
      value: input.value,
      expiresAt: input.expiresAt === undefined ? null : new Date(input.expiresAt),
      createdAt: audit.now,
      createdBy: who.actor.id,
    };
    await repo.insertOverride(tx, row);
    const created = presentOverride(row);
    await recordAudit(tx, audit, {
      action: 'entitlement.override_set',
      targetType: 'user',
      targetId: row.userId,
      before: replaced ? presentOverride(replaced) : null,
      after: created,
    });
    return created;
  });
}

export async function deleteOverride(deps: AdminPlansDeps, who: AdminActor, overrideId: string): Promise<void> {
  await auditedChange(deps, who, async (tx, audit) => {
    const found = await repo.findOverride(tx, overrideId);
    if (!found) throw errors.overrideNotFound();
    await repo.lockUserPlan(tx, found.userId);
    // Under the lock, what is deleted is what was there: a delete that waited for another finds nothing.
    const removed = await repo.deleteOverride(tx, overrideId);
    if (!removed) throw errors.overrideNotFound();
    await recordAudit(tx, audit, {
      action: 'entitlement.override_deleted',
      targetType: 'user',
      targetId: removed.userId,
      before: presentOverride(removed),
      after: null,
    });
  });
}

/** Turns a plan's enforcement on or off (off: checks past a limit answer WARN_ONLY and let the action go ahead). */
export async function setEnforcement(deps: AdminPlansDeps, who: AdminActor, planId: PlanId, enabled: boolean): Promise<Plan> {
  return auditedChange(deps, who, async (tx, audit) => {
    const was = await repo.setEnforcement(tx, planId, enabled);
    if (was === undefined) throw new Error(`plan ${planId} is in the contract but not in the plans table`);
    if (was !== enabled) {
      await recordAudit(tx, audit, {
        action: 'plan.enforcement_set',
        targetType: 'plan',
        targetId: planId,
        before: { enforcementEnabled: was },
        after: { enforcementEnabled: enabled },
      });
    }
    const plan = (await repo.listPlans(tx)).find((p) => p.id === planId)!;
    return presentPlan(plan);
  });
}
