import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanAnswer, maxAnswerChars, StreamedAnswerText } from './answer-text.js';

const storable = (text: string) => !/[\0\p{Cs}]/u.test(text) && text.isWellFormed();

/** Any string, surrogate halves and control characters included, as a provider might send. */
const anything = fc.string({ unit: fc.oneof(fc.constantFrom('\0', '\u001b', '\ud800', '\udc00', '\ud83d', '\ude00', '\n', 'é'), fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code))), maxLength: 60 });

/** `text` cut into pieces at the given places (any place, inside a surrogate pair too). */
function piecesOf(text: string, cuts: number[]): string[] {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const to of at) {
    pieces.push(text.slice(from, to));
    from = to;
  }
  pieces.push(text.slice(from));
  return pieces;
}

describe('a model answer as the product keeps it', () => {
  it('drops NUL and control characters but tab and line breaks, and mends lone surrogate halves', () => {
    expect(cleanAnswer('a\u0000b\u0007c\td\ne\r\n', 100)).toEqual({ text: 'abc\td\ne\r\n', cut: false });
    expect(cleanAnswer('x\ud800y\udc00z \ud83d\ude00', 100).text).toBe('x\ufffdy\ufffdz \ud83d\ude00');
  });

  it('cuts at the cap, never inside a surrogate pair', () => {
    const cap = maxAnswerChars(1);
    expect(cleanAnswer('a'.repeat(cap + 5), 1)).toEqual({ text: 'a'.repeat(cap), cut: true });
    expect(cleanAnswer(`${'a'.repeat(cap - 1)}\ud83d\ude00`, 1)).toEqual({ text: 'a'.repeat(cap - 1), cut: true });
  });

  it('streamed in any pieces, gives what the whole answer gives, and only storable pieces', () => {
    fc.assert(
      fc.property(anything, fc.array(fc.nat(), { maxLength: 6 }), fc.integer({ min: 1, max: 10 }), (text, cuts, maxTokens) => {
        const stream = new StreamedAnswerText(maxTokens);
        const passed = piecesOf(text, cuts).map((p) => stream.push(p));
        passed.push(stream.end());
        for (const piece of passed) expect(storable(piece)).toBe(true);
        const whole = cleanAnswer(text, maxTokens);
        expect(passed.join('')).toBe(whole.text);
        expect(stream.full).toBe(whole.cut);
      }),
      { numRuns: 1000 },
    );
  });
});
