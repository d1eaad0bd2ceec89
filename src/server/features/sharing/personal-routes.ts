import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NowQuerySchema, PersonalShareCardSchema } from '../../../contract/analytics.js';
import { IdParamsSchema } from '../../../contract/common.js';
import { NoContentSchema, problemResponses } from '../../platform/http.js';
import { ifNoneMatchMatches } from '../../platform/preconditions.js';
import * as personal from './personal.js';
import { HTML_TYPE, media, PageIdParamsSchema, PNG, PngQuerySchema } from './routes.js';

const tags = ['sharing'];
const PROFILE_PAGE = media('text/html', "The web app's page, with the profile's Open Graph and Twitter card tags", z.string());
const NO_PROFILE_PAGE = media('text/html', "The web app's page as it is: the web app says there is no such profile", z.string());

/**
 * A user's personal share card (JSON and PNG) and, where the server serves the web app, the profile page
 * `/u/:id` with its link-preview tags. All public: a profile is.
 */
export async function personalShareRoutes(app: FastifyInstance, opts: { deps: personal.PersonalDeps }) {
  const { deps } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/users/:id/share-card',
    {
      schema: {
        tags,
        description: "A user's personal share card, no account needed: display name, archetype, streak and momentum.",
        params: IdParamsSchema,
        querystring: NowQuerySchema,
        response: { 200: PersonalShareCardSchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => personal.personalShareCard(deps, request.params.id, request.query),
  );

  r.get(
    '/v1/users/:id/share-card.png',
    {
      schema: {
        tags,
        description: 'The personal share card as a 1200×630 PNG; `ETag` is its content hash (If-None-Match answers 304).',
        params: IdParamsSchema,
        querystring: PngQuerySchema,
        response: { 200: PNG, 304: NoContentSchema, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const { now } = request.query;
      const image = await personal.personalShareCardImage(deps, request.params.id, { now });
      const etag = `"${image.hash}"`;
      reply.header('etag', etag).header('cache-control', 'public, max-age=600');
      if (ifNoneMatchMatches(request.headers['if-none-match'], etag)) return reply.code(304).send(null);
      return reply.type('image/png').send(await image.png());
    },
  );

  const { webIndex } = deps;
  if (webIndex === null) return;
  r.get(
    '/u/:id',
    {
      schema: {
        tags: ['pages'],
        description: "A user's public profile in the web app, with link-preview tags showing their personal card; 404 for no such user.",
        params: PageIdParamsSchema,
        querystring: NowQuerySchema,
        response: { 200: PROFILE_PAGE, 404: NO_PROFILE_PAGE },
      },
    },
    async (request, reply) => {
      const page = await personal.profilePage({ ...deps, webIndex }, request.params.id, request.query);
      // Like the web app's other routes: revalidated on every visit, so a new build or a new streak shows at once.
      return reply.code(page.found ? 200 : 404).type(HTML_TYPE).header('cache-control', 'no-cache').send(page.html);
    },
  );
}
