import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.js';
import { startServer, type RunningServer } from '../helpers/server-process.js';

// The server kills itself right after committing a request sent with this key, before answering it.
const CRASH_KEY = 'crash-after-commit';

let dataDir: string;
let databaseUrl: string | null = null;
let env: NodeJS.ProcessEnv;
let server: RunningServer | null = null;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'onering-idem-crash-'));
  env = { PATH: process.env.PATH, DATA_DIR: dataDir, NODE_ENV: 'test', LOG_LEVEL: 'warn', COOKIE_SECURE: 'false', RATE_LIMITS: 'off', TEST_CRASH_AFTER_COMMIT: CRASH_KEY };
  if (process.env.DATABASE_URL) {
    const testDb = await createTestDatabase();
    await testDb.database.close();
    databaseUrl = testDb.url;
    env.DATABASE_URL = databaseUrl!;
  }
});

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  if (databaseUrl) {
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${new URL(databaseUrl).pathname.slice(1)} with (force)`);
    await admin.end();
  }
});

async function send(method: string, path: string, token: string | null, body?: unknown, key?: string): Promise<Response> {
  return fetch(`${server!.url}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(key ? { 'idempotency-key': key } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

async function register(label: string): Promise<string> {
  const res = await send('POST', '/v1/auth/register', null, { email: `${label}@example.test`, password: 'ring bearer walks at dawn' });
  expect(res.status).toBe(201);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** Sends the request whose commit kills the server, and waits for the process to be gone. */
async function sendCutOff(method: string, path: string, token: string, body: unknown): Promise<void> {
  await expect(send(method, path, token, body, CRASH_KEY)).rejects.toThrow();
  expect(await server!.exited).toBeNull();
  server = await startServer(env);
}

// Each case boots the server process twice; on a busy machine that takes longer than the default budget.
describe('an Idempotency-Key retry after the server died between commit and answer', { timeout: 120_000 }, () => {
  let frodo = '';
  let sam = '';

  it('replays the created draft instead of creating a second one', async () => {
    server = await startServer(env);
    frodo = await register('frodo');
    sam = await register('sam');
    const body = { title: 'There and back', platform: 'x', initialSegment: 'In a hole in the ground' };
    await sendCutOff('POST', '/v1/drafts', frodo, body);

    const retry = await send('POST', '/v1/drafts', frodo, body, CRASH_KEY);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const replayed = await retry.text();
    const repeat = await send('POST', '/v1/drafts', frodo, body, CRASH_KEY);
    expect(repeat.status).toBe(201);
    expect(await repeat.text()).toBe(replayed);

    const list = (await (await send('GET', '/v1/drafts', frodo)).json()) as { items: Array<{ id: string }> };
    expect(list.items).toHaveLength(1);
    const stored = await (await send('GET', `/v1/drafts/${list.items[0]!.id}`, frodo)).json();
    expect(JSON.parse(replayed)).toEqual(stored);
  });

  it('replays the appended segment instead of appending it twice', async () => {
    const created = await send('POST', '/v1/drafts', sam, { title: 'The road goes ever on', platform: 'x' });
    const draftId = ((await created.json()) as { id: string }).id;
    const segments = `/v1/drafts/${draftId}/segments`;
    await sendCutOff('POST', segments, sam, { content: 'and on' });

    const retry = await send('POST', segments, sam, { content: 'and on' }, CRASH_KEY);
    expect(retry.status).toBe(201);
    const replayed = await retry.text();
    const repeat = await send('POST', segments, sam, { content: 'and on' }, CRASH_KEY);
    expect(await repeat.text()).toBe(replayed);

    const draft = (await (await send('GET', `/v1/drafts/${draftId}`, sam)).json()) as { segments: unknown[] };
    expect(draft.segments).toEqual([JSON.parse(replayed)]);
    const log = (await (await send('GET', `/v1/drafts/${draftId}/events?since=0`, sam)).json()) as { events: Array<{ type: string }> };
    expect(log.events.filter((e) => e.type === 'segment.appended')).toHaveLength(1);
  });
});
