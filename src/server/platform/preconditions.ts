import { z } from 'zod';
import { MAX_SERVER_SEQ } from '../../contract/events.js';
import { AppError, ValidationError } from './errors.js';

/** What `If-Match` names: the versions a change may be based on, or `*` for whatever is current. */
export type IfMatch = '*' | readonly number[];

// `"3"` as RFC 9110 writes an entity tag (a list of them matches any one), or a bare `3` as hand-written
// clients send it. A weak tag (`W/"3"`) is well-formed but never matches: If-Match compares strongly.
const VERSION_TAG = /^(?:(W\/)?"(\d{1,10})"|(\d{1,10}))$/;

/** Documents `If-Match` in a route's schema; loose, so Fastify keeps every other header. */
export function ifMatchHeaders(names: string) {
  return z.looseObject({
    'if-match': z.string().optional().describe(`"<${names}>" (or the bare number, or *): the version this change is based on. Required.`),
  });
}

/** Reads `If-Match`: missing is `428 precondition_required`; anything but `*` or a list of `"N"`, `W/"N"`, `N` is `400`. */
export function requireIfMatch(header: string | string[] | undefined): IfMatch {
  if (header === undefined) {
    throw new AppError(428, 'precondition_required', 'Send If-Match with the version you are changing, so that no one’s newer work is overwritten.');
  }
  const value = Array.isArray(header) ? header.join(', ') : header;
  if (value.trim() === '*') return '*';
  const versions: number[] = [];
  for (const item of value.split(',')) {
    const tag = VERSION_TAG.exec(item.trim());
    const version = tag ? Number(tag[2] ?? tag[3]) : NaN;
    // Versions (revisions, server sequence numbers) are PostgreSQL integers.
    if (!(version <= MAX_SERVER_SEQ)) {
      throw new ValidationError([{ path: 'headers.if-match', message: 'Expected "<version>" (a whole number in quotes), the number alone, or *.' }]);
    }
    if (!tag![1]) versions.push(version);
  }
  return versions;
}

/**
 * Refuses a change based on a version that is no longer current with `412 precondition_failed`; the
 * problem's `current` says what is, so the client can show the conflict without another request.
 */
export function assertCurrent(ifMatch: IfMatch, version: number, current: () => unknown): void {
  if (ifMatch === '*' || ifMatch.includes(version)) return;
  const named = ifMatch.length > 0 ? `, not ${ifMatch.join(' or ')}` : '';
  throw new AppError(412, 'precondition_failed', `This changed since you read it: it is at version ${version} now${named}.`, {
    fields: { current: current() },
  });
}

/**
 * Whether `If-None-Match` names this entity tag (RFC 9110 §13.1.2): `*`, or a list holding it, compared weakly
 * (`W/"x"` matches `"x"`). A GET it matches is answered 304.
 */
export function ifNoneMatchMatches(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(', ') : header;
  if (value.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return value.split(',').some((tag) => opaque(tag) === opaque(etag));
}
