import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { OpenAPIV3 } from 'openapi-types';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE } from '../../src/server/features/live/close-codes.js';
import { MemoryLimitStore, type LimitStore } from '../../src/server/platform/limits.js';
import {
  FAILED_AUTHENTICATION_LIMIT,
  RATE_LIMIT_GROUPS,
  RATE_LIMITS,
  usageCountersFor,
  type RateLimitGroup,
  type RateLimitSettings,
} from '../../src/server/platform/rate-limits.js';
import { call, createDraft, expectProblem, login, registerUser, type Account } from '../helpers/api.js';
import { useTestApp, type AppOptions } from '../helpers/app.js';
import { LiveClient } from '../helpers/live.js';

const MINUTE = 60_000;
const DRAFT = { title: 'A thread', platform: 'x' };
const MISSING_ID = '0190c5e2-0000-7000-8000-000000000000';

/** A route no feature has yet: billing's webhooks will declare their group the same way. */
function webhookRoute(app: FastifyInstance): void {
  app.post('/test/webhook', { config: { rateLimit: 'webhooks' } }, async (_request, reply) => reply.code(204).send());
}

const t = useTestApp({ extend: webhookRoute });
const clients: LiveClient[] = [];
afterEach(() => clients.splice(0).forEach((c) => c.close()));

/** Every group's limits with `max` instead of the configured maximum (same windows). */
function everyGroupAt(max: number): RateLimitSettings {
  return Object.fromEntries(RATE_LIMIT_GROUPS.map((g) => [g, RATE_LIMITS[g].map((rule) => ({ ...rule, max }))])) as RateLimitSettings;
}

async function limitedApp(options: AppOptions = {}) {
  return t.build({ rateLimits: everyGroupAt(3), ...options, config: { rateLimitsEnabled: true, ...options.config } });
}

/** Asserts the 429 of a group's limit: problem+json naming the limit, and Retry-After in header and body. */
function expectLimited(res: LightMyRequestResponse, group: RateLimitGroup | 'unauthenticated', retryAfterSeconds = 60): void {
  const body = expectProblem(res, 429, 'rate_limited');
  expect(body).toMatchObject({ limit: group, retryAfterSeconds });
  expect(res.headers['retry-after']).toBe(String(retryAfterSeconds));
}

async function times(n: number, send: () => Promise<LightMyRequestResponse>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await send()).statusCode);
  return statuses;
}

describe('every route belongs to a rate-limit group', () => {
  it('gives each registered route, documented or not, exactly one known group', async () => {
    const routes = t.app.rateLimitGroups();
    expect(routes.length).toBeGreaterThan(50);
    for (const route of routes) expect(RATE_LIMIT_GROUPS, `${route.method} ${route.url}`).toContain(route.group);
    const keys = routes.map((r) => `${r.method} ${r.url}`);
    expect(new Set(keys).size, 'a route appears once').toBe(keys.length);
    const groupOf = (method: string, url: string) => routes.find((r) => r.method === method && r.url === url)?.group;
    expect(groupOf('POST', '/v1/auth/login')).toBe('auth');
    expect(groupOf('POST', '/v1/auth/refresh')).toBe('auth');
    expect(groupOf('GET', '/v1/auth/sessions')).toBe('reads');
    expect(groupOf('GET', '/v1/drafts/:id')).toBe('reads');
    expect(groupOf('HEAD', '/v1/drafts/:id')).toBe('reads');
    expect(groupOf('POST', '/v1/drafts')).toBe('writes');
    expect(groupOf('DELETE', '/v1/auth/sessions/:id')).toBe('writes');
    expect(groupOf('GET', '/p/:id')).toBe('public');
    expect(groupOf('GET', '/v1/drafts/:id/share-card')).toBe('public');
    expect(groupOf('GET', '/v1/drafts/:id/live')).toBe('live');
    expect(groupOf('GET', '/v1/me/live')).toBe('live');
    expect(groupOf('GET', '/healthz')).toBe('ops');
    expect(groupOf('GET', '/metrics')).toBe('ops');
    expect(groupOf('POST', '/test/webhook')).toBe('webhooks');
    expect(groupOf('POST', '/v1/coach/turns')).toBe('coach');
    expect(groupOf('POST', '/v1/coach/mirror/sessions/:id/messages')).toBe('coach');
    expect(groupOf('GET', '/v1/coach/turns')).toBe('reads');
  });

  it('documents each operation\'s group as x-rate-limit, and 429 as one of its answers', async () => {
    const doc = (await call(t.app, 'GET', '/openapi.json')).json() as OpenAPIV3.Document;
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item ?? {}).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op as OpenAPIV3.OperationObject & { 'x-rate-limit'?: string }] as const),
    );
    expect(operations.length).toBeGreaterThan(40);
    for (const [name, op] of operations) {
      expect(RATE_LIMIT_GROUPS, name).toContain(op['x-rate-limit']);
      expect(Object.keys(op.responses), name).toContain('429');
    }
  });
});

