import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

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
];

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

/** The JSON logger; query strings are dropped from logged URLs since they may carry tokens. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    redact: { paths: REDACTED_KEYS, censor: '[redacted]' },
    serializers: {
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

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}

function routeLabel(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

/** Echoes the request id, and records latency and errors per route. */
export const observabilityPlugin = fp(async function observability(app: FastifyInstance, opts: { metrics: Metrics }) {
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
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(opts.metrics.registry.contentType);
    return opts.metrics.registry.metrics();
  });
});
