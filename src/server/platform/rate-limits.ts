import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { z } from 'zod';
import type { UsageCounterSchema } from '../../contract/admin.js';
import type { Clock } from './clock.js';
import { TooManyRequestsError } from './errors.js';
import type { LimitStore, RateLimiter, RateRule } from './limits.js';
import type { Metrics } from './observability.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The route groups. Every route belongs to exactly one (`routeGroupOf`): its requests count against that
 * group's limits, and a signed-in user's against their usage counter of it.
 */
export const RATE_LIMIT_GROUPS = ['auth', 'reads', 'writes', 'public', 'live', 'webhooks', 'ops', 'coach'] as const;
export type RateLimitGroup = (typeof RATE_LIMIT_GROUPS)[number];

/** One limit of a group: at most `max` requests per fixed window of `windowMs`, for each user or each address. */
export type GroupRule = { per: 'user' | 'ip'; max: number; windowMs: number };
export type RateLimitSettings = Record<RateLimitGroup, GroupRule[]>;

/**
 * Every route group's limits, in one place (docs/api.md explains each value). Generous for a person, even a
 * busy one in a shared office; tight enough that a script cannot hammer the database.
 */
export const RATE_LIMITS: RateLimitSettings = {
  /** Signed-out identity routes (register, login, refresh, logout, reset), on top of AUTH_ACTION_LIMITS. */
  auth: [{ per: 'ip', max: 120, windowMs: MINUTE }],
  /** Signed-in GETs: 10 a second sustained covers a page that fans out into a dozen reads. */
  reads: [{ per: 'user', max: 600, windowMs: MINUTE }],
  /** Signed-in mutations: two a second sustained is far above anyone writing by hand. */
  writes: [{ per: 'user', max: 120, windowMs: MINUTE }],
  /** Signed-out reads (public and preview pages, cards, invite previews, the web app): per address. */
  public: [{ per: 'ip', max: 300, windowMs: MINUTE }],
  /** WebSocket connection attempts: per address at the upgrade, per user at `hello`. */
  live: [
    { per: 'ip', max: 300, windowMs: MINUTE },
    { per: 'user', max: 60, windowMs: MINUTE },
  ],
  /** Payment providers' notifications (billing): they retry in bursts from a few addresses. */
  webhooks: [{ per: 'ip', max: 600, windowMs: MINUTE }],
  /** Health, readiness, metrics and the API document: probes from a few addresses, times every instance. */
  ops: [{ per: 'ip', max: 1200, windowMs: MINUTE }],
  /** Requests that make a model call (a Turn, a Mirror message): each is seconds of a person reading. */
  coach: [{ per: 'user', max: 20, windowMs: MINUTE }],
};

/**
 * The auth group's per-action limits, applied by features/auth/throttle.ts once the body names the account
 * (the route hook cannot see it): per IP, and per account (a hashed email; for reset confirmations, the token).
 */
export const AUTH_ACTION_LIMITS = {
  login: { ip: { name: 'login:ip', max: 30, windowMs: MINUTE }, account: { name: 'login:account', max: 10, windowMs: MINUTE } },
  register: { ip: { name: 'register:ip', max: 20, windowMs: HOUR }, account: { name: 'register:account', max: 5, windowMs: HOUR } },
  reset: { ip: { name: 'reset:ip', max: 20, windowMs: HOUR }, account: { name: 'reset:account', max: 3, windowMs: HOUR } },
  /** Setting a new password by reset token: per IP, and per token (its "account" is the token). */
  resetConfirm: { ip: { name: 'reset-confirm:ip', max: 30, windowMs: HOUR }, account: { name: 'reset-confirm:token', max: 10, windowMs: HOUR } },
} satisfies Record<string, { ip: RateRule; account: RateRule }>;

/**
 * Requests refused with 401 (no bearer token where one is needed, a malformed header, a bad token, a revoked
 * session; not an expired token), per address. The route groups' limits count a request once it is signed in; this one stops a client that
 * never is from sending without end.
 */
export const FAILED_AUTHENTICATION_LIMIT: RateRule = { name: 'unauthenticated:ip', max: 60, windowMs: MINUTE };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's rate-limit group; derived by `routeGroupOf` when a route does not declare it. */
    rateLimit?: RateLimitGroup;
  }
  interface FastifyInstance {
    /** Every route (method and path) with its rate-limit group, in the order they were registered. */
    rateLimitGroups(): ReadonlyArray<{ method: string; url: string; group: RateLimitGroup }>;
    /** Counts a request about to be refused with 401; throws a 429 instead once its address sent too many. */
    limitFailedAuthentication(request: FastifyRequest): Promise<void>;
  }
}

/** Operations endpoints: probes and scrapers, not people. */
const OPS_PATHS = ['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs', '/v1/health'];

type RouteShape = Pick<RouteOptions, 'method' | 'url' | 'schema' | 'config'> & { websocket?: boolean; wsHandler?: unknown };

/**
 * A route's group: the one it declares (`config: { rateLimit: 'webhooks' }`), else by its shape: a WebSocket
 * is `live`; a route that requires a bearer token is `reads` (GET, HEAD) or `writes`; a signed-out route under
 * /v1/auth is `auth`; health, metrics and docs are `ops`; anything else signed out is `public`.
 */
export function routeGroupOf(route: RouteShape): RateLimitGroup {
  const declared = route.config?.rateLimit;
  if (declared) return declared;
  if (route.websocket || route.wsHandler) return 'live';
  const security = route.schema?.security;
  const requiresToken = Array.isArray(security) && security.length > 0 && security.every((s) => Object.keys(s).length > 0);
  const reads = [route.method].flat().every((m) => m === 'GET' || m === 'HEAD');
  if (requiresToken) return reads ? 'reads' : 'writes';
  if (route.url.startsWith('/v1/auth/')) return 'auth';
  if (OPS_PATHS.some((p) => route.url === p || route.url.startsWith(`${p}/`))) return 'ops';
  return 'public';
}

