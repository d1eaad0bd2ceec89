/**
 * How a model answers a Turn: up to three rewrites, each on its own, separated by a line holding only
 * `---`. Plain text rather than JSON, so any OpenAI-compatible model (and the offline provider) can follow it.
 */
export const TURN_SEPARATOR = '---';

/** The answer text for these rewrites, as a model is asked to write it. */
export function formatTurnAnswer(rewrites: readonly string[]): string {
  return rewrites.join(`\n${TURN_SEPARATOR}\n`);
}

/** A line read as the separator: three dashes or more, alone on it. */
const SEPARATOR_LINE = /^[ \t]*-{3,}[ \t]*$/gm;

/** The rewrites in an answer: trimmed, blank ones dropped, a leading "1." or "Option 2:" taken off. */
export function parseTurnAnswer(text: string): string[] {
  return text
    .split(SEPARATOR_LINE)
    .map((part) => part.trim().replace(/^(?:\d+[.)]|option\s+\d+\s*:)\s*/i, '').trim())
    .filter((part) => part.length > 0);
}

/** Text with each line that would read as the separator made a dash, so it stays within one rewrite. */
export function withoutSeparators(text: string): string {
  return text.replace(SEPARATOR_LINE, '—');
}
