import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { costMicros, inputTokensBound, MESSAGE_OVERHEAD_TOKENS, REPLY_PRIMING_TOKENS, secondsUntilNextUtcDay, utcDay } from './cost.js';
import { parseRetryAfter } from './providers/provider.js';

const message = fc.record({ role: fc.constantFrom('system' as const, 'user' as const, 'assistant' as const), content: fc.string({ unit: 'grapheme' }) });

describe('the input token bound', () => {
  it('is the UTF-8 bytes plus the overheads (a byte-level tokenizer never has more tokens than bytes)', () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 8 }), (messages) => {
        const bytes = messages.reduce((sum, m) => sum + new TextEncoder().encode(m.content).length, 0);
        expect(inputTokensBound(messages)).toBe(bytes + messages.length * MESSAGE_OVERHEAD_TOKENS + REPLY_PRIMING_TOKENS);
      }),
    );
  });

  it('counts a multi-byte character as its bytes', () => {
    expect(inputTokensBound([{ role: 'user', content: 'é🙂' }])).toBe(2 + 4 + MESSAGE_OVERHEAD_TOKENS + REPLY_PRIMING_TOKENS);
  });
});

describe('costs in micro-dollars', () => {
  it('are rounded up, never below the exact cost, and at most one micro-dollar above it', () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.nat(10_000_000), fc.nat(100_000), fc.nat(100_000), (inPrice, outPrice, input, output) => {
        const exact = (input * inPrice + output * outPrice) / 1_000_000;
        const micros = costMicros({ inputMicrosPerMillion: inPrice, outputMicrosPerMillion: outPrice }, input, output);
        expect(micros).toBeGreaterThanOrEqual(exact);
        expect(micros - exact).toBeLessThan(1);
      }),
    );
  });
});

describe('the budget day', () => {
  it('is the UTC date, and the wait until the next one is within a day', () => {
    expect(utcDay(new Date('2026-03-01T23:59:59.999Z'))).toBe('2026-03-01');
    expect(secondsUntilNextUtcDay(new Date('2026-03-01T23:59:59.500Z'))).toBe(1);
    expect(secondsUntilNextUtcDay(new Date('2026-03-01T00:00:00.000Z'))).toBe(86_400);
  });
});

describe('Retry-After', () => {
  const now = new Date('2026-03-01T09:00:00.000Z');
  it.each([
    ['3', 3000],
    [' 0 ', 0],
    ['Sun, 01 Mar 2026 09:00:05 GMT', 5000],
    ['Sun, 01 Mar 2026 08:00:00 GMT', 0],
    ['soon', null],
    ['-1', null],
    [undefined, null],
  ])('%s is %s ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
});