/** The 429 of a route group's limit. */
export class RateLimitedError extends TooManyRequestsError {
  constructor(group: RateLimitGroup, retryAfterSeconds: number) {
    super('rate_limited', `Too many requests (limit "${group}"); wait a moment and try again.`, retryAfterSeconds, group);
  }
}

export type UsageCounter = z.infer<typeof UsageCounterSchema>;

/** The groups a signed-in user's requests are counted under (the others are signed-out only). */
export const USAGE_GROUPS = ['reads', 'writes', 'public', 'live'] as const satisfies readonly RateLimitGroup[];
const usageKey = (group: RateLimitGroup, userId: string) => `usage:${group}:${userId}`;
const isUsageGroup = (group: RateLimitGroup) => (USAGE_GROUPS as readonly RateLimitGroup[]).includes(group);

/** Who sends a request: the signed-in user and/or the address; a rule applies only when its subject is known. */
export type Caller = { userId?: string | null; ip?: string | null };

/**
 * Applies the route groups' limits over the shared LimitStore (Redis when configured) and counts each
 * signed-in request against its user's daily usage. With RATE_LIMITS=off nothing is refused, but usage is
 * still counted: the admin view shows it whatever the limits.
 */
export class RouteLimits {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
    private readonly settings: RateLimitSettings,
    private readonly refused: (group: RateLimitGroup) => void = () => undefined,
  ) {}

  /** Counts one request of `group`; throws RateLimitedError (429) when one of the group's rules is exceeded. */
  async admit(group: RateLimitGroup, caller: Caller): Promise<void> {
    const now = this.clock.now().getTime();
    const subjects = { user: caller.userId || null, ip: caller.ip || null };
    const rules = this.settings[group].filter((rule) => subjects[rule.per] !== null);
    const [waits] = await Promise.all([
      Promise.all(rules.map((rule) => this.limiter.consume({ name: `${group}:${rule.per}`, max: rule.max, windowMs: rule.windowMs }, subjects[rule.per]!, now))),
      caller.userId && isUsageGroup(group) ? this.limiter.store.hit(usageKey(group, caller.userId), DAY) : null,
    ]);
    const wait = Math.max(0, ...waits.map((w) => w ?? 0));
    if (wait === 0) return;
    this.refused(group);
    throw new RateLimitedError(group, wait);
  }

  /**
   * Counts one request refused with 401 from `ip`; throws a 429 once FAILED_AUTHENTICATION_LIMIT is passed
   * (counted in the metrics by the plugin's onError hook, as every 429 but the groups' own).
   */
  async admitFailedAuthentication(ip: string): Promise<void> {
    const wait = await this.limiter.consume(FAILED_AUTHENTICATION_LIMIT, ip, this.clock.now().getTime());
    if (wait === null) return;
    throw new TooManyRequestsError('rate_limited', 'Too many requests without a valid sign-in; wait a moment and try again.', wait, 'unauthenticated');
  }
}

/**
 * A user's requests per route group in the UTC day that contains `now` (days are the store's fixed
 * windows of 24 h from the epoch), one counter per group of USAGE_GROUPS in that order.
 */
export async function usageCountersFor(store: LimitStore, userId: string, now: Date): Promise<UsageCounter[]> {
  return Promise.all(
    USAGE_GROUPS.map(async (name) => ({ name, window: 'day' as const, count: (await store.peek(usageKey(name, userId), DAY, now.getTime())).count })),
  );
}

/**
 * Gives every route its group (an onRoute hook, so register this before any route) and applies the group's
 * limits to each request once authentication has run (preParsing: after the routes' onRequest hooks,
 * before a body is read). Requests no route matches (the web app's pages, unknown paths) are `public`.
 * When the store cannot be reached the request goes through (logged). Counts every 429 by its limit.
 */
export const rateLimitsPlugin = fp(
  async function rateLimits(app: FastifyInstance, opts: { limits: RouteLimits; metrics: Metrics }) {
    const groups: Array<{ method: string; url: string; group: RateLimitGroup }> = [];
    app.decorate('rateLimitGroups', () => groups);
    app.addHook('onRoute', (route) => {
      const group = routeGroupOf(route);
      route.config = { ...route.config, rateLimit: group };
      for (const method of [route.method].flat()) groups.push({ method, url: route.url, group });
    });
    app.addHook('preParsing', async (request, _reply, payload) => {
      const group = request.routeOptions.config.rateLimit ?? 'public';
      try {
        await opts.limits.admit(group, { userId: request.user?.id ?? null, ip: request.ip });
      } catch (error) {
        if (error instanceof RateLimitedError) throw error;
        // An unreachable store lets the request through: an outage of the counters is no outage of the app.
        request.log.warn({ err: error }, 'rate limits unavailable; request let through');
      }
      return payload;
    });
    app.decorate('limitFailedAuthentication', async (request: FastifyRequest) => {
      try {
        await opts.limits.admitFailedAuthentication(request.ip);
      } catch (error) {
        if (error instanceof TooManyRequestsError) throw error;
        request.log.warn({ err: error }, 'rate limits unavailable; refused authentication not counted');
      }
    });
    // RouteLimits counts its own refusals (the live channel's `hello` is no HTTP request); these are the others.
    app.addHook('onError', async (_request, _reply, error) => {
      if (error instanceof TooManyRequestsError && !(error instanceof RateLimitedError)) opts.metrics.rateLimited.inc({ group: error.limit });
    });
  },
  { name: 'rate-limits' },
);
