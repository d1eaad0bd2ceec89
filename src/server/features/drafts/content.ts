import { DRAFT_TITLE_MAX_LENGTH, PLATFORM_LIMITS, PLATFORMS, type Platform } from '../../../contract/constants.js';
import { graphemeLength } from '../../../contract/display-name.js';
import { isBlank } from '../../../contract/text.js';

const CONTROL = /[\p{Cc}\u2028\u2029]/u;
// Segment text keeps line breaks and tabs: threads use them. Other control characters are refused.
const SEGMENT_CONTROL = /[^\P{Cc}\t\n\r]|[\u2028\u2029]/u;

/** A segment's text checked against the platform's post limit in grapheme clusters; null when it is fine. */
export function segmentProblem(content: string, platform: Platform): string | null {
  return segmentProblems(content)[platform];
}

/** `segmentProblem` for every platform at once, counting the text only once. */
export function segmentProblems(content: string): Record<Platform, string | null> {
  const general = isBlank(content) ? 'A segment needs some text.' : SEGMENT_CONTROL.test(content) ? 'Remove control characters from the text.' : null;
  const length = general ? 0 : graphemeLength(content);
  const problems = {} as Record<Platform, string | null>;
  for (const platform of PLATFORMS) {
    const limit = PLATFORM_LIMITS[platform];
    problems[platform] = general ?? (length > limit ? `This is ${length} characters; ${platform} allows ${limit} per post.` : null);
  }
  return problems;
}

/** A title trimmed and checked (1–200 characters, one line). */
export function checkTitle(raw: string): { ok: true; value: string } | { ok: false; message: string } {
  const value = raw.trim();
  if (isBlank(value)) return { ok: false, message: 'Give the draft a title.' };
  if (CONTROL.test(value)) return { ok: false, message: 'Titles cannot contain control characters or line breaks.' };
  if (graphemeLength(value) > DRAFT_TITLE_MAX_LENGTH) return { ok: false, message: `Use at most ${DRAFT_TITLE_MAX_LENGTH} characters.` };
  return { ok: true, value };
}
