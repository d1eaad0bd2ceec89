import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema, PageQuerySchema } from '../../../contract/common.js';
import {
  AcceptInviteBodySchema,
  CreatedInviteSchema,
  CreateInviteBodySchema,
  DraftSchema,
  InvitePageSchema,
  InvitePreviewSchema,
} from '../../../contract/drafts.js';
import { BEARER_AUTH, NoContentSchema, problemResponses } from '../../platform/http.js';
import * as invites from './service.js';

const tags = ['invites'];
const InviteParamsSchema = z.object({ id: z.uuid(), inviteId: z.uuid() });
const TokenParamsSchema = z.object({ token: z.string().min(1).max(200) });

/** Invites: owners create, list and revoke them; anyone previews one; a signed-in user accepts it. */
export async function inviteRoutes(app: FastifyInstance, opts: { deps: invites.InvitesDeps }) {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = { onRequest: app.authenticate };
  const schema = { tags, security: BEARER_AUTH };

  r.post(
    '/v1/drafts/:id/invites',
    {
      ...auth,
      schema: {
        ...schema,
        description: 'Creates a one-time invite; `token` appears in this response only. Expiry defaults to 7 days (1 h–30 d).',
        params: IdParamsSchema,
        body: CreateInviteBodySchema.nullish(),
        response: { 201: CreatedInviteSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.commit(201, (transact) => invites.createInvite({ ...deps, transact }, request.user!, request.params.id, request.body?.expiresInHours)),
  );

  r.get(
    '/v1/drafts/:id/invites',
    {
      ...auth,
      schema: { ...schema, params: IdParamsSchema, querystring: PageQuerySchema, response: { 200: InvitePageSchema, ...problemResponses(400, 401, 403, 404) } },
    },
    async (request) => invites.listInvites(deps, request.user!, request.params.id, request.query),
  );

  r.delete(
    '/v1/drafts/:id/invites/:inviteId',
    {
      ...auth,
      schema: { ...schema, params: InviteParamsSchema, response: { 204: NoContentSchema, ...problemResponses(400, 401, 403, 404, 409) } },
    },
    async (request, reply) =>
      reply.commit(204, (transact) => invites.revokeInvite({ ...deps, transact }, request.user!, request.params.id, request.params.inviteId)),
  );

  r.get(
    '/v1/invites/:token/preview',
    {
      config: { secretPath: true },
      schema: { tags, params: TokenParamsSchema, response: { 200: InvitePreviewSchema, ...problemResponses(400, 404, 410) } },
    },
    async (request) => invites.previewInvite(deps, request.params.token),
  );

  r.post(
    '/v1/invites/accept',
    {
      ...auth,
      schema: {
        ...schema,
        description: "Joins the draft through an invite. A new collaborator counts against the draft owner's `collaborators.max` (403 quota_exceeded past it and its grace).",
        body: AcceptInviteBodySchema,
        response: { 200: DraftSchema, ...problemResponses(400, 401, 403, 404, 409, 410) },
      },
    },
    async (request, reply) => reply.commit(200, (transact) => invites.acceptInvite({ ...deps, transact }, request.user!, request.body.token)),
  );
}
