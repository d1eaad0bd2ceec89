import { MAX_TURN_SUGGESTIONS, type TurnSuggestion } from '../../../contract/coach.js';
import type { Platform } from '../../../contract/constants.js';
import { measurePost } from '../../../contract/platform-text.js';

const ELLIPSIS = '…';
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const words = new Intl.Segmenter('en', { granularity: 'word' });

const fits = (platform: Platform, text: string) => !measurePost(platform, text).over;

/** The longest of `cuts` (shortest first) that fits with the ellipsis after it, by bisection; null when none does. */
function longestFitting(platform: Platform, text: string, cuts: number[]): string | null {
  let lo = 0;
  let hi = cuts.length - 1;
  let best: string | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const candidate = `${text.slice(0, cuts[mid]).trimEnd()}${ELLIPSIS}`;
    if (candidate.length > ELLIPSIS.length && fits(platform, candidate)) {
      best = candidate;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/**
 * A rewrite that fits the platform: as it is when it does, else cut at the last word boundary that leaves
 * room for "…" (inside a word only when even its first word is too long, and never inside a grapheme).
 * A longer cut almost always measures longer (a link counts the same at any length), so bisecting over the
 * cut points finds the longest fitting one or one near it; whatever it answers is measured and fits.
 */
export function fitToPlatform(platform: Platform, text: string): string {
  if (fits(platform, text)) return text;
  const wordEnds = [...words.segment(text)].filter((s) => s.isWordLike).map((s) => s.index + s.segment.length);
  const byWord = longestFitting(platform, text, wordEnds);
  if (byWord !== null) return byWord;
  const graphemeEnds = [...graphemes.segment(text)].map((s) => s.index + s.segment.length);
  return longestFitting(platform, text, graphemeEnds) ?? '';
}

/**
 * The suggestions a Turn answers from a model's rewrites: each fitted to the platform, blank ones and
 * repeats dropped, at most MAX_TURN_SUGGESTIONS, each with its length as the platform counts it.
 */
export function fitSuggestions(platform: Platform, rewrites: readonly string[]): TurnSuggestion[] {
  const seen = new Set<string>();
  const suggestions: TurnSuggestion[] = [];
  for (const rewrite of rewrites) {
    const text = fitToPlatform(platform, rewrite.normalize('NFC').trim());
    if (text.length === 0 || seen.has(text)) continue;
    seen.add(text);
    suggestions.push({ text, length: measurePost(platform, text).length });
    if (suggestions.length === MAX_TURN_SUGGESTIONS) break;
  }
  return suggestions;
}
