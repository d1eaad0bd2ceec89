import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { MomentumSchema, NowQuerySchema, ProfileSchema, TodaySchema } from '../../../contract/analytics.js';
import { IdParamsSchema } from '../../../contract/common.js';
import { BEARER_AUTH, problemResponses } from '../../platform/http.js';
import * as momentum from './service.js';

const tags = ['momentum'];

/** Momentum, the today page and the public profile; each answers as of `?now=` (the clock when absent). */
export async function momentumRoutes(app: FastifyInstance, opts: { deps: momentum.MomentumDeps }) {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = { onRequest: app.authenticate };

  r.get(
    '/v1/me/momentum',
    {
      ...auth,
      schema: {
        tags,
        security: BEARER_AUTH,
        description: 'My streak, longest streak, 30-day momentum score and each of the last 30 days, as of `now`.',
        querystring: NowQuerySchema,
        response: { 200: MomentumSchema, ...problemResponses(400, 401) },
      },
    },
    async (request) => momentum.myMomentum(deps, request.user!, request.query),
  );

  r.get(
    '/v1/today',
    {
      ...auth,
      schema: {
        tags,
        security: BEARER_AUTH,
        description: "My streak, the day's challenge (the same for everyone on a UTC date) and the coach's suggestions.",
        querystring: NowQuerySchema,
        response: { 200: TodaySchema, ...problemResponses(400, 401) },
      },
    },
    async (request) => momentum.myToday(deps, request.user!, request.query),
  );

  r.get(
    '/v1/users/:id/profile',
    {
      schema: {
        tags,
        description: 'A public profile, no account needed: display name, archetype and momentum. Nothing private.',
        params: IdParamsSchema,
        querystring: NowQuerySchema,
        response: { 200: ProfileSchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => momentum.publicProfile(deps, request.params.id, request.query),
  );
}
