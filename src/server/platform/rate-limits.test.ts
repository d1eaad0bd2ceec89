import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { BEARER_AUTH, OPTIONAL_BEARER_AUTH } from './http.js';
import { MemoryLimitStore, RateLimiter } from './limits.js';
import { RATE_LIMITS, RateLimitedError, routeGroupOf, RouteLimits, usageCountersFor } from './rate-limits.js';

describe('routeGroupOf', () => {
  it('takes the group a route declares', () => {
    expect(routeGroupOf({ method: 'POST', url: '/v1/billing/stripe', config: { rateLimit: 'webhooks' } })).toBe('webhooks');
  });

  it('derives the group from what the route takes', () => {
    expect(routeGroupOf({ method: 'GET', url: '/v1/drafts/:id/live', wsHandler: () => undefined })).toBe('live');
    expect(routeGroupOf({ method: 'GET', url: '/v1/drafts', schema: { security: BEARER_AUTH } })).toBe('reads');
    expect(routeGroupOf({ method: ['GET', 'HEAD'], url: '/v1/drafts', schema: { security: BEARER_AUTH } })).toBe('reads');
    expect(routeGroupOf({ method: 'DELETE', url: '/v1/auth/sessions/:id', schema: { security: BEARER_AUTH } })).toBe('writes');
    expect(routeGroupOf({ method: 'POST', url: '/v1/auth/login', schema: {} })).toBe('auth');
    expect(routeGroupOf({ method: 'GET', url: '/v1/drafts/:id/share-card', schema: { security: OPTIONAL_BEARER_AUTH } })).toBe('public');
    expect(routeGroupOf({ method: 'GET', url: '/p/:id' })).toBe('public');
    expect(routeGroupOf({ method: 'GET', url: '/docs/static/*' })).toBe('ops');
    expect(routeGroupOf({ method: 'GET', url: '/v1/health/db' })).toBe('ops');
    expect(routeGroupOf({ method: 'GET', url: '/healthzz' })).toBe('public');
  });
});

describe('RouteLimits', () => {
  it('applies only the rules whose subject it knows, and names the group in the 429', async () => {
    const clock = new ManualClock('2026-03-01T09:00:30.000Z');
    const store = new MemoryLimitStore(clock);
    const limits = new RouteLimits(new RateLimiter(store, true), clock, {
      ...RATE_LIMITS,
      live: [
        { per: 'ip', max: 1, windowMs: 60_000 },
        { per: 'user', max: 2, windowMs: 60_000 },
      ],
    });
    await limits.admit('live', { ip: '192.0.2.1' });
    await limits.admit('live', { userId: 'u1' });
    await limits.admit('live', { userId: 'u1' });
    const refused = await limits.admit('live', { userId: 'u1' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect(refused).toMatchObject({ status: 429, code: 'rate_limited', limit: 'live', retryAfterSeconds: 30 });
    await expect(limits.admit('live', { ip: '192.0.2.1' })).rejects.toMatchObject({ limit: 'live' });
    expect((await usageCountersFor(store, 'u1', clock.now())).find((c) => c.name === 'live')?.count).toBe(3);
  });
});
