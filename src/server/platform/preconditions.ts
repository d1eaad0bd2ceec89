import { z } from 'zod';
import { MAX_SERVER_SEQ } from '../../contract/events.js';
import { AppError, ValidationError } from './errors.js';

/** What `If-Match` names: one version number, or `*` for whatever is current. */
export type IfMatch = number | '*';

// `"3"` as RFC 9110 writes an entity tag, or a bare `3` as hand-written clients send it; weak tags
// (`W/"3"`) never match a strong comparison, so they are refused like any other form.
const VERSION_TAG = /^(?:(\d{1,10})|"(\d{1,10})")$/;

/** Documents `If-Match` in a route's schema; loose, so Fastify keeps every other header. */
export function ifMatchHeaders(names: string) {
  return z.looseObject({
    'if-match': z.string().optional().describe(`"<${names}>" (or the bare number, or *): the version this change is based on. Required.`),
  });
}

/** A version as the ETag that names it. */
export const etag = (version: number): string => `"${version}"`;

/** Reads `If-Match`: missing is `428 precondition_required`, anything but `"N"`, `N` or `*` is `400`. */
export function requireIfMatch(header: string | string[] | undefined): IfMatch {
  if (header === undefined) {
    throw new AppError(428, 'precondition_required', 'Send If-Match with the version you are changing, so that no one’s newer work is overwritten.');
  }
  const value = Array.isArray(header) ? header.join(', ') : header;
  if (value === '*') return '*';
  const tag = VERSION_TAG.exec(value);
  const version = tag ? Number(tag[1] ?? tag[2]) : NaN;
  // Versions (revisions, server sequence numbers) are PostgreSQL integers.
  if (!(version <= MAX_SERVER_SEQ)) {
    throw new ValidationError([{ path: 'headers.if-match', message: 'Expected "<version>" (a whole number in quotes), the number alone, or *.' }]);
  }
  return version;
}

/**
 * Refuses a change based on a version that is no longer current with `412 precondition_failed`; the
 * problem's `current` says what is, so the client can show the conflict without another request.
 */
export function assertCurrent(ifMatch: IfMatch, version: number, current: () => unknown): void {
  if (ifMatch === '*' || ifMatch === version) return;
  throw new AppError(412, 'precondition_failed', `This changed since you read it: it is at version ${version} now, not ${ifMatch}.`, {
    fields: { current: current() },
  });
}