describe('each group answers 429 after its maximum', () => {
  it('reads: per user, with Retry-After and the limit named, until the window turns', async () => {
    const { app, clock } = await limitedApp();
    const [ann, bob] = [await registerUser(app), await registerUser(app)];
    const read = (who: Account) => call(app, 'GET', '/v1/drafts', { token: who.accessToken });
    expect(await times(3, () => read(ann))).toEqual([200, 200, 200]);
    expectLimited(await read(ann), 'reads');
    expect((await read(bob)).statusCode, 'another user has a limit of their own').toBe(200);
    expect((await call(app, 'POST', '/v1/drafts', { token: ann.accessToken, body: DRAFT })).statusCode, 'writes are another group').toBe(201);
    clock.advance(30_000);
    expectLimited(await read(ann), 'reads', 30);
    clock.advance(30_000);
    expect((await read(ann)).statusCode).toBe(200);
  });

  it('writes: per user, refused before anything is written', async () => {
    const { app, clock } = await limitedApp();
    const [ann, bob] = [await registerUser(app), await registerUser(app)];
    const create = (who: Account) => call(app, 'POST', '/v1/drafts', { token: who.accessToken, body: DRAFT });
    expect(await times(3, () => create(ann))).toEqual([201, 201, 201]);
    expectLimited(await create(ann), 'writes');
    expect((await create(bob)).statusCode).toBe(201);
    const drafts = await call(app, 'GET', '/v1/drafts', { token: ann.accessToken });
    expect(drafts.json().items).toHaveLength(3);
    clock.advance(MINUTE);
    expect((await create(ann)).statusCode).toBe(201);
  });

  it('coach: the routes that call a model, per user, apart from other writes', async () => {
    const { app, clock } = await limitedApp();
    const [ann, bob] = [await registerUser(app), await registerUser(app)];
    const turn = (who: Account) => call(app, 'POST', '/v1/coach/turns', { token: who.accessToken, body: { text: 'one small step' } });
    expect(await times(3, () => turn(ann))).toEqual([201, 201, 201]);
    expectLimited(await turn(ann), 'coach');
    expect((await turn(bob)).statusCode).toBe(201);
    expect((await call(app, 'POST', '/v1/drafts', { token: ann.accessToken, body: DRAFT })).statusCode, 'writes are another group').toBe(201);
    clock.advance(MINUTE);
    expect((await turn(ann)).statusCode).toBe(201);
  });

  it('public: signed-out pages and cards per address, the 429 as problem+json', async () => {
    const { app, clock } = await limitedApp();
    const page = (ip: string) => call(app, 'GET', `/p/${MISSING_ID}`, { ip });
    expect(await times(2, () => page('192.0.2.1'))).toEqual([404, 404]);
    expect((await call(app, 'GET', `/v1/drafts/${MISSING_ID}/share-card`, { ip: '192.0.2.1' })).statusCode).toBe(404);
    expectLimited(await page('192.0.2.1'), 'public');
    expectLimited(await call(app, 'GET', '/drafts/no-route-matches', { ip: '192.0.2.1' }), 'public');
    expect((await page('192.0.2.2')).statusCode).toBe(404);
    clock.advance(MINUTE);
    expect((await page('192.0.2.1')).statusCode).toBe(404);
  });

  it('auth: the signed-out identity routes per address, on top of the per-action limits', async () => {
    const { app, clock } = await limitedApp();
    const refresh = (ip: string) => call(app, 'POST', '/v1/auth/refresh', { body: { refreshToken: 'not-a-token' }, ip });
    expect(await times(3, () => refresh('192.0.2.1'))).toEqual([401, 401, 401]);
    expectLimited(await refresh('192.0.2.1'), 'auth');
    expect((await refresh('192.0.2.2')).statusCode).toBe(401);
    clock.advance(MINUTE);
    expect((await refresh('192.0.2.1')).statusCode).toBe(401);
  });

  it('unauthenticated: requests refused with 401, per address, on any route that needs a sign-in', async () => {
    const { app, clock } = await t.build({ config: { rateLimitsEnabled: true } });
    const ann = await registerUser(app);
    const ip = '192.0.2.1';
    const refusals = [
      () => call(app, 'GET', '/v1/drafts', { ip }),
      () => call(app, 'POST', '/v1/drafts', { ip, body: DRAFT }),
      () => call(app, 'GET', '/v1/me', { ip, token: 'not-a-token' }),
      () => call(app, 'GET', '/v1/me', { ip, headers: { authorization: 'Basic abc' } }),
    ];
    const statuses: number[] = [];
    for (let i = 0; i < FAILED_AUTHENTICATION_LIMIT.max; i++) statuses.push((await refusals[i % refusals.length]!()).statusCode);
    expect(new Set(statuses)).toEqual(new Set([401]));
    for (const refused of refusals) expectLimited(await refused(), 'unauthenticated');
    expect((await call(app, 'GET', '/v1/me', { ip, token: ann.accessToken })).statusCode, 'a signed-in request from there still goes through').toBe(200);
    expect((await call(app, 'GET', '/v1/drafts', { ip: '192.0.2.2' })).statusCode, 'another address has a limit of its own').toBe(401);
    clock.advance(MINUTE);
    expect((await call(app, 'GET', '/v1/drafts', { ip })).statusCode).toBe(401);
  });

  it('unauthenticated: an expired token is not counted (a browser sends one with each read until it refreshes)', async () => {
    const { app, clock } = await t.build({ config: { rateLimitsEnabled: true, metricsToken: undefined } });
    const ann = await registerUser(app);
    clock.advance(24 * 60 * MINUTE);
    const ip = '192.0.2.3';
    const statuses = await times(FAILED_AUTHENTICATION_LIMIT.max + 5, () => call(app, 'GET', '/v1/drafts', { ip, token: ann.accessToken }));
    expect(new Set(statuses)).toEqual(new Set([401]));
    expectProblem(await call(app, 'GET', '/v1/drafts', { ip, token: ann.accessToken }), 401, 'token_expired');
    // Refusals of other kinds from there still are, and each 429 is counted once.
    await times(FAILED_AUTHENTICATION_LIMIT.max, () => call(app, 'GET', '/v1/drafts', { ip }));
    expectLimited(await call(app, 'GET', '/v1/drafts', { ip }), 'unauthenticated');
    const metrics = await call(app, 'GET', '/metrics', { ip: '192.0.2.200' });
    expect(metrics.body).toContain('rate_limited_total{group="unauthenticated"} 1');
  });

  it('auth: the per-action limits name the auth limit too', async () => {
    const { app } = await t.build({ config: { rateLimitsEnabled: true } });
    const account = await registerUser(app);
    for (let i = 0; i < 10; i++) await login(app, account.email, account.password, { ip: `192.0.2.${i + 10}` });
    const limited = expectProblem(await login(app, account.email, account.password, { ip: '192.0.2.99' }), 429, 'rate_limited');
    expect(limited).toMatchObject({ limit: 'auth', retryAfterSeconds: 60 });
  });

  it('live: connection attempts per address at the upgrade', async () => {
    const { app, clock } = await limitedApp();
    const attempt = (ip: string) => call(app, 'GET', '/v1/me/live', { ip });
    expect(await times(2, () => attempt('192.0.2.1'))).toEqual([426, 426]);
    clients.push(await LiveClient.openList(app, '192.0.2.1'));
    expectLimited(await attempt('192.0.2.1'), 'live');
    await expect(LiveClient.openList(app, '192.0.2.1')).rejects.toThrow('Unexpected server response: 429');
    clients.push(await LiveClient.openList(app, '192.0.2.2'));
    clock.advance(MINUTE);
    expect((await attempt('192.0.2.1')).statusCode).toBe(426);
  });

  it('live: connections per user at hello, closed with 4429', async () => {
    const { app, clock } = await limitedApp();
    const [ann, bob] = [await registerUser(app), await registerUser(app)];
    const connect = async (who: Account, ip: string) => {
      const client = await LiveClient.openList(app, ip);
      clients.push(client);
      client.hello(who.accessToken);
      return client;
    };
    for (let i = 0; i < 3; i++) expect(await (await connect(ann, `192.0.2.${i + 1}`)).settled()).toBe('ready');
    const refused = await connect(ann, '192.0.2.10');
    expect(await refused.settled()).toBe(CLOSE.TOO_FAST);
    expect(refused.closed?.reason).toBe('rate_limited: retry after 60 s');
    expect(await (await connect(bob, '192.0.2.11')).settled()).toBe('ready');
    clock.advance(MINUTE);
    expect(await (await connect(ann, '192.0.2.12')).settled()).toBe('ready');
  });

  it('webhooks: per address, on the routes that declare the group', async () => {
    const { app, clock } = await limitedApp();
    const notify = (ip: string) => call(app, 'POST', '/test/webhook', { ip });
    expect(await times(3, () => notify('192.0.2.1'))).toEqual([204, 204, 204]);
    expectLimited(await notify('192.0.2.1'), 'webhooks');
    expect((await notify('192.0.2.2')).statusCode).toBe(204);
    clock.advance(MINUTE);
    expect((await notify('192.0.2.1')).statusCode).toBe(204);
  });

  it('ops: health checks per address', async () => {
    const { app } = await limitedApp();
    expect(await times(3, () => call(app, 'GET', '/healthz', { ip: '192.0.2.1' }))).toEqual([200, 200, 200]);
    expectLimited(await call(app, 'GET', '/healthz', { ip: '192.0.2.1' }), 'ops');
    expect((await call(app, 'GET', '/healthz', { ip: '192.0.2.2' })).statusCode).toBe(200);
  });

  it('writes, with the configured values: a person\'s pace passes, a script\'s is held', async () => {
    const { app } = await t.build({ config: { rateLimitsEnabled: true } });
    const ann = await registerUser(app);
    const draft = await createDraft(app, ann);
    const rename = (i: number) => call(app, 'PATCH', `/v1/drafts/${draft.id}`, { token: ann.accessToken, body: { title: `Take ${i}` } });
    const max = RATE_LIMITS.writes[0]!.max;
    for (let i = 1; i < max; i++) expect((await rename(i)).statusCode).toBe(200);
    expectLimited(await rename(max), 'writes');
  });
});

