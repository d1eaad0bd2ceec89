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
