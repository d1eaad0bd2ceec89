// What the append statement costs the database, part by part: the app's own statement (APPEND_SEGMENT_SQL)
// without its analytics, with its analytics event, with each projection upsert added in turn, and whole. One
// pgbench client, prepared, asynchronous commit (so the figures are the statement's own work, not the WAL
// flush), rounds interleaved and the median kept.
// Usage: node bench/append-statement.mjs   (DATABASE_URL as for the other benches; ROUNDS, SECONDS)
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { tsImport } from 'tsx/esm/api';
import { admin, dbUrl, freshDatabase } from './lib.mjs';

const DB = 'onering_bench_append_statement';
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const SECONDS = Number(process.env.SECONDS ?? 3);
await freshDatabase(DB);
await admin(`alter database ${DB} set synchronous_commit = off`);
const { openDatabase } = await tsImport('../src/server/db/client.ts', import.meta.url);
const { runMigrations } = await tsImport('../src/server/db/migrate.ts', import.meta.url);
const { APPEND_SEGMENT_SQL } = await tsImport('../src/server/features/drafts/repo.ts', import.meta.url);
const { PROJECTION_CTES } = await tsImport('../src/server/features/analytics/projection-sql.ts', import.meta.url);
const database = await openDatabase({ kind: 'postgres', url: dbUrl(DB), poolSize: 1 });
await runMigrations(database);
await database.close();

const client = new pg.Client({ connectionString: dbUrl(DB) });
await client.connect();
const user = '01900000-0000-7000-8000-000000000001';
await client.query(`insert into users (id, email, password_hash, role, created_at, updated_at) values ($1, 'writer@example.test', 'x', 'user', now(), now())`, [user]);
// Every user has a plan (registration writes it; a seeder must too); 50 drafts are more than free allows.
await client.query(`insert into user_plans (user_id, plan_id, since) values ($1, 'team', now())`, [user]);
await client.query('create table bench_draft_ids (n int primary key, id uuid not null)');
await client.query(`with d as (
    insert into drafts (id, title, platform, status, owner_id, ring_holder_id, created_at, updated_at, last_activity_at)
    select gen_random_uuid(), 'bench', 'x', 'draft', $1, $1, now(), now(), now() from generate_series(1, 50) returning id
  ), m as (insert into draft_members select id, $1, 'owner', now() from d)
  insert into bench_draft_ids select row_number() over (), id from d`, [user]);
await client.end();

// The variants, cut from the statement itself: without the analytics CTEs, then adding them one by one.
const [head, tail] = APPEND_SEGMENT_SQL.split(`, ${PROJECTION_CTES}`);
const withoutAnalytics = head.slice(0, head.lastIndexOf('), a_src as (') + 1) + tail;
const parts = PROJECTION_CTES.split(/\n\), (?=a_)/);
const variants = [
  ['without analytics', withoutAnalytics],
  ['+ the analytics event', `${head}${tail}`],
  ...parts.map((_, i) => [`+ ${parts.slice(0, i + 1).map((p) => p.trim().split(' ')[0]).at(-1)}`, `${head}, ${parts.slice(0, i + 1).join('\n), ')}${i + 1 < parts.length ? '\n)' : ''}${tail}`]),
];
const script = (text) => `\\set n random(1, 50)
\\set seg random(1, 9223372036854775807)
${text.replaceAll('HH24:MI:SS', "HH24' || chr(58) || 'MI' || chr(58) || 'SS")
  .replaceAll('$1::uuid', '(select id from bench_draft_ids where n = :n)')
  .replaceAll('$3::uuid', 'md5(:seg::text)::uuid')
  .replaceAll('$3::text', 'md5(:seg::text)::uuid::text')
  .replace(/\$([24-7])/g, ':p$1')
  .replace(/\s+/g, ' ')
  .trim()};
`;
const vars = ['-D', `p2=${user}`, '-D', 'p4=A segment of a thread.', '-D', 'p5=Writer', '-D', 'p6=x', '-D', `p7=${new Date().toISOString()}`];
const micros = Object.fromEntries(variants.map(([name]) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, text] of variants) {
    const file = join(tmpdir(), `onering-append-statement-${name.replace(/\W+/g, '-')}.sql`);
    writeFileSync(file, script(text));
    const out = execFileSync('pgbench', ['-n', '-M', 'prepared', '-c', '1', '-T', String(SECONDS), ...vars, '-f', file, dbUrl(DB)], { encoding: 'utf8' });
    micros[name].push(1e6 / Number(/tps = ([\d.]+)/.exec(out)[1]));
  }
}
await admin(`drop database if exists ${DB} with (force)`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(micros['without analytics']);
console.log(`median of ${ROUNDS} interleaved rounds of ${SECONDS}s, one client, asynchronous commit`);
for (const [name] of variants) {
  const m = median(micros[name]);
  console.log(`${name.padEnd(24)} ${m.toFixed(0).padStart(5)} µs per append   ${m === base ? '' : `+${(m - base).toFixed(0)} µs`}`);
}