describe('RATE_LIMITS=off', () => {
  it('lifts every group\'s limit', async () => {
    const { app } = await t.build({ rateLimits: everyGroupAt(1), config: { rateLimitsEnabled: false } });
    const ann = await registerUser(app);
    const ok = (statuses: number[]) => statuses.every((s) => s !== 429);
    expect(ok(await times(3, () => call(app, 'GET', '/v1/drafts', { token: ann.accessToken })))).toBe(true);
    expect(ok(await times(3, () => call(app, 'POST', '/v1/drafts', { token: ann.accessToken, body: DRAFT })))).toBe(true);
    expect(ok(await times(3, () => call(app, 'GET', `/p/${MISSING_ID}`)))).toBe(true);
    expect(ok(await times(3, () => call(app, 'POST', '/v1/auth/refresh', { body: { refreshToken: 'x' } })))).toBe(true);
    expect(ok(await times(3, () => call(app, 'GET', '/v1/me/live')))).toBe(true);
    expect(ok(await times(3, () => call(app, 'POST', '/test/webhook')))).toBe(true);
    expect(ok(await times(3, () => call(app, 'GET', '/healthz')))).toBe(true);
    for (let i = 0; i < 3; i++) {
      const client = await LiveClient.openList(app);
      clients.push(client);
      client.hello(ann.accessToken);
      expect(await client.settled()).toBe('ready');
    }
  });

  it('keeps the failed-login protection', async () => {
    const { app } = await t.build({ rateLimits: everyGroupAt(1), config: { rateLimitsEnabled: false } });
    const ann = await registerUser(app);
    for (let i = 0; i < 5; i++) expect((await login(app, ann.email, 'not the password', { ip: '192.0.2.7' })).statusCode).toBe(401);
    const blocked = expectProblem(await login(app, ann.email, ann.password, { ip: '192.0.2.7' }), 429, 'login_slowed');
    expect(blocked).toMatchObject({ limit: 'auth' });
  });
});

