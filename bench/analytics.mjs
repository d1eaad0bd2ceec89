// Analytics at a million events: loads 1,000,000 analytics events over 10,000 users and 50,000 drafts (COPY
// through psql), builds the projections with the rebuild, then prints
//   - leaderboard and draft-analytics request latency over HTTP (one client in a loop, and autocannon),
//   - the same reads straight over analytics_events in SQL (the baseline the projections replace),
//   - the full projection rebuild (time, events/s) beside a one-pass aggregate of the log,
//   - the pure reducers' throughput (events/s).
// Usage: npm run bench:analytics   (DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/postgres; it
// creates and drops a database onering_bench_analytics; BENCH_KEEP_DATABASE=1 keeps it to look into).
// BENCH_EVENTS, BENCH_USERS, BENCH_DRAFTS scale it; BENCH_REQUESTS sets the requests per read in the loop.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { tsImport } from 'tsx/esm/api';
import { admin, dbUrl, freshDatabase, measure, printTable, registerUser, startAppServer } from './lib.mjs';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const DRAFTS = Number(process.env.BENCH_DRAFTS ?? 50_000);
const PER_DRAFT = Math.floor(EVENTS / DRAFTS);
const MEMBER_DRAFTS = 1_000;
const DB = 'onering_bench_analytics';
const NOW = '2026-06-30T12:00:00.000Z';
const DAY = 86_400_000;
const SPAN_DAYS = 180;
const LOOP = Number(process.env.BENCH_REQUESTS ?? 1_000);

const { rebuildProjections } = await tsImport('../src/server/features/analytics/rebuild.ts', import.meta.url);
const { reduceLeaderboard, reduceDraftAnalytics, reduceUserAnalytics } = await tsImport('../src/server/features/analytics/reducers.ts', import.meta.url);
const { openDatabase } = await tsImport('../src/server/db/client.ts', import.meta.url);

