import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TURN_SUGGESTIONS } from '../../../contract/coach.js';
import { PLATFORMS } from '../../../contract/constants.js';
import { measurePost } from '../../../contract/platform-text.js';
import { fitSuggestions, fitToPlatform } from './turn-fit.js';

describe('fitting Turn rewrites to a platform', () => {
  it('keeps a rewrite that fits as it is', () => {
    expect(fitToPlatform('x', 'Small steps still move a thread forward.')).toBe('Small steps still move a thread forward.');
  });

  it('cuts an over-long rewrite at a word boundary and marks the cut with an ellipsis', () => {
    const long = Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ');
    const fitted = fitToPlatform('x', long);
    expect(fitted.endsWith('…')).toBe(true);
    expect(measurePost('x', fitted).over).toBe(false);
    expect(long.startsWith(fitted.slice(0, -1))).toBe(true);
    expect(long.charAt(fitted.length - 1)).toBe(' ');
    // The longest cut: one more word would not fit.
    const next = long.slice(0, long.indexOf(' ', fitted.length)) + '…';
    expect(measurePost('x', next).over).toBe(true);
  });

  it('cuts inside a word only when its first word alone is too long', () => {
    const fitted = fitToPlatform('bluesky', 'a'.repeat(400));
    expect(fitted).toBe(`${'a'.repeat(299)}…`);
  });

  it('drops blank rewrites and repeats, and keeps at most three', () => {
    const suggestions = fitSuggestions('x', ['One way.', '  ', 'One way.', 'Another way.', 'A third way.', 'A fourth way.']);
    expect(suggestions).toEqual([
      { text: 'One way.', length: 8 },
      { text: 'Another way.', length: 12 },
      { text: 'A third way.', length: 12 },
    ]);
  });

  it('answers only suggestions that fit, with their measured length, whatever the model wrote', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PLATFORMS), fc.array(fc.string({ unit: 'grapheme', maxLength: 4000 }), { maxLength: 6 }), (platform, rewrites) => {
        const suggestions = fitSuggestions(platform, rewrites);
        expect(suggestions.length).toBeLessThanOrEqual(MAX_TURN_SUGGESTIONS);
        expect(new Set(suggestions.map((s) => s.text)).size).toBe(suggestions.length);
        for (const { text, length } of suggestions) {
          expect(text.trim().length).toBeGreaterThan(0);
          const measure = measurePost(platform, text);
          expect(measure.over).toBe(false);
          expect(length).toBe(measure.length);
        }
      }),
      { numRuns: 150 },
    );
  });
});
