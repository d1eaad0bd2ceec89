import type { EntitlementKey, Plan, PlanId } from '../../contract/plans.js';

/**
 * How the web app names each entitlement: a label for lists and tables, and the counted thing (one, many)
 * for sentences. Supportive words only: a limit is something a plan includes, never something the reader
 * did wrong.
 */
export const ENTITLEMENT_WORDS: Record<EntitlementKey, { label: string; one: string; many: string; per?: string }> = {
  'drafts.max': { label: 'Drafts', one: 'draft', many: 'drafts' },
  'collaborators.max': { label: 'Collaborators on a draft', one: 'collaborator', many: 'collaborators' },
  'analytics.enabled': { label: 'Activity figures', one: 'activity figures', many: 'activity figures' },
  'coach.turns_per_day': { label: 'Coach turns a day', one: 'coach turn', many: 'coach turns', per: 'today' },
  'coach.mirror_sessions_per_week': { label: 'Coach Mirror sessions a week', one: 'Mirror session', many: 'Mirror sessions', per: 'this week' },
  'coach.goals.max': { label: 'Active coach goals', one: 'active goal', many: 'active goals' },
};

/** "1 draft", "10 drafts". */
export function countOf(key: EntitlementKey, n: number): string {
  const words = ENTITLEMENT_WORDS[key];
  return `${n} ${n === 1 ? words.one : words.many}`;
}

/** A plan's name from its id, before (or without) the plan list. */
export function planName(id: PlanId, plans?: Plan[]): string {
  return plans?.find((p) => p.id === id)?.name ?? id.charAt(0).toUpperCase() + id.slice(1);
}

/** A limit as the app shows it: a number, or "No limit". */
export function limitText(value: number | null): string {
  return value === null ? 'No limit' : String(value);
}

/** The first plan after `current` (in the list's order) that allows more of `key` than `limit`. */
export function planThatLifts(plans: Plan[] | undefined, current: PlanId, key: EntitlementKey, limit: number): Plan | undefined {
  if (!plans) return undefined;
  const from = plans.findIndex((p) => p.id === current);
  return plans.slice(from + 1).find((p) => {
    const value = p.entitlements.find((e) => e.key === key)?.value;
    return value !== undefined && (value === null || value > limit);
  });
}
