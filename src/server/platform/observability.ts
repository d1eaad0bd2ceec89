import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { UnauthorizedError } from './errors.js';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Honours a sane incoming X-Request-Id, otherwise makes one. */
export function requestIdFor(req: IncomingMessage): string {
  const header = req.headers['x-request-id'];
  const candidate = Array.isArray(header) ? header[0] : header;
  return candidate && REQUEST_ID_PATTERN.test(candidate) ? candidate : randomUUID();
}

/**
 * Keys that must never reach a log line. Request bodies and headers are not logged at all (see the
 * serializers); this catches such values logged on purpose or by mistake at the top level of a log call.
 * Exact paths only: wildcard paths cost pino several times more per line.
 */
const REDACTED_KEYS = [
  'password',
  'currentPassword',
  'newPassword',
  'passwordHash',
  'refreshToken',
  'accessToken',
  'token',
  'tokenHash',
  'email',
  'secret',
  // The AI provider's key (config.ai.apiKey), wherever a log line might carry it.
  'apiKey',
  '*.apiKey',
  '*.*.apiKey',
  'AI_API_KEY',
];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The path carries a secret (a token): logs show the route's pattern instead of the path. */
    secretPath?: boolean;
  }
}

type LoggedRequest = { method: string; url: string; ip?: string; routeOptions?: { url?: string; config?: { secretPath?: boolean } } };

/**
 * The path to log: without the query string, and as the route pattern when the path itself carries a
 * secret (routes with `config.secretPath`, and the web app's invite links `/ref/<token>`).
 */
function loggedPath(req: LoggedRequest): string {
  if (req.routeOptions?.config?.secretPath && req.routeOptions.url) return req.routeOptions.url;
  const path = req.url.split('?')[0] ?? '';
  return path.startsWith('/ref/') ? '/ref/:token' : path;
}

type ErrorLike = Error & Record<string, unknown>;

function isErrorLike(value: unknown): value is ErrorLike {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

function causeChain(error: ErrorLike): ErrorLike[] {
  const chain = [error];
  for (let next = error.cause; isErrorLike(next) && chain.length < 5 && !chain.includes(next); next = next.cause) chain.push(next);
  return chain;
}

// pg and PGlite errors carry `severity`; Drizzle's wrapper and PGlite's errors carry the statement and its parameters.
const isFromDatabase = (e: ErrorLike) => typeof e.severity === 'string' || 'query' in e || 'params' in e;

/** What a database error may tell a log: never its statement, parameters, DETAIL (which cites key values) or context. */
const DATABASE_ERROR_FIELDS = ['code', 'severity', 'schema', 'table', 'column', 'dataType', 'constraint', 'routine'] as const;

/** PostgreSQL quotes the values it cites in a message (`invalid input syntax for type uuid: "…"`). */
function withoutLiterals(message: string): string {
  return message.replace(/"(?:[^"]|"")*"|'(?:[^']|'')*'/g, '"?"').slice(0, 500);
}

/**
 * Errors as log fields. A failed query (pg, PGlite, Drizzle) is logged as its innermost error's type,
 * SQLSTATE, message without quoted values, and the schema names PostgreSQL reports, with the stack of
 * where it was thrown: its statement, parameters and details can hold passwords, hashes, tokens and
 * emails. Other errors keep pino's standard form.
 */
export function serializeError(error: unknown): unknown {
  if (!isErrorLike(error)) return error;
  const chain = causeChain(error);
  if (!chain.some(isFromDatabase)) return pino.stdSerializers.err(error);
  const root = chain[chain.length - 1]!;
  const fields: Record<string, unknown> = {
    // pg names its class `error` and PGlite's is minified: a server-reported error is a DatabaseError.
    type: typeof root.severity === 'string' ? 'DatabaseError' : (root.constructor?.name ?? root.name),
    message: withoutLiterals(root.message),
  };
  for (const key of DATABASE_ERROR_FIELDS) if (typeof root[key] === 'string') fields[key] = root[key];
  if (chain.length > 1) fields.wrappedBy = chain.slice(0, -1).map((e) => e.constructor?.name ?? e.name);
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return { ...fields, stack: frames.join('\n') };
}

/** The JSON logger; query strings are dropped from logged URLs since they may carry tokens. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    redact: { paths: REDACTED_KEYS, censor: '[redacted]' },
    serializers: {
      err: serializeError,
      req(req: LoggedRequest) {
        return { method: req.method, url: loggedPath(req), ip: req.ip };
      },
      res(res: { statusCode: number }) {
        return { statusCode: res.statusCode };
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** One access-log line per request, written when it completes (Fastify's default writes two). */
export class AccessLogController extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'requestId' });
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { req: request, res: reply, responseTime: Math.round(reply.elapsedTime * 100) / 100 };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

/** Per-app Prometheus registry and the HTTP metrics every route reports into. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly httpErrors = new Counter({
    name: 'http_errors_total',
    help: 'HTTP responses with status >= 400 by route and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'rate_limited_total',
    help: 'Requests and live connections refused with 429 (or close 4429) by the route group whose limit refused them',
    labelNames: ['group'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}

function routeLabel(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Whether the Authorization header carries this bearer token. Both sides are hashed first, so the
 * comparison takes the same time whatever the length or the first differing byte of the guess.
 */
function carriesBearer(header: string | undefined, token: string): boolean {
  const sent = /^Bearer (\S+)$/i.exec(header ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(sent), digest(token));
}

/**
 * Echoes the request id, and records latency and errors per route. With a `metricsToken`, `/metrics`
 * answers only its bearer (Prometheus' `authorization: { credentials }`), since the route labels and
 * counts describe the service to anyone who can read them.
 */
export const observabilityPlugin = fp(async function observability(app: FastifyInstance, opts: { metrics: Metrics; metricsToken?: string | undefined }) {
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const labels = { method: request.method, route: routeLabel(request), status_code: String(reply.statusCode) };
    opts.metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    if (reply.statusCode >= 400) opts.metrics.httpErrors.inc(labels);
    done();
  });
  const { metricsToken } = opts;
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (metricsToken !== undefined && !carriesBearer(request.headers.authorization, metricsToken)) {
      throw new UnauthorizedError('unauthorized', 'Send "Authorization: Bearer <METRICS_TOKEN>" to read the metrics.');
    }
    reply.type(opts.metrics.registry.contentType);
    return opts.metrics.registry.metrics();
  });
});
