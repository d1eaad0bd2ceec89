import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { listen } from './db/notifications.js';
import { findPrincipal } from './features/auth/repo.js';
import { adminUserRoutes } from './features/admin/users-routes.js';
import { createAiGateway } from './features/ai/gateway.js';
import { analyticsRoutes } from './features/analytics/routes.js';
import { recentAuditFor } from './features/audit/repo.js';
import { auditRoutes } from './features/audit/routes.js';
import { authRoutes } from './features/auth/routes.js';
import type { PasswordHasher } from './features/auth/passwords.js';
import { AuthThrottle } from './features/auth/throttle.js';
import { mirrorRoutes } from './features/coach/mirror-routes.js';
import { turnRoutes } from './features/coach/turn-routes.js';
import { draftRoutes } from './features/drafts/routes.js';
import { transferRoutes } from './features/drafts/transfer-routes.js';
import { eventRoutes } from './features/events/routes.js';
import { healthRoutes } from './features/health/routes.js';
import { inviteRoutes } from './features/invites/routes.js';
import { MemoryPresenceStore, type PresenceStore } from './features/live/presence.js';
import { DEFAULT_LIVE_LIMITS, type LiveLimits } from './features/live/socket.js';
import { lensRoutes } from './features/lens/routes.js';
import { liveRoutes } from './features/live/routes.js';
import { momentumRoutes } from './features/momentum/routes.js';
import { personalShareRoutes } from './features/sharing/personal-routes.js';
import { CardImages } from './features/sharing/renderer.js';
import { sharingRoutes } from './features/sharing/routes.js';
import { adminPlanRoutes } from './features/plans/admin-routes.js';
import { createEnforcer, decisionCounter } from './features/plans/enforce.js';
import { planRoutes } from './features/plans/routes.js';
import { meRoutes } from './features/users/routes.js';
import { AccessTokens } from './platform/access-tokens.js';
import { authPlugin } from './platform/auth.js';
import { BackgroundTasks } from './platform/background-tasks.js';
import { MemoryBus, type Bus } from './platform/bus.js';
import type { Clock } from './platform/clock.js';
import { apiNotFound, BadRequestError, errorHandlerPlugin, handleClientError, handleError, shuttingDownPlugin } from './platform/errors.js';
import { documentProblems } from './platform/http.js';
import { idempotencyPlugin } from './platform/idempotency.js';
import { generationIdempotencyPlugin } from './platform/idempotency-generation.js';
import { transformDocument, transformRouteSchema } from './platform/openapi.js';
import { PRINCIPAL_CHANNEL, PrincipalCache } from './platform/principal-cache.js';
import { RateLimiter, type LimitStore } from './platform/limits.js';
import { RATE_LIMITS, rateLimitsPlugin, RouteLimits, type RateLimitSettings, usageCountersFor } from './platform/rate-limits.js';
import { securityHeadersPlugin } from './platform/security-headers.js';
import { decodeUtf8, textInputPlugin, unsupportedCharset, unsupportedEncoding } from './platform/text-input.js';
import { DEV_MAILBOX_PATH, devMailboxRoutes } from './platform/dev-mailbox.js';
import { OutboxMailer, SmtpMailer, type Mailer } from './platform/mailer.js';
import { compiledSerializerCompiler } from './platform/serializer.js';
import { AccessLogController, Metrics, observabilityPlugin, requestIdFor } from './platform/observability.js';
import type { SigningKeys } from './platform/signing-keys.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Work that runs after a response (reset mails); closing the app waits for it. */
    backgroundTasks: BackgroundTasks;
  }
}

/** Everything the app needs from outside; tests pass their own clock, stores and log sink. */
export type AppDeps = {
  config: Config;
  database: Database;
  redis: Redis | null;
  clock: Clock;
  limits: LimitStore;
  signingKeys: SigningKeys;
  passwords: PasswordHasher;
  logger: Logger;
  mailer?: Mailer;
  /** Fan-out between instances; in-process when not given. */
  bus?: Bus;
  /** Route-group rate limits other than RATE_LIMITS (tests shrink them). */
  rateLimits?: Partial<RateLimitSettings>;
  /** Live-channel limits other than the defaults (tests shorten or shrink them). */
  live?: Partial<LiveLimits>;
  /** Who is on which draft; in-process when not given. */
  presence?: PresenceStore;
  /** The built web app to serve; null serves the API alone. */
  webRoot: string | null;
  isShuttingDown?: () => boolean;
};

