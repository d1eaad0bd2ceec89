import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isConnectionFailure } from '../db/errors.js';

/** One bad input field, as listed in a validation problem. */
export type FieldError = { path: string; message: string };

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

export class TooManyRequestsError extends AppError {
  constructor(code: string, detail: string, retryAfterSeconds: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super(429, code, detail, { headers: { 'retry-after': String(seconds) }, fields: { retryAfterSeconds: seconds } });
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  426: 'Upgrade Required',
  429: 'Too Many Requests',
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
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem, headers: Record<string, string> = {}): FastifyReply {
  return reply.code(problem.status).headers(headers).type('application/problem+json').send(problem);
}

function pathOf(segments: ReadonlyArray<PropertyKey>, prefix: string): string {
  const parts = segments.map((s) => String(s));
  return [prefix, ...parts].filter((p) => p.length > 0).join('.');
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
    const errors = error.validation.map((v) => ({
      path: pathOf(v.instancePath.split('/').filter((p) => p.length > 0), where),
      message: v.message ?? 'Invalid value.',
    }));
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

/** Turns every thrown error and every unknown route into problem+json, hiding 5xx details. */
export const errorHandlerPlugin = fp(async function errorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    let mapped: ReturnType<typeof toProblem>;
    try {
      mapped = toProblem(error, request);
    } catch {
      mapped = { problem: problemBody(request.id, 500, 'internal_error', 'Something went wrong on our side.'), headers: {} };
    }
    const { problem, headers } = mapped;
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: problem.code, status: problem.status }, 'request rejected');
    return sendProblem(reply, problem, headers);
  });
});

/** A not-found handler for API paths. */
export function apiNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendProblem(reply, problemBody(request.id, 404, 'not_found', `No route for ${request.method} ${request.url.split('?')[0]}.`));
}
