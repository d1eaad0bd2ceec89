// Appending segments over HTTP, as writers do: 32 concurrent writers (a) spread over 100 drafts of one account,
// (b) all on one draft and (c) spread over 100 drafts each written by its own account, next to pgbench running
// the same transaction in raw SQL (counter update + segment + event) and the app's own append statement (same
// checks, one round trip).
// Usage: npm run bench:append   (DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/postgres)
// BENCH_COMPARE_INDEX="create index bench_compared_index on drafts …" runs every round without and with that index.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { tsImport } from 'tsx/esm/api';
import { BASE_URL, admin, dbUrl, freshDatabase, load, measure, pgbench, printTable, registerUser, startAppServer } from './lib.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WRITERS = 32;
const DRAFTS = 100;
const DB = 'onering_bench_append';

await freshDatabase(DB);
const server = await startAppServer(DB);
const { accessToken, user } = await registerUser(server.app, `writer-${process.pid}@example.test`);
// One account owns the 100 drafts of (a): more than the free plan allows, so it is on the team plan.
await admin(`update user_plans set plan_id = 'team' where user_id = '${user.id}'`, dbUrl(DB));
const headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
const draftIds = [];
for (let i = 0; i < DRAFTS; i++) {
  const res = await fetch(`${server.app}/v1/drafts`, { method: 'POST', headers, body: JSON.stringify({ title: `bench ${i}`, platform: 'linkedin' }) });
  draftIds.push((await res.json()).id);
}
// (c): a hundred writers, each on a draft of their own, as people write (one account's appends all count on that
// account's analytics rows, so (a) also measures one account writing 32 segments at once).
const writers = [];
for (let i = 0; i < DRAFTS; i++) {
  const writer = await registerUser(server.app, `writer-${process.pid}-${i}@example.test`);
  const auth = { authorization: `Bearer ${writer.accessToken}`, 'content-type': 'application/json' };
  const res = await fetch(`${server.app}/v1/drafts`, { method: 'POST', headers: auth, body: JSON.stringify({ title: `bench own ${i}`, platform: 'linkedin' }) });
  writers.push({ headers: auth, draftId: (await res.json()).id });
}
const body = JSON.stringify({ content: 'A segment of a thread, written during the append benchmark.' });
let next = 0;
const spread = {
  url: server.app,
  method: 'POST',
  headers,
  body,
  connections: WRITERS,
  duration: DURATION,
  requests: [{ setupRequest: (req) => ({ ...req, path: `/v1/drafts/${draftIds[next++ % DRAFTS]}/segments` }) }],
};
const one = { url: `${server.app}/v1/drafts/${draftIds[0]}/segments`, method: 'POST', headers, body, connections: WRITERS, duration: DURATION };
let nextWriter = 0;
const many = {
  ...spread,
  requests: [
    {
      setupRequest: (req) => {
        const w = writers[nextWriter++ % DRAFTS];
        return { ...req, path: `/v1/drafts/${w.draftId}/segments`, headers: w.headers };
      },
    },
  ],
};

// pgbench's version of the same transaction, against the same tables, for the drafts above.
const client = new pg.Client({ connectionString: dbUrl(DB) });
await client.connect();
await client.query('create table bench_draft_ids (n int primary key, id uuid not null)');
await client.query('insert into bench_draft_ids select row_number() over (order by id), id from drafts where owner_id = $1', [user.id]);
await client.query('create table bench_own_drafts (n int primary key, id uuid not null, owner uuid not null)');
await client.query('insert into bench_own_drafts select row_number() over (order by id), id, owner_id from drafts where owner_id <> $1', [user.id]);
await client.end();
const script = (pick) => `${pick}
BEGIN;
UPDATE drafts d SET last_server_seq = d.last_server_seq + 1, segment_count = d.segment_count + 1, updated_at = now(), last_activity_at = now()
  FROM bench_draft_ids b WHERE b.n = :n AND d.id = b.id RETURNING d.segment_count - 1 AS pos, d.last_server_seq AS seq \\gset
INSERT INTO segments (id, draft_id, position, content, author_id, created_at)
  SELECT gen_random_uuid(), d.id, :pos, 'A segment of a thread, written during the append benchmark.', d.owner_id, now() FROM drafts d JOIN bench_draft_ids b ON b.id = d.id WHERE b.n = :n;
INSERT INTO draft_events (draft_id, server_seq, type, payload, actor_id, created_at)
  SELECT d.id, :seq, 'segment.appended', '{"segment":{}}'::jsonb, d.owner_id, now() FROM drafts d JOIN bench_draft_ids b ON b.id = d.id WHERE b.n = :n;
END;
`;
const spreadFile = join(tmpdir(), 'onering-append-spread.sql');
const oneFile = join(tmpdir(), 'onering-append-one.sql');
writeFileSync(spreadFile, script(`\\set n random(1, ${DRAFTS})`));
writeFileSync(oneFile, script('\\set n 1'));
const pgbenchArgs = (file, mode, vars = []) => ['-n', '-M', mode, '-c', String(WRITERS), '-j', '2', '-T', String(DURATION), ...vars, '-f', file, dbUrl(DB)];

