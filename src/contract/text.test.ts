import { describe, expect, it } from 'vitest';
import { isBlank } from './text.js';

describe('isBlank', () => {
  it('counts whitespace and invisible characters as nothing', () => {
    for (const blank of [
      '',
      ' \t\n\r ',
      '\u200b\u200c\u200d',
      '\u2060\ufeff',
      '\u200e\u200f\u061c',
      '\u202e\u2066\u2069',
      '\u00ad\u034f\u180e',
      '\u3164\u115f\u1160\uffa0',
      '\ufe0f',
      '\u2800',
      '\u3000\u00a0 \u200b',
    ]) {
      expect(isBlank(blank), JSON.stringify(blank)).toBe(true);
    }
  });

  it('counts any visible character as text', () => {
    for (const text of ['a', ' . ', '\u200bx\u200b', '🙂', 'é', '\u05d0', '0']) expect(isBlank(text), text).toBe(false);
  });
});
