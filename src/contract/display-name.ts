import { DISPLAY_NAME_MAX_LENGTH } from './constants.js';
import { isBlank } from './text.js';

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
// Control characters and line/paragraph separators would break one-line rendering everywhere.
const FORBIDDEN = /[\p{Cc}\u2028\u2029]/u;
// Embedding, override and isolate controls reorder the text around a name ("Trojan Source" spoofing).
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/u;

// Default names are `@u_` + 6 hex digits: a chosen name must not pass for someone else's default.
const DEFAULT_NAME_PREFIX = /^@u_/i;

// Printable ASCII without CR: every character is its own grapheme cluster, no segmenter needed.
const SIMPLE = /^[\x20-\x7e\t\n]*$/;

/** Counts user-perceived characters (grapheme clusters), not UTF-16 units. */
export function graphemeLength(text: string): number {
  if (SIMPLE.test(text)) return text.length;
  let count = 0;
  for (const _ of segmenter.segment(text)) count++;
  return count;
}

/** Trims a display name and checks it; answers the cleaned name or why it is refused. */
export function checkDisplayName(raw: string): { ok: true; value: string } | { ok: false; message: string } {
  const value = raw.trim();
  if (FORBIDDEN.test(value)) return { ok: false, message: 'Display names cannot contain control characters.' };
  if (isBlank(value)) return { ok: false, message: 'Display name cannot be empty.' };
  if (BIDI_CONTROLS.test(value)) return { ok: false, message: 'Display names cannot contain text direction controls.' };
  if (DEFAULT_NAME_PREFIX.test(value)) return { ok: false, message: 'Names starting with "@u_" are kept for default names.' };
  const length = graphemeLength(value);
  if (length > DISPLAY_NAME_MAX_LENGTH) {
    return { ok: false, message: `Use at most ${DISPLAY_NAME_MAX_LENGTH} characters.` };
  }
  return { ok: true, value };
}
