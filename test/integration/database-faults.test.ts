import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { drizzle } from 'drizzle-orm/pglite';
import { describe, expect, it } from 'vitest';
import { call, expectProblem } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

/** What pg raises when the server terminates a backend (pg_terminate_backend, shutdown). */
function adminShutdown(): Error {
  return Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01', severity: 'FATAL' });
}

const t = useTestApp({
  extend(app) {
    app.get('/test/terminated', async () => {
      throw new DrizzleQueryError('select 1', [], adminShutdown());
    });
    app.get('/test/connection-ended', async () => {
      throw new DrizzleQueryError('select 1', [], new Error('Connection terminated unexpectedly'));
    });
    app.get('/test/refused', async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
    app.get('/test/closed-pglite', async () => {
      const client = await PGlite.create();
      await client.close();
      await drizzle({ client }).execute(sql`select 1`);
    });
    app.get('/test/failing-statement', async () => {
      await t.database.db.execute(sql`select 1 / 0`);
    });
  },
});

describe('database failures', () => {
  it('answers a request whose connection was lost 503 database_unavailable with Retry-After', async () => {
    for (const path of ['/test/terminated', '/test/connection-ended', '/test/refused', '/test/closed-pglite']) {
      const res = await call(t.app, 'GET', path);
      expectProblem(res, 503, 'database_unavailable');
      expect(Number(res.headers['retry-after']), path).toBeGreaterThan(0);
    }
  });

  it('keeps a statement that fails on its own a 500', async () => {
    const res = await call(t.app, 'GET', '/test/failing-statement');
    expectProblem(res, 500, 'internal_error');
    expect(res.headers['retry-after']).toBeUndefined();
  });

  it('says on /readyz that change notifications are flowing', async () => {
    const res = await call(t.app, 'GET', '/readyz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ready', notifications: 'listening' });
  });
});
