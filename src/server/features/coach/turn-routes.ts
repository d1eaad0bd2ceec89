import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CreateTurnBodySchema, TurnPageSchema, TurnSchema, type Turn } from '../../../contract/coach.js';
import { IdParamsSchema, PageQuerySchema } from '../../../contract/common.js';
import { BEARER_AUTH, problemResponses } from '../../platform/http.js';
import type { CoachDeps } from './deps.js';
import * as turns from './turn-service.js';

const tags = ['coach'];

/** Turn: rewrites of a thought or of a draft's post that fit the platform, and the user's history of them. */
export async function turnRoutes(app: FastifyInstance, opts: { deps: CoachDeps }) {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = { onRequest: app.authenticate };
  const schema = { tags, security: BEARER_AUTH };

  r.post(
    '/v1/coach/turns',
    {
      ...auth,
      config: { rateLimit: 'coach' },
      schema: {
        ...schema,
        description:
          'Up to three rewrites of a thought (`text`, for `platform`, default x) or of a post of one of my drafts (`draftId`, `segmentId`), each within the platform\'s limit. ' +
          'Counts against `coach.turns_per_day` (403 quota_exceeded). When the safety precheck matches, answers the safety notice instead (no rewrites, nothing counted, the text not kept). ' +
          '429 ai_budget_exhausted when a daily AI budget is spent; 503 coach_unavailable (with Retry-After) when no model could answer.',
        body: CreateTurnBodySchema,
        response: { 201: TurnSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.commitGeneration<Turn>(201, (phases) => turns.createTurn(deps, request.user!, request.body, phases)),
  );

  r.get(
    '/v1/coach/turns',
    {
      ...auth,
      schema: { ...schema, description: 'My turns, newest first.', querystring: PageQuerySchema, response: { 200: TurnPageSchema, ...problemResponses(400, 401) } },
    },
    async (request) => turns.listTurns(deps, request.user!, request.query),
  );

  r.get(
    '/v1/coach/turns/:id',
    { ...auth, schema: { ...schema, description: 'One of my turns.', params: IdParamsSchema, response: { 200: TurnSchema, ...problemResponses(400, 401, 404) } } },
    async (request) => turns.getTurn(deps, request.user!, request.params.id),
  );
}
