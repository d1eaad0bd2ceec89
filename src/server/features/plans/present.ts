import type { EntitlementOverride } from '../../../contract/admin.js';
import { ENTITLEMENT_KEYS, type Plan } from '../../../contract/plans.js';
import { kindOf } from './model.js';
import type { OverrideRow, PlanRecord } from './repo.js';

/** A plan as the plan page shows it: its entitlements in the contract's order (unknown keys left out). */
export function presentPlan(plan: PlanRecord): Plan {
  const entitlements = ENTITLEMENT_KEYS.flatMap((key) => {
    const found = plan.entitlements.find((e) => e.key === key);
    return found ? [{ key, kind: kindOf(key), value: found.value, grace: found.grace }] : [];
  });
  return { id: plan.id, name: plan.name, description: plan.description, enforcementEnabled: plan.enforcementEnabled, entitlements };
}

export function presentOverride(row: OverrideRow): EntitlementOverride {
  return {
    id: row.id,
    userId: row.userId,
    key: row.key as EntitlementOverride['key'],
    value: row.value,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
  };
}
