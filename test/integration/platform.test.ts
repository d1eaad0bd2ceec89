import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { call, expectProblem, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';
import { setRoleByEmail } from '../../src/server/features/users/repo.js';

function testRoutes(app: FastifyInstance) {
  app.get('/test/boom', async () => {
    throw new Error('connection string postgres://secret@db leaked');
  });
  app.get('/test/admin-only', { onRequest: app.requireRole('admin') }, async () => ({ ok: true }));
}

const t = useTestApp({ extend: testRoutes });

describe('problem+json on every error path', () => {
  it('answers malformed JSON with malformed_json', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email":' });
    expectProblem(res, 400, 'malformed_json');
  });

  it('answers an oversized body with 413', async () => {
    const { app } = await t.build({ config: { bodyLimitBytes: 2048 } });
    const res = await call(app, 'POST', '/v1/auth/login', { body: { email: 'a@b.test', password: 'x'.repeat(5000) } });
    expectProblem(res, 413, 'payload_too_large');
  });

  it('answers a body that is not JSON with 415', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/auth/login', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expectProblem(res, 415, 'unsupported_media_type');
  });

  it('answers an unknown route with 404 not_found', async () => {
    expectProblem(await call(t.app, 'GET', '/v1/nothing-here'), 404, 'not_found');
    expectProblem(await call(t.app, 'DELETE', '/v1/me'), 404, 'not_found');
  });

  it('lists unknown and wrong-typed fields', async () => {
    const res = await call(t.app, 'POST', '/v1/auth/login', { body: { email: 42, sneaky: true } });
    const errors = expectProblem(res, 400, 'validation_failed').errors as Array<{ path: string; message: string }>;
    expect(errors.map((e) => e.path)).toEqual(expect.arrayContaining(['body.email', 'body.password']));
  });

  it('hides the details of an unexpected failure and logs them instead', async () => {
    const res = await call(t.app, 'GET', '/test/boom');
    const body = expectProblem(res, 500, 'internal_error');
    expect(JSON.stringify(body)).not.toContain('secret');
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts/);
    expect(t.logs.records.some((r) => r.level === 50 && r.requestId === body.requestId)).toBe(true);
  });
});

