import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unstorableText, unsupportedCharset } from './text-input.js';

describe('unstorableText', () => {
  it('names every string and key holding NUL or an unpaired surrogate, by its path', () => {
    const errors = unstorableText({ a: 'ok', device: { name: 'x\u0000' }, list: ['fine', 'y\ud800'], ['k\udc00']: 1 }, 'body');
    expect(errors.map((e) => e.path).sort()).toEqual(['body', 'body.device.name', 'body.list.1']);
  });

  it('keeps well-formed text, astral characters included', () => {
    expect(unstorableText({ text: 'emoji 🙂 and 𝄞, \u200b, tabs\t' }, 'body')).toEqual([]);
    expect(unstorableText(undefined, 'body')).toEqual([]);
  });

  it('walks a body nested far deeper than the call stack', () => {
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(unstorableText(deep, 'body')).toHaveLength(1);
  });

  it('finds a bad string or key wherever it is, and only then', () => {
    // Halves of a pair on their own units, so that generated strings hold both lone and paired surrogates.
    const unit = fc.constantFrom('a', 'é', '\u0000', '\ud83d', '\ude42', '\ud800', '\udc00');
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: unit }), (value) => {
        // JSON.stringify writes well-formed pairs as they are and escapes only NUL and lone surrogates.
        const bad = /\\u0000|\\ud[89a-f]/.test(JSON.stringify(value));
        expect(unstorableText(value, 'body').length > 0).toBe(bad);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('unsupportedCharset', () => {
  it('accepts no charset and UTF-8 in any spelling, refuses any other', () => {
    for (const ok of [undefined, 'application/json', 'application/json; charset=utf-8', 'application/json;charset="UTF-8"', 'application/json; charset=utf8']) {
      expect(unsupportedCharset(ok), ok).toBeNull();
    }
    for (const bad of ['application/json; charset=latin1', 'application/json; charset=utf-16', 'application/json; charset=']) {
      expect(unsupportedCharset(bad), bad).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    }
  });
});
