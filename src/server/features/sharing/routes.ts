import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CreatedPreviewLinkSchema, NowQuerySchema, PreviewDraftSchema, PreviewLinkSchema, ShareCardSchema } from '../../../contract/analytics.js';
import { IdParamsSchema, PageQuerySchema, pageOf } from '../../../contract/common.js';
import { BEARER_AUTH, clientContext, EmptyBodySchema, NoContentSchema, OPTIONAL_BEARER_AUTH, problemResponses } from '../../platform/http.js';
import { asOf } from '../../platform/clock.js';
import { ifNoneMatchMatches } from '../../platform/preconditions.js';
import { previewLinkNotFound } from './errors.js';
import { notFoundPageHtml, previewPageHtml, publicPageHtml } from './pages.js';
import * as previews from './previews.js';
import * as sharing from './service.js';

const tags = ['sharing'];
export const PngQuerySchema = NowQuerySchema.extend({
  v: z.string().regex(/^[0-9a-f]{1,64}$/).optional().describe('The version in a card\'s imageUrl; any value answers the current image.'),
});
const LinkParamsSchema = z.object({ id: z.uuid(), linkId: z.uuid() });
const TokenParamsSchema = z.object({ token: z.string().min(1).max(200) });
/** Pages answer any id or token with a page (404 for what is not there), never with a validation problem. */
export const PageIdParamsSchema = z.object({ id: z.string() });
const PageTokenParamsSchema = z.object({ token: z.string() });

export const media = <S extends z.ZodType>(type: string, description: string, schema: S) => ({ description, content: { [type]: { schema } } });
export const HTML_PAGE = media('text/html', 'An HTML page', z.string());
export const NOT_FOUND_PAGE = media('text/html', 'An HTML page saying there is nothing public here', z.string());
// Binary, so described rather than typed in the document: JSON Schema has no type for bytes.
export const PNG = media('image/png', 'A 1200×630 PNG', z.instanceof(Buffer));
export const HTML_TYPE = 'text/html; charset=utf-8';

/** What a secret link's answers carry: never cached, never indexed, never passed on as a referrer. */
const SECRET_HEADERS = { 'cache-control': 'private, no-store', 'x-robots-tag': 'noindex, nofollow', 'referrer-policy': 'no-referrer' };

const visitorOf = (request: FastifyRequest): sharing.Visitor => ({ user: request.user, ...clientContext(request) });

