import { BadRequestError } from './errors.js';

/** A keyset position: the sort time and the id that breaks ties. */
export type KeysetCursor = { at: Date; id: string };

// Exactly what encodeCursor writes for a real row: a year from 0001 to 9999 is inside PostgreSQL's range
// in a notation it parses (it has no year 0), and a canonical lower-case UUID is what the id columns accept.
const CURSOR = /^((?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** Opaque list cursors: `<iso time>|<uuid>` in base64url. */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

/** Reads a cursor back; anything we did not hand out is a 400 `invalid_cursor`. */
export function decodeCursor(cursor: string): KeysetCursor {
  const match = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const at = new Date(match?.[1] ?? '');
  const id = match?.[2] ?? '';
  // Re-encoding refuses what Node's lenient base64 reader or Date would otherwise accept (padding,
  // stray characters, February 31st rolled over into March).
  if (Number.isNaN(at.getTime()) || encodeCursor(at, id) !== cursor) {
    throw new BadRequestError('invalid_cursor', 'The cursor is not valid; start from the first page.');
  }
  return { at, id };
}

const NUMBER_CURSOR = /^#([1-9]\d{0,9})$/;

/** Cursors of lists ordered by a whole number (a segment's revisions): `#<n>` in base64url. */
export function encodeNumberCursor(n: number): string {
  return Buffer.from(`#${n}`).toString('base64url');
}

/** Reads a number cursor back; anything we did not hand out is a 400 `invalid_cursor`. */
export function decodeNumberCursor(cursor: string): number {
  const n = Number(NUMBER_CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'))?.[1] ?? NaN);
  if (!Number.isSafeInteger(n) || n > 2_147_483_647 || encodeNumberCursor(n) !== cursor) {
    throw new BadRequestError('invalid_cursor', 'The cursor is not valid; start from the first page.');
  }
  return n;
}

/**
 * Cuts a page from `limit + 1` rows fetched after a cursor: the extra row only tells that more follow.
 * `keyOf` gives a row's place for the next cursor: its sort time and id, or its number.
 */
export function pageOf<R, T>(
  rows: R[],
  limit: number,
  keyOf: (row: R) => KeysetCursor | number,
  present: (row: R) => T,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  if (rows.length <= limit || last === undefined) return { items: items.map(present), nextCursor: null };
  const key = keyOf(last);
  return { items: items.map(present), nextCursor: typeof key === 'number' ? encodeNumberCursor(key) : encodeCursor(key.at, key.id) };
}
