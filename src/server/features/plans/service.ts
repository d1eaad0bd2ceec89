import type { MyEntitlements, Plan } from '../../../contract/plans.js';
import type { Db } from '../../db/client.js';
import type { AuthUser } from '../../platform/auth.js';
import type { Clock } from '../../platform/clock.js';
import { entitlementStatus } from './model.js';
import { presentPlan } from './present.js';
import * as repo from './repo.js';

export type PlansDeps = { db: Db; clock: Clock };

/** `GET /v1/me/entitlements`: my plan and, for each entitlement, its numbers and what my next use would get. */
export async function myEntitlements(deps: PlansDeps, actor: AuthUser): Promise<MyEntitlements> {
  const facts = await repo.readAllFacts(deps.db, actor.id, deps.clock.now());
  const first = facts[0];
  if (!first) throw new Error(`user ${actor.id} has no user_plans row`);
  return { plan: first.plan, enforcementEnabled: first.enforcementEnabled, entitlements: facts.map(entitlementStatus) };
}

/** `GET /v1/plans`: every plan and what it allows, in the order they are shown. */
export async function listPlans(deps: Pick<PlansDeps, 'db'>): Promise<{ items: Plan[] }> {
  return { items: (await repo.listPlans(deps.db)).map(presentPlan) };
}
