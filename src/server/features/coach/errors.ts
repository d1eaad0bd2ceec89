import { COACH_ERROR_CODES } from '../../../contract/coach.js';
import { AppError, ConflictError, NotFoundError } from '../../platform/errors.js';

/** Someone else's turn answers like a missing one, so ids do not leak. */
export const turnNotFound = () => new NotFoundError(COACH_ERROR_CODES.TURN_NOT_FOUND, 'No such turn.');
/** Someone else's session answers like a missing one, so ids do not leak. */
export const sessionNotFound = () => new NotFoundError(COACH_ERROR_CODES.MIRROR_SESSION_NOT_FOUND, 'No such Mirror session.');
export const sessionFull = (max: number) =>
  new ConflictError(COACH_ERROR_CODES.MIRROR_SESSION_FULL, `This session holds its ${max} messages; start a new session to keep reflecting.`);

/** How long a client is told to wait after a generation failed. */
export const COACH_RETRY_AFTER_SECONDS = 30;

/**
 * A model call failed (and so did the offline fallback): no Turn is used and a Mirror message is not kept.
 * The AI budgets are still charged what the calls cost, so the words promise nothing about them.
 */
export const coachUnavailable = () =>
  new AppError(503, COACH_ERROR_CODES.COACH_UNAVAILABLE, 'The coach could not answer just now. This used none of your Turns and kept no message; try again in a little while.', {
    headers: { 'retry-after': String(COACH_RETRY_AFTER_SECONDS) },
  });
