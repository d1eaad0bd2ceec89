import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AdminPlanListSchema,
  AdminUserDetailSchema,
  CreateOverrideBodySchema,
  EntitlementOverrideListSchema,
  EntitlementOverrideSchema,
  OverrideListQuerySchema,
  ResetGraceBodySchema,
  SetEnforcementBodySchema,
  SetPlanBodySchema,
} from '../../../contract/admin.js';
import { IdParamsSchema } from '../../../contract/common.js';
import { PlanIdSchema, PlanSchema } from '../../../contract/plans.js';
import { BEARER_AUTH, NoContentSchema, problemResponses } from '../../platform/http.js';
import * as admin from './admin-service.js';
import { listPlans } from './service.js';

const tags = ['admin'];
const PlanParamsSchema = z.object({ id: PlanIdSchema });

/** The admin who acts and the request, for the audit row. */
const who = (request: FastifyRequest): admin.AdminActor => ({ actor: request.user!, requestId: request.id });

/** Admin: a user's plan and grace, entitlement overrides, plans' enforcement. Everyone else gets 404. */
export async function adminPlanRoutes(app: FastifyInstance, opts: { deps: admin.AdminPlansDeps }) {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const onlyAdmins = { onRequest: app.requireRole('admin') };
  const schema = { tags, security: BEARER_AUTH };

  r.get(
    '/v1/admin/users/:id',
    {
      ...onlyAdmins,
      schema: {
        ...schema,
        description: "A user's plan, entitlements, overrides, active sessions, usage counters and recent audit.",
        params: IdParamsSchema,
        response: { 200: AdminUserDetailSchema, ...problemResponses(404) },
      },
    },
    async (request) => admin.userDetail(deps, request.params.id),
  );

  r.put(
    '/v1/admin/users/:id/plan',
    {
      ...onlyAdmins,
      schema: {
        ...schema,
        description: "Moves a user to a plan; a change of plan gives back the grace they took. Answers the user's view.",
        params: IdParamsSchema,
        body: SetPlanBodySchema,
        response: { 200: AdminUserDetailSchema, ...problemResponses(404) },
      },
    },
    async (request, reply) =>
      reply.commit(200, (transact) => admin.setUserPlan({ ...deps, transact }, who(request), request.params.id, request.body.plan)),
  );

  r.post(
    '/v1/admin/users/:id/grace/reset',
    {
      ...onlyAdmins,
      schema: {
        ...schema,
        description: "Gives back the grace a user took: of one entitlement (`key`) or of all. Answers the user's view.",
        params: IdParamsSchema,
        body: ResetGraceBodySchema,
        response: { 200: AdminUserDetailSchema, ...problemResponses(404) },
      },
    },
    async (request, reply) =>
      reply.commit(200, (transact) => admin.resetGrace({ ...deps, transact }, who(request), request.params.id, request.body.key)),
  );

  r.get(
    '/v1/admin/entitlements/overrides',
    {
      ...onlyAdmins,
      schema: {
        ...schema,
        description: "A user's overrides, expired ones included (checks ignore those).",
        querystring: OverrideListQuerySchema,
        response: { 200: EntitlementOverrideListSchema, ...problemResponses(404) },
      },
    },
    async (request) => admin.listOverrides(deps, request.query.userId),
  );

  r.post(
    '/v1/admin/entitlements/overrides',
    {
      ...onlyAdmins,
      schema: {
        ...schema,
        description: "Replaces one entitlement's value for one user, until `expiresAt` or until deleted; replaces the user's override of that key.",
        body: CreateOverrideBodySchema,
        response: { 201: EntitlementOverrideSchema, ...problemResponses(404) },
      },
    },
    async (request, reply) => reply.commit(201, (transact) => admin.createOverride({ ...deps, transact }, who(request), request.body)),
  );

  r.delete(
    '/v1/admin/entitlements/overrides/:id',
    {
      ...onlyAdmins,
      schema: { ...schema, params: IdParamsSchema, response: { 204: NoContentSchema, ...problemResponses(404) } },
    },
    async (request, reply) => reply.commit(204, (transact) => admin.deleteOverride({ ...deps, transact }, who(request), request.params.id)),
  );

  r.get(
    '/v1/admin/plans',
    { ...onlyAdmins, schema: { ...schema, response: { 200: AdminPlanListSchema, ...problemResponses(404) } } },
    async () => listPlans(deps),
  );

  r.put(
    '/v1/admin/plans/:id/enforcement',
    {
      ...onlyAdmins,
      schema: {
        ...schema,
        description: 'Turns a plan\'s enforcement on or off. Off: uses past a limit are allowed and counted as WARN_ONLY.',
        params: PlanParamsSchema,
        body: SetEnforcementBodySchema,
        response: { 200: PlanSchema, ...problemResponses(404) },
      },
    },
    async (request, reply) =>
      reply.commit(200, (transact) => admin.setEnforcement({ ...deps, transact }, who(request), request.params.id, request.body.enabled)),
  );
}
