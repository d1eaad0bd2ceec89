import { describe, expect, it } from 'vitest';
import { renewsIn } from './coach-words.js';

describe('renewsIn', () => {
  it('says when the coach is back in the largest unit that reads naturally', () => {
    expect(renewsIn(1)).toBe('in a minute or so');
    expect(renewsIn(89)).toBe('in a minute or so');
    expect(renewsIn(90)).toBe('in about 2 minutes');
    expect(renewsIn(45 * 60)).toBe('in about 45 minutes');
    expect(renewsIn(89 * 60)).toBe('in about 89 minutes');
    expect(renewsIn(90 * 60)).toBe('in about 2 hours');
    expect(renewsIn(5 * 3600 + 600)).toBe('in about 5 hours');
    expect(renewsIn(24 * 3600)).toBe('in about 24 hours');
  });
});