// The app's own append statement (membership, ring, status and platform checks, segment, counters and
// event in one statement), with pgbench variables for its parameters. Two stand-ins: the draft id is looked
// up from the draft number inside the statement (pgbench cannot draw a uuid), and the segment id is derived
// from a random 64-bit number (both of its uses get the same id, as in the app). pgbench takes every `:name`
// for a variable, even inside a string literal, so the time format's colons are spelled with chr(58).
const { APPEND_SEGMENT_SQL } = await tsImport('../src/server/features/drafts/repo.ts', import.meta.url);
const appStatement = (pick) => `${pick}
\\set seg random(1, 9223372036854775807)
${APPEND_SEGMENT_SQL.replaceAll('HH24:MI:SS', "HH24' || chr(58) || 'MI' || chr(58) || 'SS")
  .replaceAll('$1::uuid', '(select id from bench_draft_ids where n = :n)')
  .replaceAll('$3::uuid', 'md5(:seg::text)::uuid')
  .replaceAll('$3::text', 'md5(:seg::text)::uuid::text')
  .replace(/\$([24-7])/g, ':p$1')
  .replace(/\s+/g, ' ')
  .trim()};
`;
const appVars = ['-D', `p2=${user.id}`, '-D', `p4=${JSON.parse(body).content}`, '-D', `p5=${user.email}`, '-D', 'p6=linkedin', '-D', `p7=${new Date().toISOString()}`];
const appSpreadFile = join(tmpdir(), 'onering-append-app-spread.sql');
const appOneFile = join(tmpdir(), 'onering-append-app-one.sql');
writeFileSync(appSpreadFile, appStatement(`\\set n random(1, ${DRAFTS})`));
writeFileSync(appOneFile, appStatement('\\set n 1'));
// (c)'s stand-in: each draft's own owner writes (looked up like the draft id).
const appManyFile = join(tmpdir(), 'onering-append-app-many.sql');
writeFileSync(
  appManyFile,
  appStatement(`\\set n random(1, ${DRAFTS})`)
    .replaceAll('bench_draft_ids', 'bench_own_drafts')
    .replaceAll(':p2::uuid', '(select owner from bench_own_drafts where n = :n)')
    .replaceAll(':p2::text', '(select owner from bench_own_drafts where n = :n)::text'),
);

