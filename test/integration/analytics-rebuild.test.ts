import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db/client.js';
import { runMigrations } from '../../src/server/db/migrate.js';
import { PROJECTION_TABLES, rebuildProjections, type RebuildProgress } from '../../src/server/features/analytics/rebuild.js';
import { recordAnalyticsEvents } from '../../src/server/features/analytics/record.js';
import { addCollaborator, call, createDraft, passRing, registerUser, type Account } from '../helpers/api.js';
import { TEST_START, useTestApp } from '../helpers/app.js';
import { runCli } from '../helpers/server-process.js';

const t = useTestApp({ config: { accessTokenTtlSeconds: 86_400 } });

const NOW = '2026-03-01T12:00:00.000Z';

/** Two writers on two drafts, views, passes and a publish over a morning. */
async function history(): Promise<{ owner: Account; urls: string[] }> {
  const owner = await registerUser(t.app);
  const friend = await registerUser(t.app);
  const urls: string[] = [];
  for (let d = 0; d < 2; d++) {
    const draft = await createDraft(t.app, owner, { initialSegment: `draft ${d} begins` });
    await addCollaborator(t.app, owner, draft.id, friend);
    for (let i = 0; i < 3; i++) {
      t.clock.advance(7 * 60_000);
      await call(t.app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: owner.accessToken, body: { content: `owner ${i}` } });
      await passRing(t.app, owner, draft.id, friend);
      t.clock.advance(5 * 60_000);
      await call(t.app, 'GET', `/v1/drafts/${draft.id}`, { token: friend.accessToken });
      await call(t.app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: friend.accessToken, body: { content: `friend ${i}` } });
      await passRing(t.app, friend, draft.id, owner);
    }
    await call(t.app, 'POST', `/v1/drafts/${draft.id}/publish`, { token: owner.accessToken });
    urls.push(`/v1/drafts/${draft.id}/analytics?now=${NOW}`);
  }
  urls.push(`/v1/users/${owner.user.id}/analytics?now=${NOW}`);
  for (const metric of ['collaboration', 'momentum', 'consistency']) {
    for (const window of ['7d', 'all']) urls.push(`/v1/leaderboard?metric=${metric}&window=${window}&now=${NOW}`);
  }
  return { owner, urls };
}

async function bodies(owner: Account, urls: string[]): Promise<string[]> {
  return Promise.all(urls.map(async (url) => (await call(t.app, 'GET', url, { token: owner.accessToken })).body));
}

const wipe = () => t.database.db.execute(sql.raw(`truncate ${PROJECTION_TABLES.join(', ')}`));

describe('analytics:rebuild', () => {
  it('rebuilds every projection from the event log: the answers are the same as before they were wiped', async () => {
    const { owner, urls } = await history();
    const before = await bodies(owner, urls);
    await wipe();
    expect(await bodies(owner, urls)).not.toEqual(before);
    const progress: RebuildProgress[] = [];
    const summary = await rebuildProjections(t.database.db, { batchSize: 5, onProgress: (p) => progress.push(p) });
    expect(await bodies(owner, urls)).toEqual(before);
    expect(summary.events).toBeGreaterThan(20);
    expect(summary.batches).toBe(Math.ceil(summary.events / 5));
    // Two people on two drafts; each wrote on one day, plus their all-time rows.
    expect(summary.rows).toEqual({ analytics_draft_people: 4, analytics_user_days: 4, analytics_view_marks: 2 });
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
    expect(progress.at(-1)).toEqual({ done: summary.events, total: summary.events });
  });

  it('keeps the 30-minute view gate: an open right after a rebuild counts no second view', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    await call(t.app, 'GET', `/v1/drafts/${draft.id}`, { token: owner.accessToken });
    await rebuildProjections(t.database.db);
    t.clock.advance(60_000);
    await call(t.app, 'GET', `/v1/drafts/${draft.id}`, { token: owner.accessToken });
    expect((await call(t.app, 'GET', `/v1/drafts/${draft.id}/analytics`, { token: owner.accessToken })).json()).toMatchObject({ views: 1 });
  });

  it('refuses an event of an unknown schema version and changes nothing', async () => {
    const { owner, urls } = await history();
    const before = await bodies(owner, urls);
    await t.database.db.execute(sql`insert into analytics_events (idempotency_key, schema_version, type, occurred_at, draft_id, user_id, payload)
      values ('from-the-future', 2, 'DraftCreated', ${TEST_START}::timestamptz, gen_random_uuid(), gen_random_uuid(), '{}')`);
    await expect(rebuildProjections(t.database.db, { batchSize: 4 })).rejects.toMatchObject({ code: 'unknown_schema_version', schemaVersion: 2 });
    expect(await bodies(owner, urls)).toEqual(before);
  });

  it('runs as `npm run analytics:rebuild`, with progress on stderr and a summary', async () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, NODE_ENV: 'development', LOG_LEVEL: 'warn' };
    if (t.databaseUrl) {
      await recordAnalyticsEvents(t.database.db, [{ type: 'DraftCreated', idempotencyKey: 'cli-1', occurredAt: new Date(TEST_START), draftId: crypto.randomUUID(), userId: crypto.randomUUID() }]);
      env.DATABASE_URL = t.databaseUrl;
    } else {
      // The CLI opens PGlite under DATA_DIR itself: give it a data directory with one event in it.
      env.DATA_DIR = mkdtempSync(join(tmpdir(), 'onering-rebuild-'));
      const database = await openDatabase({ kind: 'pglite', dataDir: env.DATA_DIR });
      await runMigrations(database);
      await recordAnalyticsEvents(database.db, [{ type: 'DraftCreated', idempotencyKey: 'cli-1', occurredAt: new Date(TEST_START), draftId: crypto.randomUUID(), userId: crypto.randomUUID() }]);
      await database.close();
    }
    const run = await runCli('src/server/analytics-rebuild-cli.ts', [], env);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/\[#{30}\] 100% 1\/1 events, [\d,]+ events\/s/);
    expect(run.output).toMatch(/Rebuilt the analytics projections from 1 event in [\d.]+ s/);
    expect(run.output).toMatch(/analytics_draft_people +1 rows/);
  }, 60_000);
});