describe('request ids', () => {
  it('honours a sane X-Request-Id and puts it on the response, the problem and every log line', async () => {
    const res = await call(t.app, 'GET', '/v1/me', { headers: { 'x-request-id': 'trace-abc.123' } });
    expect(res.headers['x-request-id']).toBe('trace-abc.123');
    expect(res.json().requestId).toBe('trace-abc.123');
    const lines = t.logs.records.filter((r) => r.requestId === 'trace-abc.123');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const requestLines = t.logs.records.filter((r) => 'req' in r || 'res' in r);
    expect(requestLines.every((r) => typeof r.requestId === 'string')).toBe(true);
  });

  it('makes one up when the header is missing or unsafe', async () => {
    const res = await call(t.app, 'GET', '/healthz', { headers: { 'x-request-id': 'bad id with spaces\n' } });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('roles', () => {
  it('requireRole lets admins through, answers other users as if nothing were there and strangers 401', async () => {
    const account = await registerUser(t.app);
    expectProblem(await call(t.app, 'GET', '/test/admin-only'), 401, 'unauthorized');
    expectProblem(await call(t.app, 'GET', '/test/admin-only', { token: account.accessToken }), 404, 'not_found');
    await setRoleByEmail(t.database.db, account.email, 'admin', t.clock.now());
    const res = await call(t.app, 'GET', '/test/admin-only', { token: account.accessToken });
    expect(res.statusCode).toBe(200);
  });
});

describe('operations endpoints', () => {
  it('answers liveness, readiness and the database probe', async () => {
    expect((await call(t.app, 'GET', '/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await call(t.app, 'GET', '/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', database: t.databaseUrl ? 'postgres' : 'pglite' });
    const db = (await call(t.app, 'GET', '/v1/health/db')).json();
    expect(db).toEqual({ status: 'ok', driver: t.databaseUrl ? 'postgres' : 'pglite', latencyMs: expect.any(Number) });
  });

  it('lists the database tables to admins only', async () => {
    const account = await registerUser(t.app);
    const asUser = await call(t.app, 'GET', '/v1/health/db', { token: account.accessToken });
    expect(asUser.statusCode).toBe(200);
    expect(asUser.json()).not.toHaveProperty('tables');
    expectProblem(await call(t.app, 'GET', '/v1/health/db', { token: 'not-a-token' }), 401, 'invalid_token');
    await setRoleByEmail(t.database.db, account.email, 'admin', t.clock.now());
    const db = (await call(t.app, 'GET', '/v1/health/db', { token: account.accessToken })).json();
    expect(db).toMatchObject({ status: 'ok', latencyMs: expect.any(Number) });
    expect(db.tables).toEqual(expect.arrayContaining(['users', 'sessions', 'refresh_tokens', 'idempotency_keys']));
    expect(JSON.stringify(db)).not.toMatch(/postgres:\/\//);
  });

  it('exports a per-route latency histogram for Prometheus', async () => {
    await call(t.app, 'GET', '/healthz');
    await call(t.app, 'GET', '/v1/me');
    const res = await call(t.app, 'GET', '/metrics');
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.body).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/healthz"/);
    expect(res.body).toMatch(/http_errors_total\{method="GET",route="\/v1\/me",status_code="401"\} 1/);
  });

  it('serves /metrics only to the bearer of METRICS_TOKEN when one is set', async () => {
    const token = 'metrics-'.repeat(5);
    const { app } = await t.build({ config: { metricsToken: token } });
    for (const headers of [{} as Record<string, string>, { authorization: `Bearer ${token.slice(1)}` }, { authorization: `Bearer ${token}x` }, { authorization: token }]) {
      const refused = expectProblem(await call(app, 'GET', '/metrics', { headers }), 401, 'unauthorized');
      expect(JSON.stringify(refused)).not.toContain(token);
    }
    const res = await call(app, 'GET', '/metrics', { headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/http_errors_total\{method="GET",route="\/metrics",status_code="401"\} 4/);
  });

  it('serves an OpenAPI document with every identity endpoint, and the docs page', async () => {
    const doc = (await call(t.app, 'GET', '/openapi.json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    const paths = Object.keys(doc.paths);
    for (const p of [
      '/v1/auth/register',
      '/v1/auth/login',
      '/v1/auth/refresh',
      '/v1/auth/logout',
      '/v1/auth/logout-all',
      '/v1/auth/sessions',
      '/v1/auth/sessions/{id}',
      '/v1/auth/password',
      '/v1/auth/password-reset/request',
      '/v1/auth/password-reset/confirm',
      '/v1/me',
    ]) {
      expect(paths).toContain(p);
    }
    expect(doc.paths['/v1/me'].get.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/v1/auth/register'].post.security).toBeUndefined();
    expect(doc.paths['/v1/auth/register'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('email');
    const docs = await call(t.app, 'GET', '/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
  });
});

describe('security headers', () => {
  it('sends a content security policy and the other helmet headers on every response', async () => {
    const res = await call(t.app, 'GET', '/healthz');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
    const problem = await call(t.app, 'GET', '/v1/me');
    expect(problem.headers['x-frame-options']).toBe('SAMEORIGIN');
  });
});

describe('bodies', () => {
  it('takes an empty JSON body as no body', async () => {
    const account = await registerUser(t.app);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/logout-all',
      headers: { authorization: `Bearer ${account.accessToken}`, 'content-type': 'application/json' },
      payload: '',
    });
    expect(res.statusCode).toBe(204);
    const needsBody = await t.app.inject({ method: 'POST', url: '/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '' });
    expectProblem(needsBody, 400, 'validation_failed');
  });

  it('refuses prototype-poisoning JSON', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":"a@b.test","password":"x","__proto__":{"admin":true}}',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });
});
