import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, uniqueEmail } from '../helpers/api.js';
import { createTestDatabase } from '../helpers/database.js';
import { startServer, type RunningServer } from '../helpers/server-process.js';

let server: RunningServer;
let admin: pg.Client;
// A connection of our own to the app's database, standing for another instance.
let appDatabase: pg.Client;
const PEER = 'onering-test-peer';
let databaseName: string;
let dataDir: string;

type Answer = { what: string; status: number; contentType: string; retryAfter: string | null; code: string | null };

async function send(what: string, path: string, init: { method?: string; token?: string; body?: unknown } = {}): Promise<Answer & { json: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  const json = (text.length > 0 ? JSON.parse(text) : {}) as Record<string, unknown>;
  return {
    what,
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    retryAfter: res.headers.get('retry-after'),
    code: typeof json.code === 'string' ? json.code : null,
    json,
  };
}

type Session = { accessToken: string; sessionId: string; email: string };

async function register(): Promise<Session> {
  const email = uniqueEmail('cut');
  const res = await send('register', '/v1/auth/register', { method: 'POST', body: { email, password: GOOD_PASSWORD } });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return { accessToken: res.json.accessToken as string, sessionId: res.json.sessionId as string, email };
}

/** Cuts every connection the app holds on its database, the LISTEN one included. */
async function terminateAppConnections(): Promise<number> {
  const result = await admin.query<{ cut: string }>(
    `select count(pg_terminate_backend(pid)) as cut from pg_stat_activity
     where datname = $1 and pid <> pg_backend_pid() and application_name is distinct from $2`,
    [databaseName, PEER],
  );
  return Number(result.rows[0]!.cut);
}

beforeAll(async () => {
  const testDb = await createTestDatabase();
  await testDb.database.close();
  databaseName = new URL(testDb.url!).pathname.slice(1);
  admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  appDatabase = new pg.Client({ connectionString: testDb.url!, application_name: PEER });
  appDatabase.on('error', () => undefined);
  await appDatabase.connect();
  dataDir = mkdtempSync(join(tmpdir(), 'onering-cuts-'));
  server = await startServer({
    PATH: process.env.PATH,
    DATABASE_URL: testDb.url!,
    DATABASE_POOL_SIZE: '8',
    DATA_DIR: dataDir,
    NODE_ENV: 'development',
    COOKIE_SECURE: 'false',
    RATE_LIMITS: 'off',
    LOG_LEVEL: 'warn',
  });
});

afterAll(async () => {
  if (server && server.child.exitCode === null) await server.stop();
  await appDatabase.end().catch(() => undefined);
  await admin.query(`alter database ${databaseName} with allow_connections true`);
  await admin.query(`drop database if exists ${databaseName} with (force)`);
  await admin.end();
  rmSync(dataDir, { recursive: true, force: true });
});

