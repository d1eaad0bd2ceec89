import twitterText from 'twitter-text';
import { PLATFORM_LIMITS, type Platform } from './constants.js';

/** How a post measures against its platform's limit, in the platform's own unit. */
export interface PostMeasure {
  length: number;
  limit: number;
  over: boolean;
}

/** Platform names as their users write them. */
export const PLATFORM_NAMES: Record<Platform, string> = {
  x: 'X',
  threads: 'Threads',
  bluesky: 'Bluesky',
  linkedin: 'LinkedIn',
  instagram: 'Instagram',
};

// Bluesky's post record also caps the text at 3,000 UTF-8 bytes (lexicon app.bsky.feed.post: maxLength 3000
// beside maxGraphemes 300): a few hundred skin-toned or ZWJ emoji reach it before 300 graphemes.
const BLUESKY_MAX_BYTES = 3000;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const utf8 = new TextEncoder();
// A grapheme cluster shown as an emoji: an emoji-presentation code point (flags' regional indicators included),
// or a character turned into one by the emoji variation selector or the keycap mark.
const EMOJI = /\p{Emoji_Presentation}|\uFE0F|\u20E3/u;

/**
 * Measures a post as its platform counts it (docs/api.md lists the sources):
 * - X: twitter-text's weighted length (URLs 23, emoji and CJK 2, after NFC).
 * - Bluesky: grapheme clusters; also over when the text passes 3,000 UTF-8 bytes.
 * - Threads: UTF-16 code units, except that each emoji counts its UTF-8 bytes.
 * - LinkedIn, Instagram: UTF-16 code units.
 */
export function measurePost(platform: Platform, text: string): PostMeasure {
  const limit = PLATFORM_LIMITS[platform];
  switch (platform) {
    case 'x':
      return measured(xLength(text), limit);
    case 'bluesky': {
      const result = measured(graphemeCount(text), limit);
      return result.over ? result : { ...result, over: byteLength(text) > BLUESKY_MAX_BYTES };
    }
    case 'threads':
      return measured(threadsLength(text), limit);
    case 'linkedin':
    case 'instagram':
      return measured(text.length, limit);
  }
}

/** Why a post is too long for its platform, in words its writer can act on; null when it fits. */
export function postLengthProblem(platform: Platform, text: string): string | null {
  const { length, limit, over } = measurePost(platform, text);
  if (!over) return null;
  const name = PLATFORM_NAMES[platform];
  if (length <= limit) {
    return `This post fits ${count(length)} of ${count(limit)} characters on ${name}, but its emoji and accents pass the ${count(BLUESKY_MAX_BYTES)} bytes ${name} stores: swap a few emoji for words.`;
  }
  return `This post is ${count(length)} of ${count(limit)} characters on ${name}: trim ${count(length - limit)} or split it into two posts.`;
}

function measured(length: number, limit: number): PostMeasure {
  return { length, limit, over: length > limit };
}

// twitter-text's URL matching takes time quadratic in the length of a run of text without whitespace: 20,000
// characters of "a.a.a…" take seconds. URLs and emoji never span whitespace (nor does NFC compose across it), so
// a long text is measured in pieces cut after whitespace, and their lengths add up: the cost stays linear. A run
// longer than RUN_MAX is cut between grapheme clusters, so only a URL longer than that counts as its characters
// instead of 23 (X would still shorten it; such links are rare and a post holding one is long anyway).
const RUN_MAX = 300;

function xLength(text: string): number {
  if (text.length <= RUN_MAX) return twitterText.parseTweet(text).weightedLength;
  let total = 0;
  for (const piece of xPieces(text)) total += twitterText.parseTweet(piece).weightedLength;
  return total;
}

function* xPieces(text: string): Generator<string> {
  let piece = '';
  for (const run of text.split(/(?<=\s)(?=\S)/u)) {
    if (piece.length + run.length > RUN_MAX && piece.length > 0) {
      yield piece;
      piece = '';
    }
    if (run.length <= RUN_MAX) piece += run;
    else yield* cutBetweenGraphemes(run);
  }
  if (piece.length > 0) yield piece;
}

function* cutBetweenGraphemes(run: string): Generator<string> {
  let piece = '';
  for (const { segment } of graphemes.segment(run)) {
    if (piece.length + segment.length > RUN_MAX && piece.length > 0) {
      yield piece;
      piece = '';
    }
    piece += segment;
  }
  if (piece.length > 0) yield piece;
}

function graphemeCount(text: string): number {
  let total = 0;
  for (const _ of graphemes.segment(text)) total++;
  return total;
}

function byteLength(text: string): number {
  return utf8.encode(text).length;
}

function threadsLength(text: string): number {
  let total = 0;
  for (const { segment } of graphemes.segment(text)) total += EMOJI.test(segment) ? byteLength(segment) : segment.length;
  return total;
}

const numbers = new Intl.NumberFormat('en-US');

function count(value: number): string {
  return numbers.format(value);
}
