import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.js';
import { AppError } from './errors.js';

describe('keyset cursors', () => {
  it('round-trips', () => {
    const at = new Date('2026-01-01T00:00:00.000Z');
    const id = '01a200cb-3f70-74d5-8e75-7a0ac9ba7b91';
    expect(decodeCursor(encodeCursor(at, id))).toEqual({ at, id });
  });

  it('answers a 400 AppError for any garbage, never a crash', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(random() * 60) }, () => Math.floor(random() * 256)));
      const cursor = random() < 0.5 ? bytes.toString('base64url') : bytes.toString('latin1');
      try {
        decodeCursor(cursor);
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).status).toBe(400);
      }
    }
  });
});
