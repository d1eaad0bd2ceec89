import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParamsSchema } from '../../../contract/common.js';
import { AppendEventBodySchema, DraftEventSchema, EventListSchema, EventsQuerySchema, type DraftEvent } from '../../../contract/events.js';
import { BEARER_AUTH, problemResponses } from '../../platform/http.js';
import type { DraftsDeps } from '../drafts/service.js';
import { appendClientEvent, listEvents } from './service.js';

const tags = ['events'];

/** The per-draft event log: read it from a `serverSeq`, append client events such as comments. */
export async function eventRoutes(app: FastifyInstance, opts: { deps: DraftsDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/drafts/:id/events',
    {
      onRequest: app.authenticate,
      schema: { tags, security: BEARER_AUTH, params: IdParamsSchema, querystring: EventsQuerySchema, response: { 200: EventListSchema, ...problemResponses(400, 401, 404) } },
    },
    async (request) => listEvents(opts.deps, request.user!, request.params.id, request.query),
  );

  r.post(
    '/v1/drafts/:id/events',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        security: BEARER_AUTH,
        description: 'Appends a client event (known types: comment.added). A retry with the same clientId and clientSeq answers 200 with the stored event.',
        params: IdParamsSchema,
        body: AppendEventBodySchema,
        response: { 200: DraftEventSchema, 201: DraftEventSchema, ...problemResponses(400, 401, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.commit(
        ({ event, created }: { event: DraftEvent; created: boolean }) => ({ status: created ? 201 : 200, body: event }),
        (transact) => appendClientEvent({ ...opts.deps, transact }, request.user!, request.params.id, request.body),
      ),
  );
}
