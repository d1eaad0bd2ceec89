import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { OpenAPIBackend } from 'openapi-backend';
import type { OpenAPIV3 } from 'openapi-types';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { call, createDraft, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';
import { OpenApiDriftError } from '../helpers/openapi.js';

/** Routes whose answers differ from what they document, each in one way. */
function driftingRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ok = { response: { 200: z.object({ ok: z.boolean() }) } };
  r.get('/test/honest', { schema: ok }, async () => ({ ok: true }));
  // Untyped on purpose: the type provider would refuse these answers at compile time.
  app.get('/test/wrong-body', { schema: ok }, async (_request, reply) => reply.type('application/json').send('{"ok":"yes"}'));
  app.get('/test/wrong-format', { schema: { response: { 200: z.object({ id: z.uuid() }) } } }, async (_request, reply) =>
    reply.type('application/json').send('{"id":"not-a-uuid"}'),
  );
  app.get('/test/undocumented-status', { schema: ok }, async (_request, reply: FastifyReply) => reply.code(202).send({ ok: true }));
  app.get('/test/wrong-type', { schema: ok }, async (_request, reply) => reply.type('text/plain').send('ok'));
  r.post('/test/no-body-documented', { schema: ok }, async () => ({ ok: true }));
  app.get('/test/plain-error', async (_request, reply) => reply.code(400).type('text/plain').send('nope'));
}

const t = useTestApp({ extend: driftingRoutes });

async function openapi(): Promise<OpenAPIV3.Document> {
  const res = await call(t.app, 'GET', '/openapi.json');
  expect(res.statusCode).toBe(200);
  return res.json() as OpenAPIV3.Document;
}

function operations(doc: OpenAPIV3.Document): Array<[string, OpenAPIV3.OperationObject]> {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item ?? {}).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op as OpenAPIV3.OperationObject] as [string, OpenAPIV3.OperationObject]),
  );
}

describe('every injected exchange is checked against /openapi.json', () => {
  it('lets an answer that matches its documentation through', async () => {
    const res = await call(t.app, 'GET', '/test/honest');
    expect(res.json()).toEqual({ ok: true });
  });

  it('fails a body that does not match the documented schema', async () => {
    await expect(call(t.app, 'GET', '/test/wrong-body')).rejects.toThrow(OpenApiDriftError);
    await expect(call(t.app, 'GET', '/test/wrong-body')).rejects.toThrow(/body does not match the documented schema/);
  });

  it('checks string formats too', async () => {
    await expect(call(t.app, 'GET', '/test/wrong-format')).rejects.toThrow(/\/id must match/);
  });

  it('fails a status the operation does not document', async () => {
    await expect(call(t.app, 'GET', '/test/undocumented-status')).rejects.toThrow(/status 202 is not documented/);
  });

  it('fails a media type the operation does not document', async () => {
    await expect(call(t.app, 'GET', '/test/wrong-type')).rejects.toThrow(/content type text\/plain is not documented/);
  });

  it('fails a request body the server accepts but the document does not declare', async () => {
    await expect(call(t.app, 'POST', '/test/no-body-documented', { body: {} })).rejects.toThrow(
      /accepted a request the document refuses: a request body is sent but none is documented/,
    );
  });

  it('fails an error that is not problem+json, even on a path the document does not list', async () => {
    await expect(call(t.app, 'GET', '/test/plain-error')).rejects.toThrow(/not application\/problem\+json/);
  });

  it('checks the apps a test builds itself too', async () => {
    const { app } = await t.build();
    await expect(call(app, 'GET', '/test/wrong-body')).rejects.toThrow(OpenApiDriftError);
  });
});

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3 document', async () => {
    const doc = await openapi();
    await expect(new OpenAPIBackend({ definition: doc, strict: true }).init()).resolves.toBeInstanceOf(OpenAPIBackend);
  });

  it('documents every error as problem+json with the shared Problem schema', async () => {
    const doc = await openapi();
    expect(doc.components?.schemas?.Problem).toBeDefined();
    for (const [name, op] of operations(doc)) {
      for (const [status, response] of Object.entries(op.responses) as Array<[string, OpenAPIV3.ResponseObject]>) {
        if (Number(status) < 400) continue;
        // The pages a browser opens (a published draft's, a preview link's) answer "nothing here" with a page.
        if (op.tags?.includes('pages') && status === '404') {
          expect(Object.keys(response.content ?? {}), `${name} ${status}`).toEqual(['text/html']);
          continue;
        }
        expect(response.content, `${name} ${status}`).toEqual({ 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } });
      }
    }
  });

  it('documents the errors that follow from what each route takes', async () => {
    const doc = await openapi();
    for (const [name, op] of operations(doc)) {
      const statuses = Object.keys(op.responses);
      expect(statuses, name).toEqual(expect.arrayContaining(['429', '500', '503']));
      if (op.parameters?.length || op.requestBody) expect(statuses, name).toContain('400');
      if (op.security?.length) expect(statuses, name).toContain('401');
      if (op.requestBody) expect(statuses, name).toEqual(expect.arrayContaining(['413', '415']));
    }
  });

  it('documents a 204 without content', async () => {
    const doc = await openapi();
    const logout = doc.paths['/v1/auth/logout']?.post;
    expect(logout?.responses['204']).toEqual({ description: 'No content' });
  });
});

describe('the calls clients make match the document', () => {
  it('logs out with 204 and no body', async () => {
    const user = await registerUser(t.app);
    const res = await call(t.app, 'POST', '/v1/auth/logout', { token: user.accessToken });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
  });

  it('publishes and archives with an empty JSON object or no body at all', async () => {
    const owner = await registerUser(t.app);
    const first = await createDraft(t.app, owner);
    const second = await createDraft(t.app, owner);
    const published = await call(t.app, 'POST', `/v1/drafts/${first.id}/publish`, { token: owner.accessToken, body: {} });
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ status: 'published' });
    const archived = await call(t.app, 'POST', `/v1/drafts/${second.id}/archive`, {
      token: owner.accessToken,
      headers: { 'content-type': 'application/json' },
    });
    expect(archived.statusCode, archived.body).toBe(200);
    expect(archived.json()).toMatchObject({ status: 'archived' });
  });
});
