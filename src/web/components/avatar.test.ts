import { describe, expect, it } from 'vitest';
import { hueOf, initials } from './avatar.js';

describe('initials', () => {
  it.each([
    ['Frodo', 'F'],
    ['Frodo Baggins', 'FB'],
    ['Samwise the Brave Gamgee', 'SG'],
    ['@bilbo', 'B'],
    ['élodie durand', 'ÉD'],
    ['  ', '?'],
    ['👩‍👩‍👧 family', '👩‍👩‍👧F'],
  ])('takes the first letters of the first and last words of %j', (name, expected) => {
    expect(initials(name)).toBe(expected);
  });
});

describe('hueOf', () => {
  it('gives a user the same hue every time, within the colour wheel', () => {
    const id = '0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b';
    expect(hueOf(id)).toBe(hueOf(id));
    expect(hueOf(id)).toBeGreaterThanOrEqual(0);
    expect(hueOf(id)).toBeLessThan(360);
  });

  it('spreads ids that differ only in their random tail', () => {
    const hues = new Set(['a', 'b', 'c', 'd', 'e', 'f'].map((tail) => hueOf(`0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5${tail}`)));
    expect(hues.size).toBe(6);
  });
});
