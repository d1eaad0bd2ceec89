import { BadRequestError } from './errors.js';

/** A keyset position: the sort time and the id that breaks ties. */
export type KeysetCursor = { at: Date; id: string };

/** Opaque list cursors: `<iso time>|<uuid>` in base64url. */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

/** Reads a cursor back; anything we did not hand out is a 400 `invalid_cursor`. */
export function decodeCursor(cursor: string): KeysetCursor {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(date.getTime())) {
    throw new BadRequestError('invalid_cursor', 'The cursor is not valid; start from the first page.');
  }
  return { at: date, id };
}

/**
 * Cuts a page from `limit + 1` rows fetched after a cursor: the extra row only tells that more follow.
 * `keyOf` gives the sort time and id of a row for the next cursor.
 */
export function pageOf<R, T>(rows: R[], limit: number, keyOf: (row: R) => KeysetCursor, present: (row: R) => T): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const more = rows.length > limit && last !== undefined;
  return { items: items.map(present), nextCursor: more ? encodeCursor(keyOf(last).at, keyOf(last).id) : null };
}
