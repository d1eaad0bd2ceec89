import { describe, expect, it } from 'vitest';
import { checkDisplayName, graphemeLength } from './display-name.js';

describe('checkDisplayName', () => {
  it('trims and accepts 1–50 user-perceived characters', () => {
    expect(checkDisplayName('  Éowyn  ')).toEqual({ ok: true, value: 'Éowyn' });
    expect(checkDisplayName('🏳️‍🌈'.repeat(50)).ok).toBe(true);
    expect(checkDisplayName('a'.repeat(51)).ok).toBe(false);
    expect(checkDisplayName(' \t ').ok).toBe(false);
  });

  it('refuses control characters and line separators', () => {
    for (const bad of ['a\u0000b', 'a\nb', 'a\u001bb', 'a\u2028b', 'a\u007fb']) expect(checkDisplayName(bad).ok).toBe(false);
  });

  it('refuses a name made only of invisible characters as empty', () => {
    for (const blank of ['\u200b', '\u200b\u200c\u200d', ' \u2060\ufeff ', '\u200e\u200f', '\u061c', '\u3164']) {
      expect(checkDisplayName(blank)).toEqual({ ok: false, message: 'Display name cannot be empty.' });
    }
  });

  it('refuses bidi override and isolate controls but keeps bidi marks', () => {
    for (const control of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069']) {
      const checked = checkDisplayName(`Frodo${control}gnisseb`);
      expect(checked.ok, JSON.stringify(control)).toBe(false);
      if (!checked.ok) expect(checked.message).toMatch(/direction/);
    }
    expect(checkDisplayName('\u05e4\u05e8\u05d5\u05d3\u05d5\u200f').ok).toBe(true);
  });

  it('refuses names that pass for a default name, in any case', () => {
    for (const impostor of ['@u_543745', '@U_abcdef', '@u_ anyone']) expect(checkDisplayName(impostor).ok, impostor).toBe(false);
    expect(checkDisplayName('u_543745').ok).toBe(true);
  });

  it('never throws on arbitrary input', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++) {
      const length = Math.floor(random() * 80);
      const text = Array.from({ length }, () => String.fromCodePoint(Math.floor(random() * 0x2ffff))).join('');
      const result = checkDisplayName(text);
      if (result.ok) expect(graphemeLength(result.value)).toBeLessThanOrEqual(50);
    }
  });
});

describe('graphemeLength', () => {
  it('counts ASCII by characters and everything else by grapheme clusters', () => {
    expect(graphemeLength('plain text\twith tab\n')).toBe(20);
    expect(graphemeLength('a\r\nb')).toBe(3);
    expect(graphemeLength('e\u0301')).toBe(1);
    expect(graphemeLength('👩‍👩‍👧‍👦 ok')).toBe(4);
  });
});
