import type { EntitlementKey, PlanId, QuotaExceededFields } from '../../../contract/plans.js';
import { AppError, NotFoundError, ValidationError } from '../../platform/errors.js';

/** How each entitlement is named to the person who hit it. */
const WHAT: Record<EntitlementKey, string> = {
  'drafts.max': 'drafts in use (not archived)',
  'collaborators.max': 'collaborators on one draft',
  'analytics.enabled': 'analytics',
  'coach.turns_per_day': 'coach turns a day',
  'coach.mirror_sessions_per_week': 'coach Mirror sessions a week',
  'coach.goals.max': 'active coach goals',
};

const PLAN_NAMES: Record<PlanId, string> = { free: 'Free', creator: 'Creator', team: 'Team' };

/** Whose plan set the limit: the user's own, or (for collaborators) the draft owner's. */
export type LimitHolder = 'self' | 'draft owner';

function quotaDetail(fields: QuotaExceededFields, holder: LimitHolder): string {
  const plan = PLAN_NAMES[fields.plan];
  const lift = holder === 'self' ? 'A bigger plan or an admin override lifts it' : "A bigger plan for the draft's owner or an admin override lifts it";
  if (fields.entitlement === 'analytics.enabled') {
    return `Analytics are not part of the ${plan} plan. A bigger plan or an admin override turns them on.`;
  }
  const whose = holder === 'self' ? `your ${plan} plan` : `the ${plan} plan of this draft's owner`;
  const used = fields.used === null ? '' : ` (${fields.used} in use)`;
  const archive =
    fields.entitlement === 'drafts.max' ? '; archiving a draft frees a place' : fields.entitlement === 'coach.goals.max' ? '; completing or archiving a goal frees a place' : '';
  return `You have reached the limit of ${fields.limit} ${WHAT[fields.entitlement]} on ${whose}${used}, and its grace is used up. ${lift}${archive}.`;
}

/** `403 quota_exceeded`: which limit, how much is used, whose plan, and what lifts it. */
export function quotaExceeded(fields: QuotaExceededFields, holder: LimitHolder): AppError {
  return new AppError(403, 'quota_exceeded', quotaDetail(fields, holder), { fields: { ...fields } });
}

export { userNotFound } from '../users/errors.js';
export const overrideNotFound = () => new NotFoundError('override_not_found', 'There is no override with this id.');
export const invalidField = (path: string, message: string) => new ValidationError([{ path, message }], message);
