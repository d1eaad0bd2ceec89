import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreateMirrorSessionBodySchema,
  MirrorExchangeSchema,
  MirrorMessagePageSchema,
  MirrorSessionPageSchema,
  MirrorSessionSchema,
  SendMirrorMessageBodySchema,
  type MirrorExchange,
} from '../../../contract/coach.js';
import { IdParamsSchema, PageQuerySchema } from '../../../contract/common.js';
import { BEARER_AUTH, NoContentSchema, problemResponses } from '../../platform/http.js';
import type { CoachDeps } from './deps.js';
import * as mirror from './mirror-service.js';
import { ExchangeStream, wantsEventStream } from './mirror-sse.js';

const tags = ['coach'];
const EVENT_STREAM = {
  description:
    'With `Accept: text/event-stream`: Server-Sent Events. `event: message` (the stored user message), `event: delta` with `{ "text" }` as the reply arrives, ' +
    'then `event: done` with the stored reply (a MirrorMessage), or `event: error` with a problem body.',
  content: { 'text/event-stream': { schema: z.string() } },
};

/** Mirror: reflective chat sessions about the user's writing, and their messages (JSON or streamed). */
export async function mirrorRoutes(app: FastifyInstance, opts: { deps: CoachDeps }) {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = { onRequest: app.authenticate };
  const schema = { tags, security: BEARER_AUTH };

  r.post(
    '/v1/coach/mirror/sessions',
    {
      ...auth,
      schema: {
        ...schema,
        description: 'Starts a session, optionally about one of my drafts (its text is the coach\'s context). Counts against `coach.mirror_sessions_per_week` (403 quota_exceeded). No body is the same as `{}`.',
        body: CreateMirrorSessionBodySchema.nullish(),
        response: { 201: MirrorSessionSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.commit(201, (transact) => mirror.createSession({ ...deps, transact }, request.user!, request.body ?? {})),
  );

  r.get(
    '/v1/coach/mirror/sessions',
    {
      ...auth,
      schema: { ...schema, description: 'My sessions, most recent activity first.', querystring: PageQuerySchema, response: { 200: MirrorSessionPageSchema, ...problemResponses(400, 401) } },
    },
    async (request) => mirror.listSessions(deps, request.user!, request.query),
  );

  r.get(
    '/v1/coach/mirror/sessions/:id',
    { ...auth, schema: { ...schema, description: 'One of my sessions.', params: IdParamsSchema, response: { 200: MirrorSessionSchema, ...problemResponses(400, 401, 404) } } },
    async (request) => mirror.getSession(deps, request.user!, request.params.id),
  );

  r.delete(
    '/v1/coach/mirror/sessions/:id',
    { ...auth, schema: { ...schema, description: 'Deletes one of my sessions and its messages.', params: IdParamsSchema, response: { 204: NoContentSchema, ...problemResponses(400, 401, 404) } } },
    async (request, reply) => reply.commit(204, (transact) => mirror.deleteSession({ ...deps, transact }, request.user!, request.params.id)),
  );

  r.get(
    '/v1/coach/mirror/sessions/:id/messages',
    {
      ...auth,
      schema: {
        ...schema,
        description: 'The messages of one of my sessions, oldest first.',
        params: IdParamsSchema,
        querystring: PageQuerySchema,
        response: { 200: MirrorMessagePageSchema, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => mirror.listMessages(deps, request.user!, request.params.id, request.query),
  );

  r.post(
    '/v1/coach/mirror/sessions/:id/messages',
    {
      ...auth,
      config: { rateLimit: 'coach' },
      schema: {
        ...schema,
        description:
          'Sends a message and answers the coach\'s reply: 201 with both as JSON, or 200 as Server-Sent Events with `Accept: text/event-stream`. ' +
          'When the safety precheck matches, the reply is the safety notice (no model call). 409 mirror_session_full past the session\'s messages; ' +
          '429 ai_budget_exhausted when a daily AI budget is spent; 503 coach_unavailable when no model could answer. A reply cut short (the stream broke, or I left it) is stored with `complete: false`.',
        params: IdParamsSchema,
        body: SendMirrorMessageBodySchema,
        response: { 200: EVENT_STREAM, 201: MirrorExchangeSchema, ...problemResponses(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const send = (phases: Parameters<typeof mirror.sendMessage>[4], options: mirror.SendOptions = {}) =>
        mirror.sendMessage(deps, request.user!, request.params.id, request.body.content, phases, options);
      if (!wantsEventStream(request)) return reply.commitGeneration<MirrorExchange>(201, (phases) => send(phases));
      const stream = new ExchangeStream(reply);
      try {
        return await reply.commitGeneration<MirrorExchange>({ stream: stream.answer }, (phases) =>
          send(phases, { listener: stream.listener, signal: stream.signal }),
        );
      } catch (error) {
        // Once the stream has begun its status is out: the error ends the stream instead.
        if (stream.isStarted) return stream.fail(error);
        throw error;
      }
    },
  );
}
