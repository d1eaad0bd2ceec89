import { ENTITLEMENTS, type Decision, type EntitlementKey, type EntitlementKind, type EntitlementStatus } from '../../../contract/plans.js';

/** What a decision needs to know about one entitlement of one user, as read in one statement. */
export type EntitlementFacts = {
  key: EntitlementKey;
  /** The plan's value, or a live override's; null = no limit. A flag is 1 (on) or 0 (off). */
  limit: number | null;
  /** How much is in use now; null for a flag. */
  used: number | null;
  graceTotal: number;
  graceUsed: number;
  enforcementEnabled: boolean;
  override: { value: number | null; expiresAt: Date | null } | null;
};

export type DecisionInput = {
  limit: number | null;
  used: number | null;
  graceTotal: number;
  graceUsed: number;
  enforcementEnabled: boolean;
  kind: EntitlementKind;
};

/**
 * What the next use gets. A limit: ALLOW under it; at or past it, WARN_ONLY when the plan does not enforce,
 * ALLOW_WITH_GRACE while grace is left, BLOCK after. A flag: ALLOW when on, DISALLOWED when off (WARN_ONLY
 * on a plan that does not enforce). No limit (null) always allows.
 */
export function decide(input: DecisionInput): Decision {
  const { limit, enforcementEnabled } = input;
  if (limit === null) return 'ALLOW';
  if (input.kind === 'flag') {
    if (limit > 0) return 'ALLOW';
    return enforcementEnabled ? 'DISALLOWED' : 'WARN_ONLY';
  }
  if ((input.used ?? 0) < limit) return 'ALLOW';
  if (!enforcementEnabled) return 'WARN_ONLY';
  return input.graceUsed < input.graceTotal ? 'ALLOW_WITH_GRACE' : 'BLOCK';
}

/** Decisions that let the action go ahead. */
export const allows = (decision: Decision): boolean => decision !== 'BLOCK' && decision !== 'DISALLOWED';

export const kindOf = (key: EntitlementKey): EntitlementKind => ENTITLEMENTS[key];

/** One entitlement as a user (or an admin) sees it: its numbers and what the next use would get. */
export function entitlementStatus(facts: EntitlementFacts): EntitlementStatus {
  const kind = kindOf(facts.key);
  const used = kind === 'flag' ? null : (facts.used ?? 0);
  const decision = decide({ ...facts, used, kind });
  return {
    key: facts.key,
    kind,
    limit: facts.limit,
    used,
    remaining: kind === 'flag' || facts.limit === null ? null : Math.max(0, facts.limit - (used ?? 0)),
    graceTotal: facts.graceTotal,
    graceLeft: Math.max(0, facts.graceTotal - facts.graceUsed),
    decision,
    override: facts.override ? { value: facts.override.value, expiresAt: facts.override.expiresAt?.toISOString() ?? null } : null,
  };
}
