import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/server/platform/clock.js';
import { RATE_LIMITS, usageCountersFor } from '../../src/server/platform/rate-limits.js';
import { call, expectProblem, login, registerUser, uniqueEmail } from '../helpers/api.js';
import { TEST_START, useTestApp } from '../helpers/app.js';

const t = useTestApp();

describe('two instances on one Redis', () => {
  it('share request rate limits', async () => {
    const clock = new ManualClock(TEST_START);
    const limits = t.sharedLimits(clock);
    const a = await t.build({ limits, config: { rateLimitsEnabled: true } }, clock);
    const b = await t.build({ limits, config: { rateLimitsEnabled: true } }, clock);
    const account = await registerUser(a.app);
    for (let i = 0; i < 5; i++) expect((await login(a.app, account.email, account.password, { ip: `192.0.2.${i}` })).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await login(b.app, account.email, account.password, { ip: `192.0.2.${i}` })).statusCode).toBe(200);
    expectProblem(await login(a.app, account.email, account.password, { ip: '192.0.2.200' }), 429, 'rate_limited');
    expectProblem(await login(b.app, account.email, account.password, { ip: '192.0.2.201' }), 429, 'rate_limited');
  });

  it('share the failed-login protection', async () => {
    const clock = new ManualClock(TEST_START);
    const limits = t.sharedLimits(clock);
    const a = await t.build({ limits }, clock);
    const b = await t.build({ limits }, clock);
    const email = uniqueEmail();
    const account = await registerUser(a.app, { email });
    for (let i = 0; i < 3; i++) await login(a.app, email, 'wrong password here');
    for (let i = 0; i < 2; i++) await login(b.app, email, 'wrong password here');
    const slowed = await login(a.app, email, account.password, { ip: '192.0.2.9' });
    expectProblem(slowed, 429, 'login_slowed');
    clock.advance(Number(slowed.headers['retry-after']) * 1000);
    expect((await login(b.app, email, account.password, { ip: '192.0.2.9' })).statusCode).toBe(200);
  });

  it('share the route groups\' limits and the usage counters', async () => {
    const clock = new ManualClock(TEST_START);
    const limits = t.sharedLimits(clock);
    const rateLimits = { writes: [{ per: 'user' as const, max: 4, windowMs: 60_000 }] };
    const a = await t.build({ limits, rateLimits, config: { rateLimitsEnabled: true } }, clock);
    const b = await t.build({ limits, rateLimits, config: { rateLimitsEnabled: true } }, clock);
    const ann = await registerUser(a.app);
    const create = (app: typeof a.app) => call(app, 'POST', '/v1/drafts', { token: ann.accessToken, body: { title: 'A thread', platform: 'x' } });
    for (const app of [a.app, b.app, a.app, b.app]) expect((await create(app)).statusCode).toBe(201);
    expect(expectProblem(await create(a.app), 429, 'rate_limited')).toMatchObject({ limit: 'writes' });
    expect(expectProblem(await create(b.app), 429, 'rate_limited')).toMatchObject({ limit: 'writes' });
    await call(b.app, 'GET', '/v1/drafts', { token: ann.accessToken });
    const counters = await usageCountersFor(limits, ann.user.id, clock.now());
    expect(counters.slice(0, 2)).toEqual([
      { name: 'reads', window: 'day', count: 1 },
      { name: 'writes', window: 'day', count: 6 },
    ]);
    expect(RATE_LIMITS.writes[0]!.max, 'the test shrank the configured limit').toBeGreaterThan(4);
  });
});
