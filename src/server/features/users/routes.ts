import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { UpdateMeBodySchema, UserSchema } from '../../../contract/auth.js';
import { BEARER_AUTH, problemResponses } from '../../platform/http.js';
import { presentSelf } from './present.js';
import { updateProfile, type UsersDeps } from './service.js';

const tags = ['me'];

/** The signed-in user's own account: `GET /v1/me`, `PATCH /v1/me`. */
export async function meRoutes(app: FastifyInstance, opts: { deps: UsersDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/me',
    { onRequest: app.authenticate, schema: { tags, security: BEARER_AUTH, response: { 200: UserSchema, ...problemResponses(401) } } },
    async (request) => presentSelf(request.user!),
  );

  r.patch(
    '/v1/me',
    {
      onRequest: app.authenticate,
      schema: { tags, security: BEARER_AUTH, body: UpdateMeBodySchema, response: { 200: UserSchema, ...problemResponses(400, 401) } },
    },
    async (request, reply) => reply.commit(200, (transact) => updateProfile({ ...opts.deps, transact }, request.user!, request.body)),
  );
}
