import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, decodeNumberCursor, encodeCursor, encodeNumberCursor } from './cursor.js';
import { AppError } from './errors.js';

const ID = '01a200cb-3f70-74d5-8e75-7a0ac9ba7b91';
// PostgreSQL's timestamptz range starts in 4713 BC, but it writes years BC with a suffix and has no
// year 0: the cursor keeps to years 1–9999. It ends in 294276 AD, past JavaScript's last date.
const EARLIEST = new Date('0001-01-01T00:00:00.000Z').getTime();
const JS_MAX = 8.64e15;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const raw = (text: string) => Buffer.from(text).toString('base64url');
const INVALID_CURSOR = expect.objectContaining({ status: 400, code: 'invalid_cursor' });

/** Whatever the decoder does with a string: its result, or the error it threw. */
function attempt(cursor: string): { value: ReturnType<typeof decodeCursor> } | { error: unknown } {
  try {
    return { value: decodeCursor(cursor) };
  } catch (error) {
    return { error };
  }
}

describe('keyset cursors', () => {
  it('round-trips', () => {
    const at = new Date('2026-01-01T00:00:00.000Z');
    expect(decodeCursor(encodeCursor(at, ID))).toEqual({ at, id: ID });
  });

  it.each([
    ['a year past PostgreSQL’s range', raw(`+300000-01-01T00:00:00.000Z|${ID}`)],
    ['a six-digit year JavaScript reads', raw(`+275000-01-01T00:00:00.000Z|${ID}`)],
    ['a year before PostgreSQL’s range', raw(`-005000-01-01T00:00:00.000Z|${ID}`)],
    ['year zero, which PostgreSQL does not have', raw(`0000-12-31T23:59:59.999Z|${ID}`)],
    ['a date JavaScript itself rolls over', raw(`2026-02-31T00:00:00.000Z|${ID}`)],
    ['a date in another format', raw(`Sun, 01 Mar 2026 09:00:00 GMT|${ID}`)],
    ['a non-UUID id of the right length', raw(`2026-01-01T00:00:00.000Z|${'-'.repeat(36)}`)],
    ['an id in upper case', raw(`2026-01-01T00:00:00.000Z|${ID.toUpperCase()}`)],
    ['a third field', raw(`2026-01-01T00:00:00.000Z|${ID}|x`)],
    ['a valid cursor with padding', `${encodeCursor(new Date('2026-01-01T00:00:00.000Z'), ID)}==`],
    ['garbage', 'bogus'],
    ['nothing decodable', '!!!'],
  ])('refuses %s with 400 invalid_cursor', (_name, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(AppError);
    expect(() => decodeCursor(cursor)).toThrow(INVALID_CURSOR);
  });

  it('decodes any string into an in-range date and a UUID, or refuses it as invalid_cursor', () => {
    const isoish = fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.integer({ min: -300_000, max: 300_000 }).map((y) => `${y}-01-01T00:00:00.000Z`),
      fc.string(),
    );
    const idish = fc.oneof(fc.uuid(), fc.string({ minLength: 36, maxLength: 36 }), fc.string());
    const cursors = fc.oneof(
      fc.string(),
      fc.uint8Array({ maxLength: 80 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
      fc.tuple(isoish, idish).map(([at, id]) => raw(`${at}|${id}`)),
      fc.tuple(fc.date({ noInvalidDate: true }), fc.uuid()).map(([at, id]) => encodeCursor(at, id)),
    );
    fc.assert(
      fc.property(cursors, (cursor) => {
        const outcome = attempt(cursor);
        if ('error' in outcome) {
          expect(outcome.error).toBeInstanceOf(AppError);
          expect(outcome.error).toEqual(INVALID_CURSOR);
        } else {
          const { at, id } = outcome.value;
          expect(at.getTime()).toBeGreaterThanOrEqual(EARLIEST);
          expect(at.getTime()).toBeLessThanOrEqual(JS_MAX);
          expect(id).toMatch(UUID);
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('number cursors', () => {
  it('round-trips every revision number a segment can have', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_147_483_647 }), (n) => {
        expect(decodeNumberCursor(encodeNumberCursor(n))).toBe(n);
      }),
    );
  });

  it.each([
    ['zero', raw('#0')],
    ['a leading zero', raw('#01')],
    ['a negative number', raw('#-1')],
    ['past a PostgreSQL integer', raw('#2147483648')],
    ['no marker', raw('5')],
    ['a keyset cursor', encodeCursor(new Date('2026-01-01T00:00:00.000Z'), ID)],
    ['padding', `${encodeNumberCursor(5)}=`],
    ['garbage', 'bogus'],
  ])('refuses %s with 400 invalid_cursor', (_name, cursor) => {
    expect(() => decodeNumberCursor(cursor)).toThrow(INVALID_CURSOR);
  });
});
