import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  AdminUserPageSchema,
  AdminUserQuerySchema,
  AdminUserSummarySchema,
  RevokedSessionsSchema,
  SetRoleBodySchema,
} from '../../../contract/admin.js';
import { IdParamsSchema } from '../../../contract/common.js';
import { BEARER_AUTH, EmptyBodySchema, problemResponses } from '../../platform/http.js';
import * as admin from './users-service.js';

const actorOf = (request: FastifyRequest): admin.AdminActor => ({ user: request.user!, requestId: request.id });

/** Admin console: finding users, their role, ending their sessions. Admins only; anyone else gets 404. */
export async function adminUserRoutes(app: FastifyInstance, opts: { deps: admin.AdminDeps }) {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const guard = { onRequest: app.requireRole('admin') };
  const schema = { tags: ['admin'], security: BEARER_AUTH };

  r.get(
    '/v1/admin/users',
    {
      ...guard,
      schema: {
        ...schema,
        description: 'Admins only. Users whose email or display name contains `q` (any case), on `plan`, newest first.',
        querystring: AdminUserQuerySchema,
        response: { 200: AdminUserPageSchema, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => admin.searchUsers(deps, request.query),
  );

  r.put(
    '/v1/admin/users/:id/role',
    {
      ...guard,
      schema: {
        ...schema,
        description: 'Admins only. Sets the user\'s role (audited as `user.role_set`); the last admin cannot be demoted (409 `last_admin`).',
        params: IdParamsSchema,
        body: SetRoleBodySchema,
        response: { 200: AdminUserSummarySchema, ...problemResponses(400, 401, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.commit(200, (transact) => admin.setUserRole({ ...deps, transact }, actorOf(request), request.params.id, request.body.role)),
  );

  r.post(
    '/v1/admin/users/:id/sessions/revoke',
    {
      ...guard,
      schema: {
        ...schema,
        description: 'Admins only. Ends every session of the user on every instance (audited as `user.sessions_revoked`).',
        params: IdParamsSchema,
        body: EmptyBodySchema,
        response: { 200: RevokedSessionsSchema, ...problemResponses(400, 401, 404) },
      },
    },
    async (request, reply) => reply.commit(200, (transact) => admin.revokeUserSessions({ ...deps, transact }, actorOf(request), request.params.id)),
  );
}