// ---- a deterministic history ----------------------------------------------------------------------------
let seed = 20_260_630;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
}
const hex = (n) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(random() * 4)]}${hex(3)}-${hex(12)}`;
const pick = (list) => list[Math.floor(random() * list.length)];
// Some people write far more than others: user i is picked with a weight falling like 1/√i.
const someUser = () => users[Math.floor(random() ** 2 * users.length)];

const now = Date.parse(NOW);
const users = Array.from({ length: USERS }, uuid);
const drafts = [];
const events = [];
for (let d = 0; d < DRAFTS; d++) {
  const id = uuid();
  const owner = someUser();
  const crew = [owner, ...Array.from({ length: Math.floor(random() * 4) }, someUser)];
  let at = now - Math.floor(random() * SPAN_DAYS * DAY);
  const created = at;
  drafts.push({ id, owner, created });
  let seq = 1;
  const key = () => `draft:${id}:${seq++}`;
  const add = (type, userId, extra = {}) => events.push({ idempotencyKey: extra.key ?? key(), type, occurredAt: at, draftId: id, userId, targetUserId: extra.target ?? null, payload: extra.payload ?? {} });
  add('DraftCreated', owner);
  let holder = owner;
  let heldSince = at;
  for (let i = 1; i < PER_DRAFT; i++) {
    at = Math.min(now, at + Math.floor(-Math.log(1 - random()) * 3 * 3_600_000));
    const roll = random();
    if (i === PER_DRAFT - 1 && roll < 0.4) add('DraftPublished', owner);
    else if (roll < 0.45) add('SegmentAdded', holder, { payload: { segmentId: uuid(), length: 20 + Math.floor(random() * 260) } });
    else if (roll < 0.6 && crew.length > 1) {
      const to = pick(crew.filter((u) => u !== holder)) ?? owner;
      add('RingPassed', holder, { target: to, payload: { kind: 'pass', heldSince: new Date(heldSince).toISOString() } });
      [holder, heldSince] = [to, at];
    } else if (roll < 0.82) add('DraftViewed', pick(crew), { key: `view:${id}:${i}` });
    else if (roll < 0.87) add('DraftShared', random() < 0.5 ? null : someUser(), { key: `share:${id}:${i}`, payload: { channel: 'public_page' } });
    else if (roll < 0.96) add('SegmentEdited', holder, { payload: { segmentId: uuid() } });
    else add('SegmentDeleted', holder, { target: pick(crew), payload: { segmentId: uuid() } });
  }
}
// Recorded as they happened: the log's order (ids) follows time.
events.sort((a, b) => a.occurredAt - b.occurredAt);

// ---- load -------------------------------------------------------------------------------------------------
/** COPY rows (text format) into a table through psql. */
function copy(table, columns, rows) {
  return new Promise((resolve, reject) => {
    const psql = spawn('psql', [dbUrl(DB), '-v', 'ON_ERROR_STOP=1', '-qc', `\\copy ${table} (${columns}) from pstdin`], { stdio: ['pipe', 'inherit', 'inherit'] });
    psql.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`COPY ${table} failed (${code})`))));
    let chunk = [];
    for (const row of rows) {
      chunk.push(row.map((v) => (v === null ? '\\N' : String(v))).join('\t'));
      if (chunk.length === 10_000) {
        psql.stdin.write(`${chunk.join('\n')}\n`);
        chunk = [];
      }
    }
    psql.stdin.end(chunk.length ? `${chunk.join('\n')}\n` : '');
  });
}

const iso = (ms) => new Date(ms).toISOString();
await freshDatabase(DB);
const server = await startAppServer(DB); // migrates the fresh database
const reader = await registerUser(server.app, `reader-${process.pid}@example.test`);
const client = new pg.Client({ connectionString: dbUrl(DB) });
await client.connect();
const loadStarted = performance.now();
await copy('users', 'id, email, password_hash, display_name, role, created_at, updated_at', users.map((id, i) => [id, `user${i}@example.test`, 'x', `Writer ${i}`, 'user', iso(now - SPAN_DAYS * DAY), iso(now - SPAN_DAYS * DAY)]));
// Every user has a plan (registration writes it; a loader must too).
await copy('user_plans', 'user_id, plan_id, since', users.map((id) => [id, 'free', iso(now - SPAN_DAYS * DAY)]));
await copy(
  'drafts',
  'id, title, platform, status, owner_id, ring_holder_id, segment_count, last_server_seq, created_at, updated_at, last_activity_at',
  drafts.map((d) => [d.id, 'A thread', 'x', 'draft', d.owner, d.owner, 0, PER_DRAFT, iso(d.created), iso(d.created), iso(d.created)]),
);
const memberDrafts = drafts.slice(0, MEMBER_DRAFTS);
await copy('draft_members', 'draft_id, user_id, role, joined_at', [
  ...drafts.map((d) => [d.id, d.owner, 'owner', iso(d.created)]),
  ...memberDrafts.map((d) => [d.id, reader.user.id, 'collaborator', iso(d.created)]),
]);
await copy(
  'analytics_events',
  'idempotency_key, schema_version, type, occurred_at, draft_id, user_id, target_user_id, payload',
  events.map((e) => [e.idempotencyKey, 1, e.type, iso(e.occurredAt), e.draftId, e.userId, e.targetUserId, JSON.stringify(e.payload)]),
);
const loadSeconds = (performance.now() - loadStarted) / 1000;
await client.query('analyze');

// ---- rebuild ----------------------------------------------------------------------------------------------
const database = await openDatabase({ kind: 'postgres', url: dbUrl(DB), poolSize: 2 });
const timed = async (work) => {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
};
const rebuild = await timed(() => rebuildProjections(database.db));
// The baseline: one pass over the whole log computing the per-user-day counts, written nowhere.
const onePass = await timed(() =>
  client.query(`select count(*) from (
    select user_id, (occurred_at at time zone 'UTC')::date as day, count(*) filter (where type = 'SegmentAdded'), count(*) filter (where type = 'DraftCreated')
    from analytics_events where user_id is not null group by 1, 2) x`),
);
await database.close();
await client.query('vacuum analyze');
const sizes = (await client.query(`select relname, pg_size_pretty(pg_total_relation_size(oid)) as size from pg_class
  where relname in ('analytics_events', 'analytics_user_days', 'analytics_draft_people') order by relname`)).rows;

// ---- reads over HTTP -------------------------------------------------------------------------------------
const headers = { authorization: `Bearer ${reader.accessToken}` };
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
/** One client asking `paths` in turn, LOOP times after a warm-up: the latency a single request sees. */
async function latency(title, paths) {
  const ask = async (path) => {
    const res = await fetch(`${server.app}${path}`, { headers });
    if (res.status !== 200) throw new Error(`${title}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };
  for (let i = 0; i < 50; i++) await ask(paths[i % paths.length]);
  const times = [];
  for (let i = 0; i < LOOP; i++) {
    const started = performance.now();
    await ask(paths[i % paths.length]);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { title, p50: percentile(times, 50), p99: percentile(times, 99), max: times.at(-1) };
}
const board = (window, at = NOW) => [`/v1/leaderboard?metric=collaboration&window=${window}&now=${at}`, `/v1/leaderboard?metric=momentum&window=${window}&now=${at}`, `/v1/leaderboard?metric=consistency&window=${window}&now=${at}`];
const yesterday = iso(now - DAY);
const targets = [
  ['leaderboard 7d', board('7d')],
  ['leaderboard 30d', board('30d')],
  ['leaderboard all', board('all')],
  ['leaderboard all, now = a day ago', board('all', yesterday)],
  ['draft analytics', memberDrafts.map((d) => `/v1/drafts/${d.id}/analytics?now=${NOW}`)],
  ['user analytics (own)', [`/v1/users/${reader.user.id}/analytics?now=${NOW}`]],
];
const loops = [];
for (const [title, paths] of targets) loops.push(await latency(title, paths));
let nextDraft = 0;
const cannon = [
  await measure(server, 'leaderboard 7d, 8 connections', { url: `${server.app}${board('7d')[0]}`, headers, connections: 8, duration: 5 }),
  await measure(server, 'leaderboard all, 8 connections', { url: `${server.app}${board('all')[0]}`, headers, connections: 8, duration: 5 }),
  await measure(server, 'draft analytics, 8 connections', {
    url: server.app,
    headers,
    connections: 8,
    duration: 5,
    requests: [{ setupRequest: (req) => ({ ...req, path: `/v1/drafts/${memberDrafts[nextDraft++ % MEMBER_DRAFTS].id}/analytics?now=${NOW}` }) }],
  }),
];

