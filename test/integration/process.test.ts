import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { runCli as runScript, startServer as startProcess } from '../helpers/server-process.js';

const startServer = () => startProcess(baseEnv);
const runCli = (script: string, args: string[], env: NodeJS.ProcessEnv = baseEnv) => runScript(script, args, env);

let dataDir: string;
let testDb: TestDatabase | null = null;
let baseEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'onering-process-'));
  baseEnv = { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'info', NODE_ENV: 'development', COOKIE_SECURE: 'false' };
  if (process.env.DATABASE_URL) {
    testDb = await createTestDatabase();
    await testDb.database.close();
    baseEnv.DATABASE_URL = testDb.url!;
  }
});

afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  if (testDb) {
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${new URL(testDb.url!).pathname.slice(1)} with (force)`);
    await admin.end();
  }
});

// A process boots in seconds on an idle machine and much longer on a busy one: the tests wait for its own
// readiness signal, and this timeout only stops a process that never gives it.
describe('the server process', { timeout: 180_000 }, () => {
  let accessToken = '';
  const email = 'owner@example.test';

  it('boots, keeps its generated signing key under DATA_DIR and finishes in-flight requests on SIGTERM', async () => {
    const server = await startServer();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(statSync(join(dataDir, 'keys/jwt-ed25519.pem')).mode & 0o777).toBe(0o600);
    expect(server.output(), 'the server runs on the Node the project pins').toMatch(/"node":"v24\./);
    const pending = fetch(`${server.url}/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'in-flight-1' },
      body: JSON.stringify({ email, password: 'the first owner password' }),
    });
    for (let i = 0; i < 200 && !/"requestId":"in-flight-1".*incoming request/.test(server.output()); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    server.child.kill('SIGTERM');
    const res = await pending;
    expect(res.status).toBe(201);
    accessToken = ((await res.json()) as { accessToken: string }).accessToken;
    expect(await server.exited, server.output()).toBe(0);
    expect(server.output()).toContain('shutdown complete');
  });

  it('accepts tokens signed before a restart', async () => {
    const server = await startServer();
    const me = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { role: string }).role).toBe('user');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('closes live connections with 1001 and a reconnect hint on SIGTERM', async () => {
    const server = await startServer();
    const draft = (await (
      await fetch(`${server.url}/v1/drafts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: JSON.stringify({ title: 'Shutdown', platform: 'x' }),
      })
    ).json()) as { id: string };
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/v1/drafts/${draft.id}/live`);
    const frames: Array<{ type: string }> = [];
    const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
    socket.on('open', () => socket.send(JSON.stringify({ type: 'hello', accessToken, since: 0 })));
    socket.on('message', (data) => frames.push(JSON.parse(String(data)) as { type: string }));
    await expect.poll(() => frames.map((f) => f.type), { timeout: 10_000 }).toContain('event');
    server.child.kill('SIGTERM');
    const { code, reason } = await closed;
    expect(code).toBe(1001);
    expect(reason).toMatch(/reconnect with since/);
    expect(await server.exited, server.output()).toBe(0);
  });

  it('promotes an account with admin:grant and says so when the email is unknown', async () => {
    const unknown = await runCli('src/server/admin-grant-cli.ts', ['nobody@example.test']);
    expect(unknown.code).toBe(1);
    expect(unknown.output).toContain('No account has this email.');
    const granted = await runCli('src/server/admin-grant-cli.ts', [email.toUpperCase()]);
    expect(granted.code).toBe(0);
    const server = await startServer();
    const me = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(((await me.json()) as { role: string }).role).toBe('admin');
    // The admin API is open to them now, and lists them on the plan every account has.
    const listed = await fetch(`${server.url}/v1/admin/users`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { items: Array<{ role: string; plan: string }> }).items).toMatchObject([{ role: 'admin', plan: 'free' }]);
    server.child.kill('SIGTERM');
    await server.exited;
  });

  it('applies migrations with db:migrate, again and again', async () => {
    for (let i = 0; i < 2; i++) {
      const run = await runCli('src/server/db/migrate-cli.ts', []);
      expect(run.code, run.output).toBe(0);
      expect(run.output).toContain('migrations applied');
    }
  });

  it('says it is ready once it serves: the next request is answered', async () => {
    const server = await startServer();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await expect.poll(() => server.output()).toContain('OneRing is serving');
    expect(await server.stop()).toBe(0);
  });

  it('reads a .env file from its working directory, the real environment winning over it', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'onering-dotenv-'));
    // PORT=1 in the file loses to the free port the real environment names.
    writeFileSync(join(cwd, '.env'), 'PUBLIC_URL=http://from-dotenv.test\nPORT=1\n');
    const server = await startProcess(baseEnv, '127.0.0.1', cwd);
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      await expect.poll(() => server.output()).toContain('OneRing is serving http://from-dotenv.test');
    } finally {
      expect(await server.stop()).toBe(0);
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('refuses to boot with a readable message when the configuration is wrong', async () => {
    const run = await runCli('src/server/main.ts', [], { ...baseEnv, NODE_ENV: 'production', PORT: 'abc' });
    expect(run.code).toBe(1);
    expect(run.output).toContain('Invalid configuration');
    expect(run.output).toContain('PORT');
  });
});
