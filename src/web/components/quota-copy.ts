import type { Plan, QuotaExceededFields } from '../../contract/plans.js';
import { countOf, ENTITLEMENT_WORDS, planName, planThatLifts } from './entitlement-words.js';

/** Whose plan the limit belongs to: the reader's own, or (for collaborators on someone else's draft) the owner's. */
export type QuotaOwner = 'mine' | 'owner';

/** One thing that would make room, with an optional link inside the app. */
export type Remedy = { text: string; link?: { to: string; label: string } };

/** `lead` introduces the remedies: "To make room:" for a count, another for a flag. */
export type QuotaWords = { summary: string; lead: string; remedies: Remedy[] };

const ASK_ADMIN: Remedy = { text: 'An admin can give you more room or move you to another plan. Paid plans arrive with billing.' };

/**
 * What a `403 quota_exceeded` says to the person who met it: which limit, in their terms, and what would
 * make room. Kind and plain: a limit is what a plan includes, never a fault of the reader.
 */
export function quotaWords(quota: QuotaExceededFields, whose: QuotaOwner = 'mine', plans?: Plan[]): QuotaWords {
  const plan = planName(quota.plan, plans);
  const bigger = planThatLifts(plans, quota.plan, quota.entitlement, quota.limit);
  const biggerValue = bigger?.entitlements.find((e) => e.key === quota.entitlement)?.value;
  const biggerPlan: Remedy[] =
    bigger && biggerValue !== undefined
      ? [{ text: `The ${bigger.name} plan includes ${biggerValue === null ? `as many ${ENTITLEMENT_WORDS[quota.entitlement].many} as you like` : countOf(quota.entitlement, biggerValue)}.` }]
      : [];
  const lead = 'To make room:';
  const used = quota.used ?? quota.limit;
  // Past the limit means the plan's grace (a little extra room) was lent and is in use now.
  const extra = used > quota.limit;
  const includes = (who: string) => `${who} includes ${quota.limit} and a little extra room, now in use`;
  const some = countOf(quota.entitlement, used);
  const ofLimit = `${used} of ${countOf(quota.entitlement, quota.limit)}`;

  switch (quota.entitlement) {
    case 'drafts.max':
      return {
        lead,
        summary: extra ? `You have ${some}: ${includes(`the ${plan} plan`)}.` : `You have ${ofLimit} on the ${plan} plan.`,
        remedies: [
          { text: 'Archive a draft you have finished: archived drafts stay readable and do not count.', link: { to: '/drafts', label: 'Your drafts' } },
          ...biggerPlan,
          ASK_ADMIN,
        ],
      };
    case 'collaborators.max':
      if (whose === 'owner') {
        return {
          lead,
          summary: extra ? `This draft has ${some}: ${includes(`its owner’s ${plan} plan`)}.` : `This draft has ${used} of the ${countOf(quota.entitlement, quota.limit)} its owner’s ${plan} plan includes.`,
          remedies: [{ text: 'Ask the draft’s owner: they can make room on the draft, or an admin can give their plan more.' }],
        };
      }
      return {
        lead,
        summary: extra ? `This draft has ${some}: ${includes(`your ${plan} plan`)}.` : `This draft has ${used} of the ${countOf(quota.entitlement, quota.limit)} your ${plan} plan includes.`,
        remedies: [{ text: 'Make room by removing someone who has finished writing with you.' }, ...biggerPlan, ASK_ADMIN],
      };
    case 'analytics.enabled': {
      // A flag: no count, and either the plan leaves it out or an override turned it off for this account.
      const ownPlan = plans?.find((p) => p.id === quota.plan)?.entitlements.find((e) => e.key === quota.entitlement);
      const planIncludes = ownPlan !== undefined && ownPlan.value !== 0;
      const flagPlan = plans?.slice(plans.findIndex((p) => p.id === quota.plan) + 1).find((p) => p.entitlements.some((e) => e.key === quota.entitlement && e.value !== 0));
      const account = whose === 'owner' ? 'this draft’s owner' : 'your account';
      return {
        lead: 'To turn them on:',
        summary: planIncludes
          ? `Activity figures are turned off for ${account} right now.`
          : `Activity figures are not included in ${whose === 'owner' ? `the ${plan} plan of this draft’s owner` : `your ${plan} plan`} right now.`,
        remedies: planIncludes
          ? [{ text: `An admin can turn them back on for ${account}.` }]
          : [...(flagPlan ? [{ text: `The ${flagPlan.name} plan includes them.` }] : []), { text: 'An admin can move you to another plan. Paid plans arrive with billing.' }],
      };
    }
    case 'coach.turns_per_day':
    case 'coach.mirror_sessions_per_week':
      return {
        lead,
        summary: extra
          ? `You have used ${some} ${ENTITLEMENT_WORDS[quota.entitlement].per}: ${includes(`the ${plan} plan`)}.`
          : `You have used ${ofLimit} ${ENTITLEMENT_WORDS[quota.entitlement].per} on the ${plan} plan.`,
        remedies: [
          { text: quota.entitlement === 'coach.turns_per_day' ? 'New turns arrive with the next day (UTC).' : 'New sessions arrive with the next week (UTC).' },
          ...biggerPlan,
          ASK_ADMIN,
        ],
      };
    case 'coach.goals.max':
      return {
        lead,
        summary: extra ? `You have ${some}: ${includes(`the ${plan} plan`)}.` : `You have ${ofLimit} on the ${plan} plan.`,
        remedies: [
          { text: 'Mark a goal completed or archive it: its actions stay, and it no longer counts.', link: { to: '/coach/goals', label: 'Your goals' } },
          ...biggerPlan,
          ASK_ADMIN,
        ],
      };
  }
}