// Interleaved rounds, medians kept: identical runs on a 2-core machine swing by ±30 %.
await load('warm-up', { ...spread, duration: 2 });
const COMPARE_INDEX = process.env.BENCH_COMPARE_INDEX;
const variants = COMPARE_INDEX ? ['without', 'with'] : ['as migrated'];
const runs = Object.fromEntries(variants.map((v) => [v, { a: [], b: [], c: [], tpsSpread: [], tpsOne: [], tpsSpreadPrepared: [], tpsOnePrepared: [], tpsSpreadApp: [], tpsOneApp: [], tpsManyApp: [] }]));
for (let round = 0; round < ROUNDS; round++) {
  for (const variant of variants) {
    if (COMPARE_INDEX) await admin(variant === 'with' ? COMPARE_INDEX : 'drop index if exists bench_compared_index', dbUrl(DB));
    const r = runs[variant];
    r.a.push(await measure(server, `(a) HTTP, ${WRITERS} writers, ${DRAFTS} drafts`, spread));
    r.tpsSpread.push(pgbench(pgbenchArgs(spreadFile, 'simple')));
    r.tpsSpreadPrepared.push(pgbench(pgbenchArgs(spreadFile, 'prepared')));
    r.tpsSpreadApp.push(pgbench(pgbenchArgs(appSpreadFile, 'prepared', appVars)));
    r.b.push(await measure(server, `(b) HTTP, ${WRITERS} writers, 1 draft`, one));
    r.tpsOne.push(pgbench(pgbenchArgs(oneFile, 'simple')));
    r.tpsOnePrepared.push(pgbench(pgbenchArgs(oneFile, 'prepared')));
    r.tpsOneApp.push(pgbench(pgbenchArgs(appOneFile, 'prepared', appVars)));
    r.c.push(await measure(server, `(c) HTTP, ${WRITERS} writers, ${DRAFTS} own drafts`, many));
    r.tpsManyApp.push(pgbench(pgbenchArgs(appManyFile, 'prepared', appVars)));
  }
}
await server.stop();
await admin(`drop database if exists ${DB} with (force)`);
const medianBy = (list, value) => [...list].sort((x, y) => value(x) - value(y))[Math.floor(list.length / 2)];
const tps = (list) => (list.includes(null) ? null : medianBy(list, (x) => x));
const pct = (x, y) => `${((x / y) * 100).toFixed(0)} %`;

console.log(`\nmedian of ${ROUNDS} interleaved rounds of ${DURATION}s, ${WRITERS} concurrent writers${server.pinned ? ', server pinned to core 1' : ''}, PostgreSQL ${BASE_URL.replace(/\/\/[^@]*@/, '//')}`);
for (const variant of variants) {
  const r = runs[variant];
  const a = medianBy(r.a, (x) => x.rps);
  const b = medianBy(r.b, (x) => x.rps);
  const c = medianBy(r.c, (x) => x.rps);
  const [tpsSpread, tpsOne, tpsSpreadPrepared, tpsOnePrepared, tpsSpreadApp, tpsOneApp, tpsManyApp] = [r.tpsSpread, r.tpsOne, r.tpsSpreadPrepared, r.tpsOnePrepared, r.tpsSpreadApp, r.tpsOneApp, r.tpsManyApp].map(tps);
  if (COMPARE_INDEX) console.log(`\n${variant} ${COMPARE_INDEX}`);
  printTable([a, b, c]);
  if (tpsSpread === null) {
    console.log('pgbench not available');
    continue;
  }
  console.log(`pgbench, same transaction, ${DRAFTS} drafts: ${tpsSpread.toFixed(0)} TPS (default, simple protocol) → (a) is ${pct(a.rps, tpsSpread)} (goal ≥ 50 %)`);
  console.log(`                                  ${tpsSpreadPrepared.toFixed(0)} TPS (-M prepared) → (a) is ${pct(a.rps, tpsSpreadPrepared)}`);
  console.log(`pgbench, the app's append statement, ${DRAFTS} drafts: ${tpsSpreadApp.toFixed(0)} TPS (-M prepared) → (a) is ${pct(a.rps, tpsSpreadApp)}`);
  console.log(`pgbench, same transaction, 1 draft:    ${tpsOne.toFixed(0)} TPS (default) → (b) is ${pct(b.rps, tpsOne)}; ${tpsOnePrepared.toFixed(0)} TPS (-M prepared) → ${pct(b.rps, tpsOnePrepared)}`);
  console.log(`pgbench, the app's append statement, 1 draft: ${tpsOneApp.toFixed(0)} TPS (-M prepared) → (b) is ${pct(b.rps, tpsOneApp)}`);
  console.log(`pgbench, the app's append statement, ${DRAFTS} drafts of their own writers: ${tpsManyApp.toFixed(0)} TPS (-M prepared) → (c) is ${pct(c.rps, tpsManyApp)}`);
}
