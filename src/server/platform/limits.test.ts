import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { MemoryLimitStore, RateLimiter } from './limits.js';

describe('MemoryLimitStore', () => {
  it('counts within a fixed window and starts over in the next one', async () => {
    const clock = new ManualClock('2026-01-01T00:00:00.000Z');
    const store = new MemoryLimitStore(clock);
    expect((await store.hit('k', 60_000)).count).toBe(1);
    expect(await store.hit('k', 60_000)).toEqual({ count: 2, resetAt: Date.parse('2026-01-01T00:01:00.000Z') });
    clock.advance(60_000);
    expect((await store.hit('k', 60_000)).count).toBe(1);
  });

  it('keeps a value until it expires', async () => {
    const clock = new ManualClock();
    const store = new MemoryLimitStore(clock);
    await store.setUntil('lock', 7, clock.now().getTime() + 1000);
    expect(await store.get('lock')).toBe(7);
    clock.advance(1000);
    expect(await store.get('lock')).toBeNull();
  });
});

describe('RateLimiter', () => {
  const rule = { name: 'test', max: 2, windowMs: 10_000 };

  it('answers the seconds to wait once the rule is exceeded', async () => {
    const clock = new ManualClock('2026-01-01T00:00:02.000Z');
    const limiter = new RateLimiter(new MemoryLimitStore(clock), true);
    const now = clock.now().getTime();
    expect(await limiter.consume(rule, 'ip', now)).toBeNull();
    expect(await limiter.consume(rule, 'ip', now)).toBeNull();
    expect(await limiter.consume(rule, 'ip', now)).toBe(8);
    expect(await limiter.consume(rule, 'other', now)).toBeNull();
  });

  it('never limits when switched off', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(new MemoryLimitStore(clock), false);
    for (let i = 0; i < 10; i++) expect(await limiter.consume(rule, 'ip', clock.now().getTime())).toBeNull();
  });
});