describe('usage counters', () => {
  it('count each signed-in request by group per UTC day, limits on or off', async () => {
    const { app, clock, limits } = t.current;
    const [ann, bob] = [await registerUser(app), await registerUser(app)];
    const draft = await createDraft(app, ann);
    for (let i = 0; i < 3; i++) await call(app, 'GET', `/v1/drafts/${draft.id}`, { token: ann.accessToken });
    await call(app, 'GET', `/v1/drafts/${draft.id}/share-card`, { token: ann.accessToken });
    await call(app, 'GET', `/p/${draft.id}`);
    const live = await LiveClient.openList(app);
    clients.push(live);
    live.hello(ann.accessToken);
    expect(await live.settled()).toBe('ready');
    const counters = (userId: string) => usageCountersFor(limits, userId, clock.now());
    expect(await counters(ann.user.id)).toEqual([
      { name: 'reads', window: 'day', count: 3 },
      { name: 'writes', window: 'day', count: 1 },
      { name: 'public', window: 'day', count: 1 },
      { name: 'live', window: 'day', count: 1 },
    ]);
    expect((await counters(bob.user.id)).map((c) => c.count)).toEqual([0, 0, 0, 0]);
    const today = clock.now();
    clock.set('2026-03-01T23:59:59.999Z');
    expect((await counters(ann.user.id)).map((c) => c.count)).toEqual([3, 1, 1, 1]);
    clock.advance(1);
    expect((await counters(ann.user.id)).map((c) => c.count), 'a new UTC day starts from zero').toEqual([0, 0, 0, 0]);
    const { accessToken } = (await login(app, ann.email, ann.password)).json() as Account;
    expect((await call(app, 'GET', `/v1/drafts/${draft.id}`, { token: accessToken })).statusCode).toBe(200);
    expect((await counters(ann.user.id)).map((c) => c.count)).toEqual([1, 0, 0, 0]);
    expect((await usageCountersFor(limits, ann.user.id, today)).map((c) => c.count), 'the day asked for, not the current one').toEqual([3, 1, 1, 1]);
  });

  it('count the refused requests too', async () => {
    const { app, clock, limits } = await limitedApp();
    const ann = await registerUser(app);
    const statuses = await times(5, () => call(app, 'POST', '/v1/drafts', { token: ann.accessToken, body: DRAFT }));
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    expect((await usageCountersFor(limits, ann.user.id, clock.now()))[1]).toEqual({ name: 'writes', window: 'day', count: 5 });
  });
});

