import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema, PageQuerySchema } from '../../../contract/common.js';
import { entityTag } from '../../../contract/thread-order.js';
import {
  AddCollaboratorBodySchema,
  AppendSegmentBodySchema,
  AttributionSchema,
  CollaboratorSchema,
  CreateDraftBodySchema,
  DraftSchema,
  DraftSummaryPageSchema,
  EditSegmentBodySchema,
  PassRingBodySchema,
  PassRingResultSchema,
  RenameDraftBodySchema,
  ReorderSegmentsBodySchema,
  RingHistorySchema,
  SegmentRevisionPageSchema,
  SegmentSchema,
  type Draft,
  type Segment,
} from '../../../contract/drafts.js';
import { BEARER_AUTH, EmptyBodySchema, NoContentSchema, problemResponses } from '../../platform/http.js';
import { ifMatchHeaders, requireIfMatch } from '../../platform/preconditions.js';
import * as edits from './edits-service.js';
import * as drafts from './service.js';

const tags = ['drafts'];
const MemberParamsSchema = z.object({ id: z.uuid(), userId: z.uuid() });
const SegmentParamsSchema = z.object({ id: z.uuid(), segmentId: z.uuid() });

/** A changed segment, with its revision as the ETag for the next change. */
const segmentAnswer = (segment: Segment) => ({ status: 200, body: segment, headers: { etag: entityTag(segment.revision) } });