// A real process under load on a shared machine: generous budgets, each wait ends on a signal.
describe('when the database cuts the app connections', { timeout: 120_000 }, () => {
  it('stays up under mixed load, answers the requests caught by a cut 503 and the next ones normally', async () => {
    const owner = await register();
    const draft = await send('create draft', '/v1/drafts', { method: 'POST', token: owner.accessToken, body: { title: 'Cuts', platform: 'x' } });
    expect(draft.status).toBe(201);
    const draftId = draft.json.id as string;

    const answers: Answer[] = [];
    const failures: string[] = [];
    let stop = false;
    const operations: Array<() => Promise<Answer>> = [
      () => send('register', '/v1/auth/register', { method: 'POST', body: { email: uniqueEmail('load'), password: GOOD_PASSWORD } }),
      () => send('login', '/v1/auth/login', { method: 'POST', body: { email: owner.email, password: GOOD_PASSWORD } }),
      () => send('append', `/v1/drafts/${draftId}/segments`, { method: 'POST', token: owner.accessToken, body: { content: 'Still writing.' } }),
      () => send('read draft', `/v1/drafts/${draftId}`, { token: owner.accessToken }),
      () => send('list drafts', '/v1/drafts', { token: owner.accessToken }),
      () => send('sessions', '/v1/auth/sessions', { token: owner.accessToken }),
    ];
    const workers = Array.from({ length: 12 }, async (_, worker) => {
      for (let i = worker; !stop; i++) {
        try {
          answers.push(await operations[i % operations.length]!());
        } catch (error) {
          failures.push(String(error));
          if (server.child.exitCode !== null) return;
        }
      }
    });

    // A cut fails at most the 12 requests in flight; the next cut waits for twice that many answered normally,
    // so recovering between cuts is part of the check and most answers are successes by construction.
    const successes = () => answers.filter((a) => a.status < 300).length;
    let cuts = 0;
    while (cuts < 10 && server.child.exitCode === null) {
      const seen = successes();
      await expect.poll(() => successes() >= seen + 24 || server.child.exitCode !== null, { timeout: 20_000, interval: 5 }).toBe(true);
      if (server.child.exitCode === null && (await terminateAppConnections()) > 0) cuts++;
    }
    stop = true;
    await Promise.all(workers);

    expect(server.child.exitCode, server.output().slice(-4000)).toBeNull();
    expect(cuts).toBe(10);
    expect(failures).toEqual([]);
    const unexpected = answers.filter((a) => a.status >= 500 && a.status !== 503);
    expect(unexpected, server.output().slice(-4000)).toEqual([]);
    const unavailable = answers.filter((a) => a.status === 503);
    expect(unavailable.length, 'some requests were caught by a cut').toBeGreaterThan(0);
    for (const answer of unavailable) {
      expect(answer).toMatchObject({ code: 'database_unavailable', contentType: expect.stringMatching(/^application\/problem\+json/) });
      expect(Number(answer.retryAfter)).toBeGreaterThan(0);
    }
    expect(successes()).toBeGreaterThan(answers.length / 2);

    // The next requests run on fresh connections.
    expect((await send('login', '/v1/auth/login', { method: 'POST', body: { email: owner.email, password: GOOD_PASSWORD } })).status).toBe(200);
    expect((await send('append', `/v1/drafts/${draftId}/segments`, { method: 'POST', token: owner.accessToken, body: { content: 'After.' } })).status).toBe(201);
    await register();
  });

  it('hears a revocation made after a cut, once the LISTEN connection is back', async () => {
    const account = await register();
    expect(await terminateAppConnections()).toBeGreaterThan(0);
    await expect.poll(async () => (await send('ready', '/readyz')).json, { timeout: 20_000 }).toMatchObject({ status: 'ready', notifications: 'listening' });
    const remembered = (await send('me', '/v1/me', { token: account.accessToken })).json.displayName;
    expect(remembered).not.toBe('Renamed');
    // Unannounced, so the instance keeps serving what it remembered: the cache is in use again.
    await appDatabase.query('update users set display_name = $1 where id = (select user_id from sessions where id = $2)', ['Renamed', account.sessionId]);
    expect((await send('me', '/v1/me', { token: account.accessToken })).json.displayName).toBe(remembered);
    // Revoked by another instance: only the notification tells this one.
    await appDatabase.query('begin');
    await appDatabase.query('update sessions set revoked_at = now() where id = $1', [account.sessionId]);
    await appDatabase.query("select pg_notify('onering_principals', $1)", [`s:${account.sessionId}`]);
    await appDatabase.query('commit');
    await expect.poll(async () => (await send('me', '/v1/me', { token: account.accessToken })).status, { timeout: 10_000 }).toBe(401);
  });

  it('says on /readyz that the database is down while it refuses connections, and recovers after', async () => {
    const account = await register();
    await appDatabase.end().catch(() => undefined);
    await admin.query(`alter database ${databaseName} with allow_connections false`);
    await terminateAppConnections();
    // The database check fails at once; the LISTEN connection is known lost once its socket's close is read,
    // which may come after the first /readyz, so wait for both to say down.
    await expect
      .poll(async () => (await send('ready', '/readyz')).json.checks, { timeout: 20_000 })
      .toMatchObject({ database: 'down', notifications: 'down' });
    const ready = await send('ready', '/readyz');
    expect(ready).toMatchObject({ status: 503, code: 'database_unavailable' });
    const read = await send('sessions', '/v1/auth/sessions', { token: account.accessToken });
    expect(read).toMatchObject({ status: 503, code: 'database_unavailable' });
    expect(Number(read.retryAfter)).toBeGreaterThan(0);
    expect(server.child.exitCode).toBeNull();

    await admin.query(`alter database ${databaseName} with allow_connections true`);
    await expect.poll(async () => (await send('ready', '/readyz')).json, { timeout: 20_000 }).toMatchObject({ status: 'ready', notifications: 'listening' });
    expect((await send('sessions', '/v1/auth/sessions', { token: account.accessToken })).status).toBe(200);
  });
});
