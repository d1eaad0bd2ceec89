import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AuditPageSchema, AuditQuerySchema } from '../../../contract/admin.js';
import type { Db } from '../../db/client.js';
import { BEARER_AUTH, problemResponses } from '../../platform/http.js';
import { readAuditLog } from './service.js';

/** The audit trail, read-only: no route changes or deletes a row (and the database refuses it too). */
export async function auditRoutes(app: FastifyInstance, opts: { deps: { db: Db } }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/v1/admin/audit',
    {
      onRequest: app.requireRole('admin'),
      schema: {
        tags: ['admin'],
        security: BEARER_AUTH,
        description: 'Admins only (404 for anyone else). What admins changed, newest first; every filter optional, `from` inclusive and `to` exclusive.',
        querystring: AuditQuerySchema,
        response: { 200: AuditPageSchema, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => readAuditLog(opts.deps, request.query),
  );
}
