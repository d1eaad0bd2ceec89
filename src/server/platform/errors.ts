import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isConnectionFailure } from '../db/errors.js';

/** One bad input field, as listed in a validation problem. */
export type FieldError = { path: string; message: string };

/** A problem lists at most this many fields: a crafted body must not turn a small request into a huge answer. */
export const MAX_FIELD_ERRORS = 20;

/** An error the API answers on purpose: a status, a stable snake_case code and a human detail. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string>; fields?: Record<string, unknown> } = {},
  ) {
    super(detail);
    this.name = 'AppError';
  }
}

export class BadRequestError extends AppError {
  constructor(code: string, detail: string, errors?: FieldError[]) {
    super(400, code, detail, { errors });
  }
}

export class ValidationError extends AppError {
  constructor(errors: FieldError[], detail = 'The request has invalid fields.') {
    super(400, 'validation_failed', detail, { errors });
  }
}

export class UnauthorizedError extends AppError {
  constructor(code = 'unauthorized', detail = 'Authentication is required.') {
    super(401, code, detail, { headers: { 'www-authenticate': 'Bearer' } });
  }
}

export class ForbiddenError extends AppError {
  constructor(code = 'forbidden', detail = 'You are not allowed to do this.') {
    super(403, code, detail);
  }
}

export class NotFoundError extends AppError {
  constructor(code = 'not_found', detail = 'Nothing was found here.') {
    super(404, code, detail);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, detail: string) {
    super(409, code, detail);
  }
}

/**
 * A 429: `Retry-After` and `retryAfterSeconds` say when to come back, `limit` names the route group whose
 * limit refused it (platform/rate-limits.ts), so clients and dashboards can tell them apart.
 */
export class TooManyRequestsError extends AppError {
  /** Whole seconds, at least 1. */
  readonly retryAfterSeconds: number;

  constructor(
    code: string,
    detail: string,
    retryAfterSeconds: number,
    readonly limit: string,
  ) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super(429, code, detail, { headers: { 'retry-after': String(seconds) }, fields: { limit, retryAfterSeconds: seconds } });
    this.retryAfterSeconds = seconds;
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The problem+json body (RFC 9457) every error answers with. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId: string;
  errors?: FieldError[];
  [extra: string]: unknown;
};

