import { MAX_ACTIONS_PER_GOAL } from '../../../contract/coach.js';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.js';

/** Someone else's goal answers as one that does not exist. */
export const goalNotFound = () => new NotFoundError('goal_not_found', 'No such goal.');
export const actionNotFound = () => new NotFoundError('action_not_found', 'This goal has no such action; it may have been removed.');
export const goalActionsFull = () =>
  new ConflictError(
    'goal_actions_full',
    `A goal holds up to ${MAX_ACTIONS_PER_GOAL} actions, and this one has them all. Remove an action you no longer need, or start a new goal for what comes next.`,
  );
export const invalidField = (path: string, message: string) => new ValidationError([{ path, message }], message);
