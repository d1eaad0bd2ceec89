// Appending segments over HTTP, as writers do: 32 concurrent writers (a) spread over 100 drafts and (b) all on
// one draft, next to pgbench running the same transaction in raw SQL (counter update + segment + event).
// Usage: npm run bench:append   (DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/postgres)
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { BASE_URL, admin, dbUrl, freshDatabase, load, pgbench, printTable, registerUser, startAppServer } from './lib.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WRITERS = 32;
const DRAFTS = 100;
const DB = 'onering_bench_append';

await freshDatabase(DB);
const server = await startAppServer(DB);
const { accessToken } = await registerUser(server.app, `writer-${process.pid}@example.test`);
const headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
const draftIds = [];
for (let i = 0; i < DRAFTS; i++) {
  const res = await fetch(`${server.app}/v1/drafts`, { method: 'POST', headers, body: JSON.stringify({ title: `bench ${i}`, platform: 'linkedin' }) });
  draftIds.push((await res.json()).id);
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

// pgbench's version of the same transaction, against the same tables, for the drafts above.
const client = new pg.Client({ connectionString: dbUrl(DB) });
await client.connect();
await client.query('create table bench_draft_ids (n int primary key, id uuid not null)');
await client.query('insert into bench_draft_ids select row_number() over (order by id), id from drafts');
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
const pgbenchArgs = (file, mode) => ['-n', '-M', mode, '-c', String(WRITERS), '-j', '2', '-T', String(DURATION), '-f', file, dbUrl(DB)];

// Interleaved rounds, medians kept: identical runs on a 2-core machine swing by ±30 %.
await load('warm-up', { ...spread, duration: 2 });
const runs = { a: [], b: [], tpsSpread: [], tpsOne: [], tpsSpreadPrepared: [], tpsOnePrepared: [] };
for (let round = 0; round < ROUNDS; round++) {
  runs.a.push(await load(`(a) HTTP, ${WRITERS} writers, ${DRAFTS} drafts`, spread));
  runs.tpsSpread.push(pgbench(pgbenchArgs(spreadFile, 'simple')));
  runs.tpsSpreadPrepared.push(pgbench(pgbenchArgs(spreadFile, 'prepared')));
  runs.b.push(await load(`(b) HTTP, ${WRITERS} writers, 1 draft`, one));
  runs.tpsOne.push(pgbench(pgbenchArgs(oneFile, 'simple')));
  runs.tpsOnePrepared.push(pgbench(pgbenchArgs(oneFile, 'prepared')));
}
await server.stop();
await admin(`drop database if exists ${DB} with (force)`);
const medianBy = (list, value) => [...list].sort((x, y) => value(x) - value(y))[Math.floor(list.length / 2)];
const a = medianBy(runs.a, (r) => r.rps);
const b = medianBy(runs.b, (r) => r.rps);
const tps = (list) => (list.includes(null) ? null : medianBy(list, (x) => x));
const [tpsSpread, tpsOne, tpsSpreadPrepared, tpsOnePrepared] = [runs.tpsSpread, runs.tpsOne, runs.tpsSpreadPrepared, runs.tpsOnePrepared].map(tps);

console.log(`\nmedian of ${ROUNDS} interleaved rounds of ${DURATION}s, ${WRITERS} concurrent writers${server.pinned ? ', server pinned to core 1' : ''}, PostgreSQL ${BASE_URL.replace(/\/\/[^@]*@/, '//')}`);
printTable([a, b]);
if (tpsSpread === null) {
  console.log('pgbench not available');
} else {
  const pct = (x, y) => `${((x / y) * 100).toFixed(0)} %`;
  console.log(`pgbench, same transaction, ${DRAFTS} drafts: ${tpsSpread.toFixed(0)} TPS (default, simple protocol) → (a) is ${pct(a.rps, tpsSpread)} (goal ≥ 50 %)`);
  console.log(`                                  ${tpsSpreadPrepared.toFixed(0)} TPS (-M prepared) → (a) is ${pct(a.rps, tpsSpreadPrepared)}`);
  console.log(`pgbench, same transaction, 1 draft:    ${tpsOne.toFixed(0)} TPS (default) → (b) is ${pct(b.rps, tpsOne)}; ${tpsOnePrepared.toFixed(0)} TPS (-M prepared) → ${pct(b.rps, tpsOnePrepared)}`);
}