// ---- the same reads straight over analytics_events, in SQL ----------------------------------------------
async function sqlTimes(title, text, values, runs) {
  const times = [];
  for (let i = 0; i < runs + 1; i++) {
    const started = performance.now();
    await client.query(text, values);
    if (i > 0) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { title, p50: percentile(times, 50), p99: percentile(times, 99), max: times.at(-1) };
}
const weekStart = iso(Math.floor(now / DAY) * DAY - 6 * DAY);
const DIRECT_BOARD = `
  with firsts as (
    select user_id, min(occurred_at) as first_at from analytics_events
    where type = 'SegmentAdded' and user_id is not null and occurred_at <= $2 group by draft_id, user_id
  ), counts as (
    select user_id, count(*) filter (where type = 'SegmentAdded') as segments, 0 as held, 0 as contributed
    from analytics_events where occurred_at >= $1 and occurred_at <= $2 and user_id is not null group by user_id
    union all
    select target_user_id, 0, count(*), 0 from analytics_events where type = 'RingPassed' and occurred_at >= $1 and occurred_at <= $2 group by target_user_id
    union all
    select user_id, 0, 0, count(*) from firsts where first_at >= $1 group by user_id
  )
  select user_id, sum(segments) * 3 + sum(held) * 2 + sum(contributed) as score from counts group by user_id order by score desc, user_id limit 10`;
const DIRECT_DRAFT = `select type, user_id, count(*), min(occurred_at), max(occurred_at) from analytics_events where draft_id = $1 and occurred_at <= $2 group by type, user_id`;
const direct = [
  await sqlTimes('SQL over the log: collaboration 7d', DIRECT_BOARD, [weekStart, NOW], 5),
  await sqlTimes('SQL over the log: collaboration all', DIRECT_BOARD, ['-infinity', NOW], 5),
  await sqlTimes('SQL over the log: one draft', DIRECT_DRAFT, [memberDrafts[0].id, NOW], 200),
];

// ---- reducers ---------------------------------------------------------------------------------------------
const recorded = events.map((e) => ({ ...e, schemaVersion: 1, occurredAt: new Date(e.occurredAt) }));
const nowDate = new Date(NOW);
const reducers = [
  ['reduceLeaderboard (collaboration, all)', () => reduceLeaderboard('collaboration', 'all', recorded, nowDate)],
  ['reduceLeaderboard (momentum, 7d)', () => reduceLeaderboard('momentum', '7d', recorded, nowDate)],
  ['reduceUserAnalytics', () => reduceUserAnalytics(users[0], recorded, nowDate)],
  ['reduceDraftAnalytics', () => reduceDraftAnalytics(drafts[0].id, recorded, nowDate)],
].map(([title, run]) => {
  run();
  const started = performance.now();
  run();
  const seconds = (performance.now() - started) / 1000;
  return { title, eventsPerSecond: recorded.length / seconds, ms: seconds * 1000 };
});

// ---- figures ----------------------------------------------------------------------------------------------
const n = (x) => Math.round(x).toLocaleString('en-US');
const ms = (x) => x.toFixed(x < 10 ? 2 : 1);
console.log(`\n${n(events.length)} events, ${n(USERS)} users, ${n(DRAFTS)} drafts over ${SPAN_DAYS} days; loaded with COPY in ${loadSeconds.toFixed(1)} s`);
console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(', ')} (2 cores shared with other work: compare with the baselines of the same run)`);
console.log(`server${server.pinned ? ' pinned to core 1' : ''}, one client in a loop, ${LOOP} requests each (ms):`);
console.log('read'.padEnd(44), 'p50'.padStart(8), 'p99'.padStart(8), 'max'.padStart(8));
for (const r of [...loops, ...direct]) console.log(r.title.padEnd(44), ms(r.p50).padStart(8), ms(r.p99).padStart(8), ms(r.max).padStart(8));
console.log('\nunder load (autocannon):');
printTable(cannon);
const rebuilt = rebuild.result;
console.log(`\nrebuild: ${n(rebuilt.events)} events in ${(rebuild.ms / 1000).toFixed(2)} s = ${n(rebuilt.events / (rebuild.ms / 1000))} events/s (${rebuilt.batches} batches)`);
for (const [table, rows] of Object.entries(rebuilt.rows)) console.log(`  ${table.padEnd(26)} ${n(rows).padStart(10)} rows`);
console.log(`baseline, one aggregate pass over the log (per user and day, written nowhere): ${(onePass.ms / 1000).toFixed(2)} s = ${n(events.length / (onePass.ms / 1000))} events/s`);
console.log(`sizes: ${sizes.map((s) => `${s.relname} ${s.size}`).join(', ')}`);
console.log('\nreducers over all events in memory:');
for (const r of reducers) console.log(`  ${r.title.padEnd(40)} ${n(r.eventsPerSecond).padStart(12)} events/s (${ms(r.ms)} ms)`);

async function cleanUp() {
  await client.end();
  await server.stop();
  if (process.env.BENCH_KEEP_DATABASE !== '1') await admin(`drop database if exists ${DB} with (force)`);
}
await cleanUp();
