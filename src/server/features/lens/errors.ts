import { COACH_ERROR_CODES, MAX_ACTIONS_PER_GOAL } from '../../../contract/coach.js';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.js';

/** Someone else's goal answers as one that does not exist. */
export const goalNotFound = () => new NotFoundError(COACH_ERROR_CODES.GOAL_NOT_FOUND, 'No such goal.');
export const actionNotFound = () => new NotFoundError(COACH_ERROR_CODES.ACTION_NOT_FOUND, 'This goal has no such action; it may have been removed.');
export const goalActionsFull = () =>
  new ConflictError(
    COACH_ERROR_CODES.GOAL_ACTIONS_FULL,
    `A goal holds up to ${MAX_ACTIONS_PER_GOAL} actions, and this one has them all. Remove an action you no longer need, or start a new goal for what comes next.`,
  );
export const invalidField = (path: string, message: string) => new ValidationError([{ path, message }], message);
