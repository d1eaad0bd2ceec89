import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NowQuerySchema } from '../../../contract/analytics.js';
import {
  CreateActionBodySchema,
  GoalWithSafetySchema,
  CreateGoalBodySchema,
  DayActionsSchema,
  DaySchema,
  GOAL_STATUSES,
  GoalDetailSchema,
  GoalPageSchema,
  LensActionSchema,
  UpdateActionBodySchema,
  UpdateGoalBodySchema,
} from '../../../contract/coach.js';
import { IdParamsSchema, PageQuerySchema } from '../../../contract/common.js';
import { asOf } from '../../platform/clock.js';
import { BEARER_AUTH, NoContentSchema, problemResponses } from '../../platform/http.js';
import * as lens from './service.js';

const tags = ['coach'];
const GoalListQuerySchema = PageQuerySchema.extend({
  status: z.enum([...GOAL_STATUSES, 'all']).default('all').describe('Which goals: `active`, `completed`, `archived`, or `all` (the default).'),
});
const DayActionsQuerySchema = NowQuerySchema.extend({ day: DaySchema.optional().describe('The UTC day (YYYY-MM-DD); today by `now` when absent.') });
const ActionParamsSchema = z.object({ id: z.uuid(), actionId: z.uuid() });

/** Lens: goals and the daily actions toward them. */
export async function lensRoutes(app: FastifyInstance, opts: { deps: lens.LensDeps }) {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = { onRequest: app.authenticate };
  const schema = { tags, security: BEARER_AUTH };

  r.post(
    '/v1/coach/goals',
    {
      ...auth,
      schema: {
        ...schema,
        description:
          'Sets a goal, active from now; counts against my `coach.goals.max` (403 quota_exceeded past it and its grace). When its words meet the safety precheck, the goal is still set and `safety` carries supportive words and where to talk to someone.',
        body: CreateGoalBodySchema,
        response: { 201: GoalWithSafetySchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => reply.commit(201, (transact) => lens.createGoal({ ...deps, transact }, request.user!, request.body)),
  );

  r.get(
    '/v1/coach/goals',
    {
      ...auth,
      schema: { ...schema, description: 'My goals, newest first, with how many of their actions are done.', querystring: GoalListQuerySchema, response: { 200: GoalPageSchema, ...problemResponses(400, 401) } },
    },
    async (request) => lens.listGoals(deps, request.user!, request.query.status, request.query),
  );

  r.get(
    '/v1/coach/goals/:id',
    { ...auth, schema: { ...schema, description: 'One of my goals with its actions, newest day first.', params: IdParamsSchema, response: { 200: GoalDetailSchema, ...problemResponses(400, 401, 404) } } },
    async (request) => lens.getGoal(deps, request.user!, request.params.id),
  );

  r.patch(
    '/v1/coach/goals/:id',
    {
      ...auth,
      schema: {
        ...schema,
        description:
          'Changes a goal\'s title, reason, target day (null clears it) or status. Making a goal active again counts against `coach.goals.max`. New words go through the safety precheck as on creation (`safety`; null when the words did not change).',
        params: IdParamsSchema,
        body: UpdateGoalBodySchema,
        response: { 200: GoalWithSafetySchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.commit(200, (transact) => lens.updateGoal({ ...deps, transact }, request.user!, request.params.id, request.body)),
  );

  r.delete(
    '/v1/coach/goals/:id',
    { ...auth, schema: { ...schema, description: 'Deletes a goal and its actions.', params: IdParamsSchema, response: { 204: NoContentSchema, ...problemResponses(400, 401, 404) } } },
    async (request, reply) => reply.commit(204, (transact) => lens.deleteGoal({ ...deps, transact }, request.user!, request.params.id)),
  );

  r.post(
    '/v1/coach/goals/:id/actions',
    {
      ...auth,
      schema: {
        ...schema,
        description: 'Plans an action toward a goal for a day (today, UTC, when none is given). A goal holds up to 500 actions (409 goal_actions_full).',
        params: IdParamsSchema,
        body: CreateActionBodySchema,
        response: { 201: LensActionSchema, ...problemResponses(400, 401, 404, 409) },
      },
    },
    async (request, reply) => reply.commit(201, (transact) => lens.addAction({ ...deps, transact }, request.user!, request.params.id, request.body)),
  );

  r.patch(
    '/v1/coach/goals/:id/actions/:actionId',
    {
      ...auth,
      schema: {
        ...schema,
        description: 'Renames or moves an action, or ticks it off: `done: true` records when (the first time), `done: false` clears it.',
        params: ActionParamsSchema,
        body: UpdateActionBodySchema,
        response: { 200: LensActionSchema, ...problemResponses(400, 401, 404) },
      },
    },
    async (request, reply) =>
      reply.commit(200, (transact) => lens.updateAction({ ...deps, transact }, request.user!, request.params.id, request.params.actionId, request.body)),
  );

  r.delete(
    '/v1/coach/goals/:id/actions/:actionId',
    { ...auth, schema: { ...schema, description: 'Removes an action.', params: ActionParamsSchema, response: { 204: NoContentSchema, ...problemResponses(400, 401, 404) } } },
    async (request, reply) => reply.commit(204, (transact) => lens.deleteAction({ ...deps, transact }, request.user!, request.params.id, request.params.actionId)),
  );

  r.get(
    '/v1/coach/actions',
    {
      ...auth,
      schema: {
        ...schema,
        description: 'The actions planned for a day across my active goals, with each goal\'s title: goal by goal, in the order they were set.',
        querystring: DayActionsQuerySchema,
        response: { 200: DayActionsSchema, ...problemResponses(400, 401) },
      },
    },
    async (request) => lens.dayActions(deps, request.user!, request.query.day, asOf(deps.clock, request.query.now)),
  );
}