export function problemBody(
  requestId: string,
  status: number,
  code: string,
  detail: string,
  errors?: FieldError[],
  fields?: Record<string, unknown>,
): Problem {
  return {
    ...fields,
    type: `https://onering.dev/problems/${code.replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    requestId,
    ...(errors && errors.length > 0 ? { errors: errors.slice(0, MAX_FIELD_ERRORS) } : {}),
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem, headers: Record<string, string> = {}): FastifyReply {
  return reply.code(problem.status).headers(headers).type('application/problem+json').send(problem);
}

function pathOf(segments: ReadonlyArray<PropertyKey>, prefix: string): string {
  const parts = segments.map((s) => String(s));
  return [prefix, ...parts].filter((p) => p.length > 0).join('.');
}

type BranchIssue = { code: string; path: PropertyKey[]; message: string };

/**
 * What a value failed a union (one shape or another) on, as the issues of the shape it came closest to: one
 * whose fields it has, with the fewest issues. "Invalid input" alone would not say which field to fix.
 */
function closestBranch(branches: unknown): BranchIssue[] | null {
  if (!Array.isArray(branches) || branches.length === 0) return null;
  const foreignFields = (issues: BranchIssue[]) => (issues.some((i) => i.code === 'unrecognized_keys') ? 1 : 0);
  const sorted = [...(branches as BranchIssue[][])].sort((a, b) => foreignFields(a) - foreignFields(b) || a.length - b.length);
  return sorted[0]!.length > 0 ? sorted[0]! : null;
}

/** Maps Fastify's own error codes (parser, limits, routing) to our stable codes. */
const FRAMEWORK_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_json', detail: 'The request body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed_json', detail: 'The JSON body is empty.' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', detail: 'The request body is too large.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    detail: 'Send the body as application/json.',
  },
  FST_ERR_BAD_URL: { status: 400, code: 'malformed_url', detail: 'The path is not valid percent-encoded UTF-8.' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'uri_too_long', detail: 'A segment of the path is too long.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'invalid_content_length',
    detail: 'The Content-Length header does not match the body.',
  },
};

/** How long a client is told to wait after the database connection was lost: the pool reconnects at once. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

function toProblem(error: FastifyError | AppError, request: FastifyRequest): { problem: Problem; headers: Record<string, string> } {
  const id = request.id;
  if (error instanceof AppError) {
    return {
      problem: problemBody(id, error.status, error.code, error.detail, error.extra.errors, error.extra.fields),
      headers: error.extra.headers ?? {},
    };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'body';
    const errors = error.validation.flatMap((v) => {
      const at = v.instancePath.split('/').filter((p) => p.length > 0);
      const issues = v.keyword === 'invalid_union' ? closestBranch(v.params.errors) : null;
      if (issues) return issues.map((issue) => ({ path: pathOf([...at, ...issue.path], where), message: issue.message }));
      return [{ path: pathOf(at, where), message: v.message ?? 'Invalid value.' }];
    });
    return { problem: problemBody(id, 400, 'validation_failed', 'The request has invalid fields.', errors), headers: {} };
  }
  if (isConnectionFailure(error)) {
    return {
      problem: problemBody(id, 503, 'database_unavailable', 'The database cannot be reached right now. Try again shortly.'),
      headers: { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) },
    };
  }
  if (!isResponseSerializationError(error)) {
    const known = error.code ? FRAMEWORK_ERRORS[error.code] : undefined;
    if (known) return { problem: problemBody(id, known.status, known.code, known.detail), headers: {} };
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = status === 429 ? 'rate_limited' : 'bad_request';
      return { problem: problemBody(id, status, code, error.message), headers: {} };
    }
  }
  return {
    problem: problemBody(id, 500, 'internal_error', 'Something went wrong on our side. Try again; quote the request id if it persists.'),
    headers: {},
  };
}

/**
 * Answers any error as problem+json, hiding 5xx details. The app's error handler, and Fastify's
 * `frameworkErrors` (bad or too long URLs, found by the router before any route runs).
 */
export function handleError(error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  let mapped: ReturnType<typeof toProblem>;
  try {
    mapped = toProblem(error, request);
  } catch {
    mapped = { problem: problemBody(request.id, 500, 'internal_error', 'Something went wrong on our side.'), headers: {} };
  }
  const { problem, headers } = mapped;
  if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: problem.code, status: problem.status }, 'request rejected');
  // Router errors are answered outside any route, where the onSend hook that sets it does not run.
  reply.header('x-request-id', request.id);
  return sendProblem(reply, problem, headers);
}

/** Turns every thrown error and every unknown route into problem+json. */
export const errorHandlerPlugin = fp(async function errorHandler(app: FastifyInstance) {
  app.setErrorHandler(handleError);
});

/** Seconds a client is told to wait before retrying elsewhere when this instance drains. */
const SHUTDOWN_RETRY_AFTER_SECONDS = 1;

/**
 * Answers requests that arrive while the instance drains (on a connection kept alive from before)
 * 503 shutting_down; Fastify's own `return503OnClosing` answer is not problem+json, so it is turned off.
 */
export const shuttingDownPlugin = fp(async function shuttingDown(app: FastifyInstance, opts: { isShuttingDown: () => boolean }) {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!closing && !opts.isShuttingDown()) return;
    reply.header('connection', 'close');
    return sendProblem(reply, problemBody(request.id, 503, 'shutting_down', 'This instance is shutting down; retry the request.'), {
      'retry-after': String(SHUTDOWN_RETRY_AFTER_SECONDS),
    });
  });
});

/** Malformed HTTP the Node server refuses before Fastify sees a request. */
const CLIENT_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, code: 'headers_too_large', detail: 'The request headers are too large.' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'request_timeout', detail: 'The request took too long to arrive.' },
};

/**
 * Fastify's `clientErrorHandler`: answers a request the HTTP parser refused (headers too large,
 * malformed) with problem+json written on the raw socket, since there is no request to reply to.
 */
export function handleClientError(error: Error & { code?: string }, socket: Socket): void {
  // A reset or closed connection has no one to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = (error.code && CLIENT_ERRORS[error.code]) || { status: 400, code: 'bad_request', detail: 'The request is not valid HTTP.' };
  const requestId = randomUUID();
  const body = JSON.stringify(problemBody(requestId, known.status, known.code, known.detail));
  if (socket.writable) {
    socket.write(
      [
        `HTTP/1.1 ${known.status} ${STATUS_CODES[known.status]}`,
        'content-type: application/problem+json; charset=utf-8',
        `content-length: ${Buffer.byteLength(body)}`,
        `x-request-id: ${requestId}`,
        'x-content-type-options: nosniff',
        'connection: close',
        '',
        body,
      ].join('\r\n'),
    );
  }
  socket.destroy(error);
}

/** A not-found handler for API paths. */
export function apiNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendProblem(reply, problemBody(request.id, 404, 'not_found', `No route for ${request.method} ${request.url.split('?')[0]}.`));
}
