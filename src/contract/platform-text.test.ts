import fc from 'fast-check';
import twitterText from 'twitter-text';
import { describe, expect, it } from 'vitest';
import type { Platform } from './constants.js';
import { measurePost, postLengthProblem } from './platform-text.js';

const FAMILY = '👨‍👩‍👧‍👦'; // four people joined by three ZWJs: 11 UTF-16 units, 25 UTF-8 bytes
const SHRUG = '🤷🏾‍♀️'; // skin tone, ZWJ, gender sign, variation selector: 7 units, 17 bytes
const DECOMPOSED_E = 'e\u0301'; // e + combining acute accent

// Each row: text, then its length on x, bluesky, threads, linkedin and instagram.
const LENGTHS: [string, string, number, number, number, number, number][] = [
  // X's counting-characters page and twitter-text's conformance suite (validate.yml "lengths", v3 weights).
  ['plain Latin', 'This is a test.', 15, 15, 15, 15, 15],
  ['a URL of any length', 'https://example.com/very/long/path', 23, 34, 34, 34, 34],
  ['a URL without scheme', 'test.com', 23, 8, 8, 8, 8],
  ['several URLs', 'Test https://test.com test https://test.com test.com test', 86, 57, 57, 57, 57],
  ['one emoji', '👾', 2, 1, 4, 2, 2],
  ['an emoji with a skin tone', '🙋🏽', 2, 1, 8, 4, 4],
  ['a ZWJ sequence', '👨‍🎤', 2, 1, 11, 5, 5],
  ['the family emoji', FAMILY, 2, 1, 25, 11, 11],
  ['a flag', '🇺🇸', 2, 1, 8, 4, 4],
  ['a keycap', '1️⃣', 2, 1, 7, 3, 3],
  ['a text symbol made emoji', '❤️', 2, 1, 6, 2, 2],
  ['CJK', '漢字かな', 8, 4, 4, 4, 4],
  ['Hangul', '저찀쯿쿿', 8, 4, 4, 4, 4],
  ['a precomposed accent', 'café', 4, 4, 4, 4, 4],
  // X normalises to NFC first ("café" counts 4 either way); graphemes join the mark, UTF-16 does not.
  ['a combining accent', `caf${DECOMPOSED_E}`, 4, 4, 5, 5, 5],
  ['a newline', 'one\ntwo', 7, 7, 7, 7, 7],
  ['CRLF', 'one\r\ntwo', 8, 7, 8, 8, 8],
  ['outside the BMP', '\u{10000}\u{10ffff}', 4, 2, 4, 4, 4],
];

const PLATFORM_ORDER: Platform[] = ['x', 'bluesky', 'threads', 'linkedin', 'instagram'];

describe('measurePost', () => {
  it.each(LENGTHS)('counts %s as each platform does', (_name, text, ...expected) => {
    expect(PLATFORM_ORDER.map((platform) => measurePost(platform, text).length)).toEqual(expected);
  });

  it.each([
    ['x', 'a'.repeat(280), 280, false],
    ['x', 'a'.repeat(281), 281, true],
    ['x', 'の'.repeat(140), 280, false],
    ['x', '🐱'.repeat(141), 282, true],
    ['x', `${'a'.repeat(257)} https://example.com/${'p'.repeat(200)}`, 281, true],
    ['bluesky', '🙂'.repeat(300), 300, false],
    ['bluesky', FAMILY.repeat(300), 300, true],
    ['bluesky', 'a'.repeat(301), 301, true],
    ['threads', 'a'.repeat(500), 500, false],
    ['threads', `${'a'.repeat(497)}👾`, 501, true],
    ['linkedin', 'a'.repeat(3000), 3000, false],
    ['linkedin', `${'a'.repeat(2999)}👾`, 3001, true],
    ['instagram', 'a'.repeat(2200), 2200, false],
    ['instagram', 'a'.repeat(2201), 2201, true],
  ] as const)('holds %s to its limit (%#)', (platform, text, length, over) => {
    expect(measurePost(platform, text)).toMatchObject({ length, over });
  });

  it('answers each platform limit', () => {
    expect(PLATFORM_ORDER.map((platform) => measurePost(platform, '').limit)).toEqual([280, 300, 500, 3000, 2200]);
  });

  it('holds Bluesky to its 3,000 bytes too, however few graphemes that is', () => {
    expect(measurePost('bluesky', SHRUG.repeat(176))).toEqual({ length: 176, limit: 300, over: false }); // 2,992 bytes
    expect(measurePost('bluesky', SHRUG.repeat(177))).toEqual({ length: 177, limit: 300, over: true }); // 3,009 bytes
  });
});

describe('measurePost on X, for long texts', () => {
  // Realistic pieces of a post, URLs and emoji sequences included, joined by assorted whitespace.
  const words = fc.constantFrom('Read', 'https://example.com/a/path?q=1', 'example.org', '👨‍👩‍👧‍👦', '🙋🏽', '漢字かな', 'café', `caf${DECOMPOSED_E}`, '@someone', '#tag', '—', 'a.b');
  const text = fc
    .array(fc.tuple(words, fc.constantFrom(' ', '\n', '\n\n', '\t', ' \u3000')), { minLength: 150, maxLength: 600 })
    .map((parts) => parts.map(([word, space]) => word + space).join(''));

  it('counts a text longer than a piece exactly as twitter-text counts it whole', () => {
    fc.assert(
      fc.property(text, (post) => {
        expect(measurePost('x', post).length).toBe(twitterText.parseTweet(post).weightedLength);
      }),
      { numRuns: 40 },
    );
  });

  it('measures a long run without whitespace, whose URL matching would take seconds whole', () => {
    expect(measurePost('x', 'a.'.repeat(10_000))).toEqual({ length: 20_000, limit: 280, over: true });
    expect(measurePost('x', `${'漢'.repeat(1500)}${FAMILY.repeat(300)}`).length).toBe(3000 + 600);
  });
});

describe('postLengthProblem', () => {
  it('is null for a post that fits', () => {
    expect(postLengthProblem('x', 'a'.repeat(280))).toBeNull();
  });

  it("says the platform's own count and what to do", () => {
    expect(postLengthProblem('x', 'a'.repeat(290))).toBe('This post is 290 of 280 characters on X: trim 10 or split it into two posts.');
    expect(postLengthProblem('linkedin', 'a'.repeat(3001))).toBe('This post is 3,001 of 3,000 characters on LinkedIn: trim 1 or split it into two posts.');
  });

  it("names Bluesky's byte limit when that is the one passed", () => {
    expect(postLengthProblem('bluesky', SHRUG.repeat(177))).toMatch(/177 of 300 characters on Bluesky, but .* 3,000 bytes/);
  });
});
