import { STATUS_CODES } from 'node:http';
import type { FastifyRequest, RouteOptions } from 'fastify';
import { z } from 'zod';
import { ProblemSchema } from '../../contract/common.js';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

type ProblemResponse = { description: string; content: { [PROBLEM_MEDIA_TYPE]: { schema: typeof ProblemSchema } } };

/** Documents problem+json answers of a route in OpenAPI: `problemResponses(401, 404)`. */
export function problemResponses<const S extends number>(...statuses: S[]): Record<S, ProblemResponse> {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: STATUS_CODES[s] ?? 'Error', content: { [PROBLEM_MEDIA_TYPE]: { schema: ProblemSchema } } }]),
  ) as Record<S, ProblemResponse>;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * onRoute hook: adds to a documented route the problem answers that follow from its shape, so each route
 * declares only its own (403, 404, 409 …). Any route: 429 (every route belongs to a rate-limit group, see
 * rate-limits.ts), 500, 503 (shutting down, database down). Path
 * parameters: 400 (bad encoding, invalid value), 414 (too long). A query or body: 400. A mutation: 400
 * (malformed JSON, bad Idempotency-Key), 413, 415. Bearer-authenticated: 401, and for a mutation the
 * Idempotency-Key answers 409 (still in progress) and 422 (reused with another body).
 */
export function documentProblems(route: RouteOptions): void {
  const schema = route.schema;
  if (!schema || schema.hide) return;
  const mutating = [route.method].flat().some((m) => MUTATING.has(m));
  const authenticated = Array.isArray(schema.security) && schema.security.length > 0;
  const statuses = new Set([429, 500, 503]);
  if (schema.params) [400, 414].forEach((s) => statuses.add(s));
  if (schema.querystring || schema.body) statuses.add(400);
  if (mutating) [400, 413, 415].forEach((s) => statuses.add(s));
  if (authenticated) statuses.add(401);
  if (authenticated && mutating) [409, 422].forEach((s) => statuses.add(s));
  schema.response = { ...problemResponses(...statuses), ...(schema.response as object | undefined) };
}

/** OpenAPI: this route takes `Authorization: Bearer <access token>`. */
export const BEARER_AUTH = [{ bearerAuth: [] }];

export const NoContentSchema = z.null().describe('No content');

/** The body of an action that takes no input: clients may send `{}` or nothing. */
export const EmptyBodySchema = z.strictObject({}).nullish();

/** The caller's address and user agent as recorded on sessions. */
export function clientContext(request: FastifyRequest): { ip: string; userAgent: string | null } {
  const ua = request.headers['user-agent'];
  return { ip: request.ip ?? 'unknown', userAgent: typeof ua === 'string' && ua.length > 0 ? ua : null };
}

/** OpenAPI: this route takes a bearer token and also answers without one. */
export const OPTIONAL_BEARER_AUTH: Array<Record<string, string[]>> = [{ bearerAuth: [] }, {}];
