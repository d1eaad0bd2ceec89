import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { MyEntitlementsSchema, PlanListSchema } from '../../../contract/plans.js';
import { BEARER_AUTH, problemResponses } from '../../platform/http.js';
import { listPlans, myEntitlements, type PlansDeps } from './service.js';

const tags = ['plans'];

/** The plan catalogue (public) and the signed-in user's entitlements. */
export async function planRoutes(app: FastifyInstance, opts: { deps: PlansDeps }) {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/plans',
    { schema: { tags, description: 'Every plan and what it allows, in the order they are shown.', response: { 200: PlanListSchema } } },
    async () => listPlans(deps),
  );

  r.get(
    '/v1/me/entitlements',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        security: BEARER_AUTH,
        description: 'My plan and, for each entitlement, its limit, what I use, the grace left and what my next use would get.',
        response: { 200: MyEntitlementsSchema, ...problemResponses(401) },
      },
    },
    async (request) => myEntitlements(deps, request.user!),
  );
}
