import { AppError, ConflictError, UnauthorizedError, ValidationError } from '../../platform/errors.js';

/** Rotated-out tokens presented within this window are a benign race (two tabs), not theft. */
export const REFRESH_REUSE_LEEWAY_MS = 10_000;

export const invalidCredentials = () =>
  new UnauthorizedError('invalid_credentials', 'The email or password is incorrect.');
export const emailTaken = () => new ConflictError('email_taken', 'An account with this email already exists; sign in instead.');
export const invalidRefreshToken = () =>
  new UnauthorizedError('invalid_refresh_token', 'The refresh token is not valid; sign in again.');
export const refreshTokenReused = () =>
  new UnauthorizedError('refresh_token_reused', 'This refresh token was already used; the session was ended to protect the account.');
export const refreshTokenStale = () =>
  new UnauthorizedError('refresh_token_stale', 'This refresh token was just rotated by another request; use the newer one.');
export const sessionEnded = () => new UnauthorizedError('session_revoked', 'This session has ended; sign in again.');
export const sessionNotFound = () => new AppError(404, 'session_not_found', 'No such session.');
export const currentPasswordIncorrect = () =>
  new ValidationError([{ path: 'body.currentPassword', message: 'The current password is incorrect.' }], 'The current password is incorrect.');
export const invalidResetToken = () =>
  new AppError(400, 'invalid_reset_token', 'This reset link is invalid, used or expired; request a new one.');
export const weakPassword = (field: string, message: string) =>
  new ValidationError([{ path: field, message }], message);
