import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { DraftAnalyticsSchema, LeaderboardQuerySchema, LeaderboardSchema, NowQuerySchema, UserAnalyticsSchema } from '../../../contract/analytics.js';
import { IdParamsSchema } from '../../../contract/common.js';
import { BEARER_AUTH, problemResponses } from '../../platform/http.js';
import { asOf } from '../../platform/clock.js';
import * as analytics from './service.js';

const tags = ['analytics'];

/** Draft and user analytics and the leaderboard: each as of `?now=` (the server clock without it), byte-identical for the same data. */
export async function analyticsRoutes(app: FastifyInstance, opts: { deps: analytics.AnalyticsDeps }) {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = { onRequest: app.authenticate };
  const schema = { tags, security: BEARER_AUTH };

  r.get(
    '/v1/drafts/:id/analytics',
    {
      ...auth,
      schema: {
        ...schema,
        description: "A draft's views, shares, segments, edits, ring passes, contributors and last activity, for its members whose plan has analytics (else 403 quota_exceeded).",
        params: IdParamsSchema,
        querystring: NowQuerySchema,
        response: { 200: DraftAnalyticsSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => analytics.draftAnalytics(deps, request.user!, request.params.id, asOf(deps.clock, request.query.now)),
  );

  r.get(
    '/v1/users/:id/analytics',
    {
      ...auth,
      schema: {
        ...schema,
        description: "What a user has written, passed and held; one's own, or anyone's for an admin; the reader's plan must have analytics (else 403 quota_exceeded).",
        params: IdParamsSchema,
        querystring: NowQuerySchema,
        response: { 200: UserAnalyticsSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => analytics.userAnalytics(deps, request.user!, request.params.id, asOf(deps.clock, request.query.now)),
  );

  r.get(
    '/v1/leaderboard',
    {
      ...auth,
      schema: {
        ...schema,
        description: 'The first 10 of a metric over a window (`7d` and `30d` are UTC days ending with `now`), with a supportive insight each.',
        querystring: LeaderboardQuerySchema,
        response: { 200: LeaderboardSchema, ...problemResponses(400, 401) },
      },
    },
    async (request) => analytics.leaderboard(deps, request.query.metric, request.query.window, asOf(deps.clock, request.query.now)),
  );
}
