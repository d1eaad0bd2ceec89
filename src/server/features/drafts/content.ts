import { DRAFT_TITLE_MAX_LENGTH, PLATFORMS, type Platform } from '../../../contract/constants.js';
import { graphemeLength } from '../../../contract/display-name.js';
import { postLengthProblem } from '../../../contract/platform-text.js';
import { isBlank } from '../../../contract/text.js';

const CONTROL = /[\p{Cc}\u2028\u2029]/u;
// Segment text keeps line breaks and tabs: threads use them. Other control characters are refused.
const SEGMENT_CONTROL = /[^\P{Cc}\t\n\r]|[\u2028\u2029]/u;

/** A segment's text checked against the platform's post limit, counted as the platform counts; null when it is fine. */
export function segmentProblem(content: string, platform: Platform): string | null {
  return textProblem(content) ?? postLengthProblem(platform, content);
}

/** `segmentProblem` for every platform at once. */
export function segmentProblems(content: string): Record<Platform, string | null> {
  const general = textProblem(content);
  const problems = {} as Record<Platform, string | null>;
  for (const platform of PLATFORMS) problems[platform] = general ?? postLengthProblem(platform, content);
  return problems;
}

function textProblem(content: string): string | null {
  if (isBlank(content)) return 'A segment needs some text.';
  if (SEGMENT_CONTROL.test(content)) return 'Remove control characters from the text.';
  return null;
}

/** A title trimmed and checked (1–200 characters, one line). */
export function checkTitle(raw: string): { ok: true; value: string } | { ok: false; message: string } {
  const value = raw.trim();
  if (isBlank(value)) return { ok: false, message: 'Give the draft a title.' };
  if (CONTROL.test(value)) return { ok: false, message: 'Titles cannot contain control characters or line breaks.' };
  if (graphemeLength(value) > DRAFT_TITLE_MAX_LENGTH) return { ok: false, message: `Use at most ${DRAFT_TITLE_MAX_LENGTH} characters.` };
  return { ok: true, value };
}

/** How much of a draft's first segment its summary shows, in grapheme clusters, ellipsis included. */
export const OPENING_WORDS_MAX = 140;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const words = new Intl.Segmenter('en', { granularity: 'word' });

/**
 * The opening of a segment for a list: on one line, and when longer than `OPENING_WORDS_MAX` (or `cutShort`,
 * when the text given is only a prefix) cut after the last whole word that fits — between grapheme clusters
 * when one word alone is too long — and ended with "…".
 */
export function openingWords(text: string, cutShort: boolean): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const clusters = [...graphemes.segment(line)];
  if (clusters.length <= OPENING_WORDS_MAX && !cutShort) return line;
  const budget = clusters.length < OPENING_WORDS_MAX ? clusters.length : OPENING_WORDS_MAX - 1;
  const limit = clusters[budget]?.index ?? line.length;
  let end = 0;
  for (const word of words.segment(line)) {
    const wordEnd = word.index + word.segment.length;
    if (wordEnd > limit) break;
    // The last word of a prefix may continue in the part the database did not send.
    if (word.isWordLike && !(cutShort && wordEnd === line.length)) end = wordEnd;
  }
  return `${line.slice(0, end > 0 ? end : limit).trimEnd()}…`;
}