/** How many of the audit rows about a user the admin's view of that user shows. */
const RECENT_AUDIT_ROWS = 20;

const API_PREFIXES = ['/v1/', '/healthz', '/readyz', '/metrics', '/openapi.json', '/docs', DEV_MAILBOX_PATH];

/** The composition root: platform plugins first, then each feature, then the web app. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database, clock } = deps;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    genReqId: requestIdFor,
    logController: new AccessLogController(),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    forceCloseConnections: 'idle',
    // Each of these would answer in Fastify's own JSON shape; errors.ts answers problem+json instead.
    return503OnClosing: false,
    frameworkErrors: handleError,
    clientErrorHandler: handleClientError,
  });
  const isShuttingDown = deps.isShuttingDown ?? (() => false);
  // While draining, each finished response closes its keep-alive socket so close() is not held open.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (isShuttingDown()) reply.header('connection', 'close');
    done(null, payload);
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(compiledSerializerCompiler({ checkAgainstZod: config.nodeEnv !== 'production' }));
  app.addHook('onRoute', documentProblems);
  // The API speaks JSON only; anything else is answered 415 instead of reaching validation as a string.
  app.removeContentTypeParser('text/plain');
  // Many clients send `Content-Type: application/json` with no body on bodiless POSTs (publish, logout-all):
  // treat that as no body rather than as malformed JSON. Everything else keeps Fastify's safe parser.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const refused = unsupportedCharset(request.headers['content-type']) ?? unsupportedEncoding(request.headers['content-encoding']);
    if (refused) return done(refused, undefined);
    if (body.length === 0) return done(null, undefined);
    // Decoding leniently would store U+FFFD in place of each broken byte sequence: refuse the body instead.
    const text = decodeUtf8(body as Buffer);
    if (text === null) return done(new BadRequestError('malformed_json', 'The request body is not valid UTF-8.'), undefined);
    return parseJson(request, text, done);
  });

  await app.register(errorHandlerPlugin);
  const metrics = new Metrics();
  const limiter = new RateLimiter(deps.limits, config.rateLimitsEnabled);
  const routeLimits = new RouteLimits(limiter, clock, { ...RATE_LIMITS, ...deps.rateLimits }, (group) => metrics.rateLimited.inc({ group }));
  // Before any route, so that every route gets its group.
  await app.register(rateLimitsPlugin, { limits: routeLimits, metrics });
  await app.register(shuttingDownPlugin, { isShuttingDown });
  await app.register(textInputPlugin);
  await app.register(observabilityPlugin, { metrics, metricsToken: config.metricsToken });
  await app.register(securityHeadersPlugin);
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'OneRing API', version: '1.0.0', description: 'Write social threads together.' },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: transformRouteSchema,
    transformObject: transformDocument,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const tokens = new AccessTokens(deps.signingKeys, clock, config.accessTokenTtlSeconds);
  const principals = new PrincipalCache((userId, sessionId) => findPrincipal(database.db, userId, sessionId));
  const principalChannel = await listen(database, PRINCIPAL_CHANNEL, principals);
  app.addHook('onClose', () => principalChannel.close());
  await app.register(authPlugin, { tokens, loadPrincipal: principals.loader, beforeRefusing: (request) => app.limitFailedAuthentication(request) });
  await app.register(idempotencyPlugin, { db: database.db, clock, crashAfterCommitKey: config.crashAfterCommitKey });
  await app.register(generationIdempotencyPlugin, { db: database.db, clock });

  const tasks = new BackgroundTasks(app.log);
  app.decorate('backgroundTasks', tasks);
  const mailer: Mailer =
    deps.mailer ?? (config.smtpUrl ? new SmtpMailer(config.smtpUrl, config.mailFrom, app.log) : new OutboxMailer(database.db, clock, app.log));
  // The mails still being sent by background tasks go out before the mailer closes.
  app.addHook('onClose', async () => {
    await tasks.idle();
    await mailer.close?.();
  });
  if (config.nodeEnv !== 'production' && !config.smtpUrl) await app.register(devMailboxRoutes, { db: database.db });

  // The only way to a model: features get it as `deps.ai`. Closing the app stops its sweep.
  const ai = createAiGateway({ db: database.db, clock, config: config.ai, registry: metrics.registry, logger: deps.logger });
  app.addHook('onClose', () => ai.close());

  await app.register(healthRoutes, {
    deps: { database, redis: deps.redis, isListening: () => principalChannel.listening, ai },
  });
  await app.register(authRoutes, {
    cookieSecure: config.cookieSecure,
    deps: {
      db: database.db,
      clock,
      tokens,
      passwords: deps.passwords,
      mailer,
      throttle: new AuthThrottle(limiter, clock),
      tasks,
      settings: { adminEmails: config.adminEmails, refreshTokenTtlDays: config.refreshTokenTtlDays, publicUrl: config.publicUrl },
    },
  });
  await app.register(meRoutes, { deps: { db: database.db, clock } });
  const bus = deps.bus ?? new MemoryBus();
  const enforce = createEnforcer(decisionCounter(metrics.registry));
  await app.register(planRoutes, { deps: { db: database.db, clock } });
  await app.register(adminPlanRoutes, {
    deps: {
      db: database.db,
      clock,
      recentAuditFor: (userId, db) => recentAuditFor(db, 'user', userId, RECENT_AUDIT_ROWS),
      // The counters are a view, not a record: when the limit store cannot be reached the admin's change and
      // view go ahead without them (the limits themselves also let requests through then).
      usageCountersFor: (userId) =>
        usageCountersFor(deps.limits, userId, clock.now()).catch((error: unknown) => {
          app.log.warn({ err: error }, 'usage counters unavailable');
          return [];
        }),
    },
  });
  const draftsDeps = { database, db: database.db, clock, bus, enforce };
  await app.register(draftRoutes, { deps: draftsDeps });
  await app.register(transferRoutes, { deps: draftsDeps });
  await app.register(eventRoutes, { deps: draftsDeps });
  await app.register(inviteRoutes, { deps: { ...draftsDeps, publicUrl: config.publicUrl } });
  await app.register(momentumRoutes, { deps: { db: database.db, clock } });
  const webIndex = webIndexOf(deps.webRoot);
  const sharingDeps = { db: database.db, clock, publicUrl: config.publicUrl, images: new CardImages() };
  await app.register(sharingRoutes, { deps: sharingDeps });
  await app.register(personalShareRoutes, { deps: { ...sharingDeps, webIndex } });
  await app.register(analyticsRoutes, { deps: { database, clock, enforce } });
  const coachDeps = { db: database.db, clock, ai, enforce };
  await app.register(turnRoutes, { deps: coachDeps });
  await app.register(mirrorRoutes, { deps: coachDeps });
  await app.register(lensRoutes, { deps: { db: database.db, clock, enforce } });
  await app.register(adminUserRoutes, { deps: { db: database.db, clock } });
  await app.register(auditRoutes, { deps: { db: database.db } });
  await app.register(liveRoutes, {
    deps: {
      ...draftsDeps,
      tokens,
      loadPrincipal: principals.loader,
      watchPrincipals: (handler) => principals.watch(handler),
      ...DEFAULT_LIVE_LIMITS,
      maxSocketsPerUser: config.liveMaxSocketsPerUser,
      maxSocketsPerIp: config.liveMaxSocketsPerIp,
      admitUser: (userId: string) => routeLimits.admit('live', { userId }),
      ...deps.live,
      presence: deps.presence ?? new MemoryPresenceStore(),
      log: app.log,
    },
  });

  await registerWebApp(app, webIndex === null ? null : deps.webRoot);
  return app;
}

/** The built web app's index.html, or null when there is none to serve. */
function webIndexOf(webRoot: string | null): string | null {
  const index = webRoot ? join(webRoot, 'index.html') : null;
  return index !== null && existsSync(index) ? index : null;
}

/** Serves the built single-page app (null: none), falling back to index.html for its client-side routes. */
async function registerWebApp(app: FastifyInstance, webRoot: string | null): Promise<void> {
  if (webRoot !== null) await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: false });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const isApi = API_PREFIXES.some((p) => path.startsWith(p));
    if (webRoot === null || isApi || (request.method !== 'GET' && request.method !== 'HEAD')) return apiNotFound(request, reply);
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
