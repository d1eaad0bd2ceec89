import type { Segment } from './drafts.js';

/** The segments with positions 0, 1, 2… in the order given (unchanged objects where the position already is). */
export const renumber = (segments: readonly Segment[]): Segment[] => segments.map((s, position) => (s.position === position ? s : { ...s, position }));

/** Whether two orders of segment ids are the same. */
export const sameOrder = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((id, i) => id === b[i]);

/** A version (a segment's revision, a draft's `lastServerSeq`) as the entity tag `ETag` answers and `If-Match` sends. */
export const entityTag = (version: number): string => `"${version}"`;