/** Share cards (JSON and PNG), the public page of a published draft, and secret preview links. */
export async function sharingRoutes(app: FastifyInstance, opts: { deps: sharing.SharingDeps }) {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = { onRequest: app.authenticate };
  const optionalAuth = { onRequest: app.authenticateOptionally };
  const notFoundPage = (reply: FastifyReply, noindex: boolean) =>
    reply.code(404).type(HTML_TYPE).send(notFoundPageHtml(deps.publicUrl, { noindex }));

  r.get(
    '/v1/drafts/:id/share-card',
    {
      ...optionalAuth,
      schema: {
        tags,
        security: OPTIONAL_BEARER_AUTH,
        description: 'The draft\'s share card: for its members, and for anyone once it is published.',
        params: IdParamsSchema,
        querystring: NowQuerySchema,
        response: { 200: ShareCardSchema, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => sharing.shareCard(deps, visitorOf(request), request.params.id, asOf(deps.clock, request.query.now)),
  );

  r.get(
    '/v1/drafts/:id/share-card.png',
    {
      ...optionalAuth,
      schema: {
        tags,
        security: OPTIONAL_BEARER_AUTH,
        description: 'The share card as a 1200×630 PNG; `ETag` is its content hash (If-None-Match answers 304).',
        params: IdParamsSchema,
        querystring: PngQuerySchema,
        response: { 200: PNG, 304: NoContentSchema, ...problemResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const image = await sharing.shareCardImage(deps, visitorOf(request), request.params.id, asOf(deps.clock, request.query.now));
      const etag = `"${image.hash}"`;
      // A published card is the same for everyone; a draft's is for its members' eyes only.
      reply.header('etag', etag).header('cache-control', image.isPublic ? 'public, max-age=600' : 'private, no-cache');
      if (ifNoneMatchMatches(request.headers['if-none-match'], etag)) return reply.code(304).send(null);
      return reply.type('image/png').send(await image.png());
    },
  );

  r.get(
    '/p/:id',
    {
      schema: {
        tags: ['pages'],
        description: 'The public page of a published draft, with Open Graph and Twitter card tags; 404 for any other.',
        params: PageIdParamsSchema,
        querystring: NowQuerySchema,
        response: { 200: HTML_PAGE, 404: NOT_FOUND_PAGE },
      },
    },
    async (request, reply) => {
      const found = await sharing.publicPage(deps, visitorOf(request), request.params.id, asOf(deps.clock, request.query.now));
      if (!found) return notFoundPage(reply, false);
      const url = `${deps.publicUrl}/p/${found.card.draftId}`;
      return reply.type(HTML_TYPE).header('cache-control', 'public, max-age=300').send(publicPageHtml(found.draft, found.card, url, `${deps.publicUrl}/signup`));
    },
  );

  r.post(
    '/v1/drafts/:id/preview-links',
    {
      ...auth,
      schema: {
        tags,
        security: BEARER_AUTH,
        description: 'The owner creates a secret read-only link to the draft; `token` and `url` appear in this response only.',
        params: IdParamsSchema,
        body: EmptyBodySchema,
        response: { 201: CreatedPreviewLinkSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.commit(201, (transact) => previews.createPreviewLink({ ...deps, transact }, request.user!, request.params.id)),
  );

  r.get(
    '/v1/drafts/:id/preview-links',
    {
      ...auth,
      schema: {
        tags,
        security: BEARER_AUTH,
        description: 'The draft\'s preview links, newest first, with how often each was opened.',
        params: IdParamsSchema,
        querystring: PageQuerySchema,
        response: { 200: pageOf(PreviewLinkSchema), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => previews.listPreviewLinks(deps, request.user!, request.params.id, request.query),
  );

  r.delete(
    '/v1/drafts/:id/preview-links/:linkId',
    {
      ...auth,
      schema: {
        tags,
        security: BEARER_AUTH,
        description: 'The owner withdraws a preview link; it answers 404 from then on.',
        params: LinkParamsSchema,
        response: { 204: NoContentSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply.commit(204, (transact) => previews.revokePreviewLink({ ...deps, transact }, request.user!, request.params.id, request.params.linkId)),
  );

  r.get(
    '/v1/preview/:token',
    {
      ...optionalAuth,
      config: { secretPath: true },
      schema: {
        tags,
        security: OPTIONAL_BEARER_AUTH,
        description: 'The draft behind a preview link, read-only; no account needed. Each call counts as an open.',
        params: TokenParamsSchema,
        response: { 200: PreviewDraftSchema, ...problemResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      reply.headers(SECRET_HEADERS);
      const draft = await previews.openPreview(deps, visitorOf(request), request.params.token);
      if (!draft) throw previewLinkNotFound();
      return draft;
    },
  );

  r.get(
    '/s/:token',
    {
      config: { secretPath: true },
      schema: {
        tags: ['pages'],
        description: 'The page of a preview link: the draft read-only, kept out of search engines; 404 once withdrawn.',
        params: PageTokenParamsSchema,
        response: { 200: HTML_PAGE, 404: NOT_FOUND_PAGE },
      },
    },
    async (request, reply) => {
      reply.headers(SECRET_HEADERS);
      const draft = await previews.openPreview(deps, visitorOf(request), request.params.token);
      if (!draft) return notFoundPage(reply, true);
      return reply.type(HTML_TYPE).send(previewPageHtml(draft, deps.publicUrl));
    },
  );
}
