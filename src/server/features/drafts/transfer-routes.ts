import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema } from '../../../contract/common.js';
import { DraftSchema } from '../../../contract/drafts.js';
import { DraftExportSchema, ExportQuerySchema, ImportDraftBodySchema } from '../../../contract/transfer.js';
import { BEARER_AUTH, problemResponses } from '../../platform/http.js';
import type { DraftsDeps } from './service.js';
import { exportDraft, importDraft } from './transfer.js';

const tags = ['drafts'];
const ThreadTextSchema = z.string();

/** Getting a thread out (export as text, Markdown or JSON) and in (import from pasted text). */
export async function transferRoutes(app: FastifyInstance, opts: { deps: DraftsDeps }) {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = { onRequest: app.authenticate };
  const schema = { tags, security: BEARER_AUTH };

  r.get(
    '/v1/drafts/:id/export',
    {
      ...auth,
      schema: {
        ...schema,
        description: 'The thread as a file to download: plain text, Markdown or JSON, optionally numbered 1/n.',
        params: IdParamsSchema,
        querystring: ExportQuerySchema,
        response: {
          200: {
            description: 'The thread, with Content-Disposition: attachment and a file name made from the title.',
            content: {
              'text/plain': { schema: ThreadTextSchema },
              'text/markdown': { schema: ThreadTextSchema },
              'application/json': { schema: DraftExportSchema },
            },
          },
          ...problemResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const file = await exportDraft(deps, request.user!, request.params.id, request.query);
      return reply.header('content-disposition', `attachment; filename="${file.filename}"`).type(file.contentType).send(file.body);
    },
  );

  r.post(
    '/v1/drafts/import',
    {
      ...auth,
      schema: {
        ...schema,
        description: 'Creates a draft from pasted text: posts separated by blank lines, or by lines of ---. Every post is checked before anything is written. Counts against my `drafts.max` (403 quota_exceeded past it and its grace).',
        body: ImportDraftBodySchema,
        response: { 201: DraftSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => reply.commit(201, (transact) => importDraft({ ...deps, transact }, request.user!, request.body)),
  );
}