/** Drafts, segments, the ring, collaborators and attribution. */
export async function draftRoutes(app: FastifyInstance, opts: { deps: drafts.DraftsDeps }) {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = { onRequest: app.authenticate };
  const schema = { tags, security: BEARER_AUTH };

  r.post(
    '/v1/drafts',
    {
      ...auth,
      schema: {
        ...schema,
        description: 'Creates a draft, owned by me. Counts against my `drafts.max` (403 quota_exceeded past it and its grace).',
        body: CreateDraftBodySchema,
        response: { 201: DraftSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => reply.commit(201, (transact) => drafts.createDraft({ ...deps, transact }, request.user!, request.body)),
  );

  r.get(
    '/v1/drafts',
    {
      ...auth,
      schema: {
        ...schema,
        description: 'Summaries of the drafts I own or collaborate on, most recent activity first.',
        querystring: PageQuerySchema,
        response: { 200: DraftSummaryPageSchema, ...problemResponses(400, 401) },
      },
    },
    async (request) => drafts.listDrafts(deps, request.user!, request.query),
  );

  r.get(
    '/v1/drafts/:id',
    {
      ...auth,
      schema: {
        ...schema,
        description: 'The whole draft; `ETag: "<lastServerSeq>"` is what a reorder names in If-Match. Counts as a view (at most one per member per 30 minutes).',
        params: IdParamsSchema,
        response: { 200: DraftSchema, ...problemResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const draft = await drafts.viewDraft(deps, request.user!, request.params.id);
      reply.header('etag', entityTag(draft.lastServerSeq));
      return draft;
    },
  );

  r.patch(
    '/v1/drafts/:id',
    {
      ...auth,
      schema: { ...schema, params: IdParamsSchema, body: RenameDraftBodySchema, response: { 200: DraftSchema, ...problemResponses(400, 401, 403, 404, 409) } },
    },
    async (request, reply) => reply.commit(200, (transact) => drafts.renameDraft({ ...deps, transact }, request.user!, request.params.id, request.body.title)),
  );

  r.post(
    '/v1/drafts/:id/publish',
    { ...auth, schema: { ...schema, params: IdParamsSchema, body: EmptyBodySchema, response: { 200: DraftSchema, ...problemResponses(400, 401, 403, 404, 409) } } },
    async (request, reply) => reply.commit(200, (transact) => drafts.closeDraft({ ...deps, transact }, request.user!, request.params.id, 'published')),
  );

  r.post(
    '/v1/drafts/:id/archive',
    { ...auth, schema: { ...schema, params: IdParamsSchema, body: EmptyBodySchema, response: { 200: DraftSchema, ...problemResponses(400, 401, 403, 404, 409) } } },
    async (request, reply) => reply.commit(200, (transact) => drafts.closeDraft({ ...deps, transact }, request.user!, request.params.id, 'archived')),
  );

  r.post(
    '/v1/drafts/:id/segments',
    {
      ...auth,
      schema: { ...schema, params: IdParamsSchema, body: AppendSegmentBodySchema, response: { 201: SegmentSchema, ...problemResponses(400, 401, 403, 404, 409) } },
    },
    async (request, reply) =>
      reply.commit(201, (transact) => drafts.appendSegment({ ...deps, transact }, request.user!, request.params.id, request.body.content)),
  );

  r.patch(
    '/v1/drafts/:id/segments/:segmentId',
    {
      ...auth,
      schema: {
        ...schema,
        description: 'The ring holder replaces a segment\'s text (If-Match: its revision); the same text changes nothing. Answers `ETag: "<revision>"`.',
        params: SegmentParamsSchema,
        headers: ifMatchHeaders('revision'),
        body: EditSegmentBodySchema,
        response: { 200: SegmentSchema, ...problemResponses(400, 401, 403, 404, 409, 412, 428) },
      },
    },
    async (request, reply) => {
      const { id, segmentId } = request.params;
      return reply.commit(segmentAnswer, async (transact) =>
        edits.editSegment({ ...deps, transact }, request.user!, id, segmentId, request.body.content, requireIfMatch(request.headers['if-match'])),
      );
    },
  );

  r.delete(
    '/v1/drafts/:id/segments/:segmentId',
    {
      ...auth,
      schema: {
        ...schema,
        description: 'The ring holder deletes a segment (If-Match: its revision); later ones move up. Its versions stay readable.',
        params: SegmentParamsSchema,
        headers: ifMatchHeaders('revision'),
        response: { 204: NoContentSchema, ...problemResponses(400, 401, 403, 404, 409, 412, 428) },
      },
    },
    async (request, reply) => {
      const { id, segmentId } = request.params;
      return reply.commit(204, async (transact) =>
        edits.deleteSegment({ ...deps, transact }, request.user!, id, segmentId, requireIfMatch(request.headers['if-match'])),
      );
    },
  );

  r.post(
    '/v1/drafts/:id/segments/reorder',
    {
      ...auth,
      schema: {
        ...schema,
        description: 'The ring holder puts every segment in a new order (If-Match: the draft\'s lastServerSeq). Answers `ETag: "<lastServerSeq>"`.',
        params: IdParamsSchema,
        headers: ifMatchHeaders('lastServerSeq'),
        body: ReorderSegmentsBodySchema,
        response: { 200: DraftSchema, ...problemResponses(400, 401, 403, 404, 409, 412, 428) },
      },
    },
    async (request, reply) =>
      reply.commit(
        (draft: Draft) => ({ status: 200, body: draft, headers: { etag: entityTag(draft.lastServerSeq) } }),
        async (transact) =>
          edits.reorderSegments({ ...deps, transact }, request.user!, request.params.id, request.body.order, requireIfMatch(request.headers['if-match'])),
      ),
  );

  r.get(
    '/v1/drafts/:id/segments/:segmentId/revisions',
    {
      ...auth,
      schema: {
        ...schema,
        description: 'Every version of a segment, newest first, the current one included; kept after the segment is deleted.',
        params: SegmentParamsSchema,
        querystring: PageQuerySchema,
        response: { 200: SegmentRevisionPageSchema, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => edits.segmentRevisions(deps, request.user!, request.params.id, request.params.segmentId, request.query),
  );

  r.post(
    '/v1/drafts/:id/ring/pass',
    {
      ...auth,
      schema: { ...schema, params: IdParamsSchema, body: PassRingBodySchema, response: { 200: PassRingResultSchema, ...problemResponses(400, 401, 403, 404, 409, 422) } },
    },
    async (request, reply) => reply.commit(200, (transact) => drafts.passRing({ ...deps, transact }, request.user!, request.params.id, request.body.toUserId)),
  );

  r.post(
    '/v1/drafts/:id/ring/take',
    {
      ...auth,
      schema: {
        ...schema,
        description: 'The owner takes the ring back from whoever holds it.',
        params: IdParamsSchema,
        body: EmptyBodySchema,
        response: { 200: PassRingResultSchema, ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.commit(200, (transact) => drafts.takeRing({ ...deps, transact }, request.user!, request.params.id)),
  );

  r.get(
    '/v1/drafts/:id/ring/history',
    {
      ...auth,
      schema: { ...schema, params: IdParamsSchema, querystring: PageQuerySchema, response: { 200: RingHistorySchema, ...problemResponses(400, 401, 404) } },
    },
    async (request) => drafts.ringHistory(deps, request.user!, request.params.id, request.query),
  );

  r.post(
    '/v1/drafts/:id/collaborators',
    {
      ...auth,
      schema: {
        ...schema,
        description: "The owner adds someone who already shares a draft with them. Counts against the owner's `collaborators.max` (403 quota_exceeded past it and its grace).",
        params: IdParamsSchema,
        body: AddCollaboratorBodySchema,
        response: { 201: CollaboratorSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.commit(201, (transact) => drafts.addCollaborator({ ...deps, transact }, request.user!, request.params.id, request.body.userId)),
  );

  r.delete(
    '/v1/drafts/:id/collaborators/:userId',
    {
      ...auth,
      schema: {
        ...schema,
        description: 'The owner removes a collaborator; a collaborator may remove themself (leave).',
        params: MemberParamsSchema,
        response: { 204: NoContentSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.commit(204, (transact) => drafts.removeCollaborator({ ...deps, transact }, request.user!, request.params.id, request.params.userId)),
  );

  r.get(
    '/v1/drafts/:id/attribution',
    { ...auth, schema: { ...schema, params: IdParamsSchema, response: { 200: AttributionSchema, ...problemResponses(400, 401, 404) } } },
    async (request) => drafts.attribution(deps, request.user!, request.params.id),
  );
}
