import { COACH_ERROR_CODES, type AiFeature, type SafetyNotice } from '../../../contract/coach.js';
import { AppError } from '../../platform/errors.js';

/** Which daily budget refused a call: the feature's for everyone, or the user's own share of it. */
export type BudgetScope = 'global' | 'user';

/**
 * `429 ai_budget_exhausted`: the call's worst-case cost would pass a daily budget. Budgets are per UTC day,
 * so `Retry-After` and `retryAfterSeconds` point at the next UTC midnight.
 */
export class AiBudgetExhaustedError extends AppError {
  constructor(
    readonly feature: AiFeature,
    readonly scope: BudgetScope,
    readonly retryAfterSeconds: number,
  ) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    const whose = scope === 'user' ? "today's coaching budget for you" : "today's coaching budget for everyone";
    super(429, COACH_ERROR_CODES.AI_BUDGET_EXHAUSTED, `The coach has used ${whose}. It opens again at midnight UTC.`, {
      headers: { 'retry-after': String(seconds) },
      fields: { budget: { feature, scope }, retryAfterSeconds: seconds },
    });
  }
}

/** Thrown by `generate`/`stream` when they admit a call themselves and the safety precheck matched. */
export class SafetyHold extends Error {
  constructor(readonly notice: SafetyNotice) {
    super(`safety precheck matched: ${notice.category}`);
    this.name = 'SafetyHold';
  }
}
