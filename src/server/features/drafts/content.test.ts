import { describe, expect, it } from 'vitest';
import { checkTitle, openingWords, segmentProblem } from './content.js';

describe('segmentProblem', () => {
  it('counts as each platform does: X weighs URLs 23 and emoji 2', () => {
    const url = `https://example.com/${'long-path/'.repeat(10)}`;
    expect(segmentProblem(`${'a'.repeat(250)} ${url}`, 'x')).toBeNull();
    expect(segmentProblem('🐱'.repeat(141), 'x')).toBe('This post is 282 of 280 characters on X: trim 2 or split it into two posts.');
    expect(segmentProblem('🐱'.repeat(141), 'bluesky')).toBeNull();
  });

  it('holds each platform to its own limit', () => {
    expect(segmentProblem('é'.normalize('NFD').repeat(280), 'x')).toBeNull();
    expect(segmentProblem('a'.repeat(281), 'x')).toMatch(/281/);
    expect(segmentProblem('a'.repeat(500), 'threads')).toBeNull();
    expect(segmentProblem('a'.repeat(301), 'bluesky')).not.toBeNull();
  });

  it('keeps line breaks and tabs but refuses other control characters and blank text', () => {
    expect(segmentProblem('line one\nline two\ttabbed\r\n', 'x')).toBeNull();
    expect(segmentProblem('bell\u0007', 'x')).not.toBeNull();
    expect(segmentProblem('sep\u2028', 'x')).not.toBeNull();
    expect(segmentProblem(' \n\t ', 'x')).not.toBeNull();
  });

  it('counts text made only of invisible characters as blank', () => {
    for (const blank of ['\u200b', '\u200b\n\u200d', '\ufeff\u2060', '\u200e \u200f']) expect(segmentProblem(blank, 'x'), JSON.stringify(blank)).toBe('A segment needs some text.');
  });

  it('never throws on arbitrary text', () => {
    let seed = 3;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 1000; i++) {
      const text = Array.from({ length: Math.floor(random() * 400) }, () => String.fromCodePoint(Math.floor(random() * 0x1ffff))).join('');
      const problem = segmentProblem(text, 'x');
      expect(problem === null || typeof problem === 'string').toBe(true);
    }
  });
});

describe('checkTitle', () => {
  it('trims and bounds titles to one line of 1–200 characters', () => {
    expect(checkTitle('  Hello  ')).toEqual({ ok: true, value: 'Hello' });
    expect(checkTitle('').ok).toBe(false);
    expect(checkTitle('two\nlines').ok).toBe(false);
    expect(checkTitle('x'.repeat(201)).ok).toBe(false);
  });

  it('counts a title made only of invisible characters as missing', () => {
    for (const blank of ['\u200b', ' \u200c\u200d ', '\ufeff', '\u2060\u200e']) {
      expect(checkTitle(blank), JSON.stringify(blank)).toEqual({ ok: false, message: 'Give the draft a title.' });
    }
  });
});

describe('openingWords', () => {
  it('keeps a short opening whole, on one line', () => {
    expect(openingWords('It begins.\n\nThen  it goes on.', false)).toBe('It begins. Then it goes on.');
    expect(openingWords('a'.repeat(140), false)).toBe('a'.repeat(140));
    expect(openingWords('', false)).toBe('');
  });

  it('cuts a long one after the last whole word that fits, within 140 characters with the ellipsis', () => {
    const cut = openingWords('word '.repeat(40), false);
    expect(cut).toBe(`${'word '.repeat(27)}word…`);
    expect(cut.length).toBeLessThanOrEqual(140);
  });

  it('cuts between grapheme clusters when a single word is longer than the limit', () => {
    const family = '👨‍👩‍👧‍👦';
    const cut = openingWords(family.repeat(200), false);
    expect(cut).toBe(`${family.repeat(139)}…`);
  });

  it('cuts between words of scripts written without spaces', () => {
    const cut = openingWords('吾輩は猫である。名前はまだ無い。'.repeat(20), false);
    expect(cut.endsWith('…')).toBe(true);
    expect(graphemes(cut)).toBeLessThanOrEqual(140);
  });

  it('marks an opening the database cut short even when what it sent fits', () => {
    expect(openingWords('short prefix of a longer text', true)).toBe('short prefix of a longer…');
  });
});

function graphemes(text: string): number {
  return [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)].length;
}
