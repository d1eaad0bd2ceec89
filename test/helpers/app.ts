import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { loadConfig, type Config } from '../../src/server/config.js';
import { createPasswordHasher, type PasswordHasher } from '../../src/server/features/auth/passwords.js';
import type { LiveLimits } from '../../src/server/features/live/socket.js';
import type { PresenceStore } from '../../src/server/features/live/presence.js';
import type { Bus } from '../../src/server/platform/bus.js';
import { ManualClock } from '../../src/server/platform/clock.js';
import { MemoryLimitStore, RedisLimitStore, type LimitStore } from '../../src/server/platform/limits.js';
import type { Mailer } from '../../src/server/platform/mailer.js';
import type { RateLimitSettings } from '../../src/server/platform/rate-limits.js';
import { createLogger } from '../../src/server/platform/observability.js';
import { generateSigningKeys, type SigningKeys } from '../../src/server/platform/signing-keys.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { contractFor, OpenApiDriftError, sentRequest, type OpenApiContract } from './openapi.js';

export const TEST_START = '2026-03-01T09:00:00.000Z';

/** Every JSON line the app logged during one test. */
export class LogSink extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter((l) => l.length > 0));
    done();
  }
  get records(): Array<Record<string, unknown>> {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

export type AppOptions = {
  config?: Partial<Config>;
  passwords?: PasswordHasher;
  /** Routes a test adds before the app is ready (slow or failing handlers). */
  extend?: (app: FastifyInstance) => void;
  /** Share counters with another instance (same Redis prefix or the same memory store). */
  limits?: LimitStore;
  /** The fan-out bus; in-process and private to the app when not given. */
  bus?: Bus;
  live?: Partial<LiveLimits>;
  /** Route-group rate limits other than RATE_LIMITS (they apply only with `config.rateLimitsEnabled`). */
  rateLimits?: Partial<RateLimitSettings>;
  presence?: PresenceStore;
  /** Where mail goes; the outbox table when not given. */
  mailer?: Mailer;
  /** A built web app to serve (a folder with an index.html); none when not given. */
  webRoot?: string;
};

export type TestApp = { app: FastifyInstance; clock: ManualClock; logs: LogSink; limits: LimitStore };

/** A test's own routes without a schema are scaffolding, not the product: keep them out of the document. */
function hideUndocumentedRoutes(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    route.schema ??= { hide: true };
  });
}

/**
 * Every request a test injects, and its response, is checked against the app's own `/openapi.json`:
 * a mismatch rejects the inject with an OpenApiDriftError, so a drift fails whichever test met it.
 */
function checkAgainstOpenApi(app: FastifyInstance): void {
  const inject = app.inject.bind(app);
  let contract: Promise<OpenApiContract> | undefined;
  const load = () =>
    (contract ??= inject({ method: 'GET', url: '/openapi.json' }).then((res) => {
      if (res.statusCode !== 200) throw new OpenApiDriftError(`GET /openapi.json answered ${res.statusCode}`);
      return contractFor(res.body);
    }));
  const checked = async (options: InjectOptions | string, ...rest: unknown[]): Promise<LightMyRequestResponse> => {
    // The chained and callback forms would bypass the check; the suite uses neither.
    if (options === undefined || rest.length > 0) throw new Error('Call inject(options) and await it: other forms are not checked against /openapi.json.');
    const res = await inject(options);
    const drift = (await load()).drift(sentRequest(options), res);
    if (drift.length > 0) throw new OpenApiDriftError(`OpenAPI drift:\n  ${drift.join('\n  ')}\nresponse body: ${res.body.slice(0, 500)}`);
    return res;
  };
  app.inject = checked as unknown as FastifyInstance['inject'];
}

/**
 * Sets up one database per test file (PGlite, or PostgreSQL when DATABASE_URL is set) and a fresh app
 * per test with a manual clock, its own rate-limit counters (memory, or Redis when REDIS_URL is set)
 * and captured logs. Tables are emptied between tests.
 */
export function useTestApp(defaults: AppOptions = {}) {
  let db: TestDatabase;
  let passwords: PasswordHasher;
  let keys: SigningKeys;
  const redis: Redis | null = process.env.REDIS_URL ? new Redis(process.env.REDIS_URL) : null;
  const opened: FastifyInstance[] = [];
  const ctx = {
    current: undefined as unknown as TestApp,
    get app() {
      return ctx.current.app;
    },
    get clock() {
      return ctx.current.clock;
    },
    get logs() {
      return ctx.current.logs;
    },
    get database() {
      return db.database;
    },
    get databaseUrl() {
      return db.url;
    },
    /** A store of counters shared by every app given it: two instances on one Redis (or one memory map). */
    sharedLimits(clock: ManualClock): LimitStore {
      return redis
        ? new RedisLimitStore(redis, clock, `onering:test:${randomBytes(6).toString('hex')}:`)
        : new MemoryLimitStore(clock);
    },
    /** Builds another app instance on the same database. */
    async build(options: AppOptions = {}, clock = new ManualClock(TEST_START)): Promise<TestApp> {
      const logs = new LogSink();
      const limits = options.limits ?? defaults.limits ?? ctx.sharedLimits(clock);
      const config = {
        ...loadConfig({ NODE_ENV: 'test', RATE_LIMITS: 'off', PUBLIC_URL: 'http://onering.test', COOKIE_SECURE: 'true' }),
        ...defaults.config,
        ...options.config,
      };
      const app = await buildApp({
        config,
        database: db.database,
        redis,
        clock,
        limits,
        signingKeys: keys,
        passwords: options.passwords ?? defaults.passwords ?? passwords,
        logger: createLogger('info', logs),
        webRoot: options.webRoot ?? defaults.webRoot ?? null,
        ...(options.bus ? { bus: options.bus } : {}),
        ...(options.live ? { live: options.live } : {}),
        ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
        ...(options.presence ? { presence: options.presence } : {}),
        ...(options.mailer ? { mailer: options.mailer } : {}),
      });
      const extend = options.extend ?? defaults.extend;
      if (extend) {
        hideUndocumentedRoutes(app);
        extend(app);
      }
      await app.ready();
      checkAgainstOpenApi(app);
      opened.push(app);
      return { app, clock, logs, limits };
    },
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    passwords = await createPasswordHasher();
    keys = generateSigningKeys();
  }, 60_000);

  beforeEach(async () => {
    await db.truncate();
    ctx.current = await ctx.build();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((a) => a.close()));
  });

  afterAll(async () => {
    await redis?.quit();
    await db?.destroy();
  });

  return ctx;
}