describe('keys and metrics', () => {
  it('never put an email, a password or a token in a key of the limit store', async () => {
    const keys: string[] = [];
    const inner = new MemoryLimitStore(t.clock);
    const recording = new Proxy(inner, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (typeof args[0] === 'string') keys.push(args[0]);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as LimitStore;
    const { app } = await t.build({ limits: recording, config: { rateLimitsEnabled: true } }, t.clock);
    const ann = await registerUser(app);
    await login(app, ann.email, 'not the password');
    const again = (await login(app, ann.email, ann.password)).json() as Account;
    await call(app, 'POST', '/v1/auth/refresh', { body: { refreshToken: again.refreshToken } });
    await call(app, 'GET', '/v1/drafts', { token: again.accessToken });
    await call(app, 'POST', '/v1/auth/password-reset/request', { body: { email: ann.email } });
    expect(keys.length).toBeGreaterThan(10);
    const secrets = [ann.email, ann.email.split('@')[0]!, ann.password, ann.refreshToken, again.refreshToken, again.accessToken, 'not the password'];
    for (const key of keys) for (const secret of secrets) expect(key).not.toContain(secret);
    expect(keys).toContain(`rate:reads:user:${ann.user.id}`);
  });

  it('count 429s by the group whose limit answered', async () => {
    const { app } = await limitedApp({ config: { metricsToken: undefined } });
    const ann = await registerUser(app);
    await times(5, () => call(app, 'GET', '/v1/drafts', { token: ann.accessToken }));
    for (let i = 0; i < 11; i++) await login(app, ann.email, 'not the password', { ip: `192.0.2.${i}` });
    const metrics = await call(app, 'GET', '/metrics', { ip: '192.0.2.200' });
    expect(metrics.body).toContain('rate_limited_total{group="reads"} 2');
    expect(metrics.body).toMatch(/rate_limited_total\{group="auth"\} [1-9]/);
  });
});
