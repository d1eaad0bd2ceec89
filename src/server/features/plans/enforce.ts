import { Counter, type Registry } from 'prom-client';
import type { Decision, EntitlementKey, PlanId } from '../../../contract/plans.js';
import type { Db } from '../../db/client.js';
import { quotaExceeded, type LimitHolder } from './errors.js';
import { allows, entitlementStatus, kindOf } from './model.js';
import { claimFacts, readFacts, takeGrace, type PlanFacts, type UsageScope } from './repo.js';

/** The answer of a check or an enforcement: the decision and the numbers behind it. */
export type EntitlementCheck = {
  key: EntitlementKey;
  decision: Decision;
  limit: number | null;
  used: number | null;
  remaining: number | null;
  graceTotal: number;
  graceLeft: number;
  plan: PlanId;
};

function checkOf(facts: PlanFacts): EntitlementCheck {
  const { key, decision, limit, used, remaining, graceTotal, graceLeft } = entitlementStatus(facts);
  return { key, decision, limit, used, remaining, graceTotal, graceLeft, plan: facts.plan };
}

function noPlan(userId: string): Error {
  return new Error(`user ${userId} has no user_plans row: every user needs one (insertUser writes it)`);
}

/** What the next use of `key` would get, without taking it (no lock, no grace, not counted in metrics). */
export async function checkEntitlement(db: Db, userId: string, key: EntitlementKey, now: Date, scope: UsageScope = {}): Promise<EntitlementCheck> {
  const facts = await readFacts(db, userId, key, now, scope);
  if (!facts) throw noPlan(userId);
  return checkOf(facts);
}

export type EnforceOptions = { scope?: UsageScope; holder?: LimitHolder };

/**
 * Decides one gated use, inside the action's transaction and before any of its writes: answers the check
 * when the use may go ahead (taking a grace use on ALLOW_WITH_GRACE), throws `403 quota_exceeded` on BLOCK
 * or DISALLOWED. `userId` is whose quota it is (the draft's owner, for collaborators).
 */
export type Enforce = (tx: Db, userId: string, key: EntitlementKey, now: Date, options?: EnforceOptions) => Promise<EntitlementCheck>;

/** Prometheus: every enforcement decision, by entitlement and decision. */
export function decisionCounter(registry: Registry): Counter<'entitlement' | 'decision'> {
  return new Counter({
    name: 'onering_entitlement_decisions_total',
    help: 'Entitlement enforcement decisions by entitlement and decision',
    labelNames: ['entitlement', 'decision'] as const,
    registers: [registry],
  });
}

/**
 * The one `enforce` of every gated action. A limit claims the user's plan row and reads the quota in one
 * statement (a second only when another use of the same quota just committed: see `claimFacts`), so uses of
 * one quota are counted one at a time. A flag counts nothing and needs no claim.
 */
export function createEnforcer(decisions: Counter<'entitlement' | 'decision'>): Enforce {
  return async (tx, userId, key, now, options = {}) => {
    const facts = kindOf(key) === 'limit' ? await claimFacts(tx, userId, key, now, options.scope) : await readFacts(tx, userId, key, now, options.scope);
    if (!facts) throw noPlan(userId);
    const check = checkOf(facts);
    decisions.inc({ entitlement: key, decision: check.decision });
    if (!allows(check.decision)) {
      throw quotaExceeded({ entitlement: key, limit: check.limit ?? 0, used: check.used, plan: check.plan }, options.holder ?? 'self');
    }
    if (check.decision === 'ALLOW_WITH_GRACE') await takeGrace(tx, userId, key);
    return check;
  };
}
