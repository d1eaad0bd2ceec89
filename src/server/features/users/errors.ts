import { NotFoundError } from '../../platform/errors.js';

/** No user has this id (or the caller may not know of them). */
export const userNotFound = () => new NotFoundError('user_not_found', 'There is no such user.');
