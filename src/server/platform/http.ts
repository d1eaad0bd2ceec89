import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ProblemSchema } from '../../contract/common.js';

/** Documents problem+json answers of a route in OpenAPI: `problemResponses(401, 404)`. */
export function problemResponses<const S extends number>(...statuses: S[]): Record<S, typeof ProblemSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ProblemSchema])) as Record<S, typeof ProblemSchema>;
}

/** OpenAPI: this route takes `Authorization: Bearer <access token>`. */
export const BEARER_AUTH = [{ bearerAuth: [] }];

export const NoContentSchema = z.null().describe('No content');

/** The caller's address and user agent as recorded on sessions. */
export function clientContext(request: FastifyRequest): { ip: string; userAgent: string | null } {
  const ua = request.headers['user-agent'];
  return { ip: request.ip ?? 'unknown', userAgent: typeof ua === 'string' && ua.length > 0 ? ua : null };
}
