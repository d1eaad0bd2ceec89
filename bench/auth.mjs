// What do auth, validation and logging cost? Compares GET /v1/me with a bare Fastify hello-world and a bare
// primary-key SELECT on the same pool, all on PostgreSQL, then measures logins/s with our Argon2id setting.
// Usage: npm run bench:auth   (DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/postgres)
import { BASE_URL, dbUrl, freshDatabase, admin, load, measure, median, pgbench, printTable, registerUser, startAppServer } from './lib.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = 50;
const DB = 'onering_bench';

await freshDatabase(DB);
const server = await startAppServer(DB);
const { accessToken, user } = await registerUser(server.app, `bench-${process.pid}@example.test`);

const targets = [
  ['bare hello-world', { url: `${server.bare}/hello` }],
  ['bare PK SELECT', { url: `${server.bare}/select/${user.id}` }],
  ['GET /v1/me', { url: `${server.app}/v1/me`, headers: { authorization: `Bearer ${accessToken}` } }],
  ['GET /v1/auth/sessions', { url: `${server.app}/v1/auth/sessions`, headers: { authorization: `Bearer ${accessToken}` } }],
];
// Warm-up, then interleaved rounds and the median of each: on a 2-core machine single runs swing by ±30 %
// and more when other work shares it. Ratios are taken within each round (the bare SELECT and the app's
// reads ran seconds apart) and their median reported, so a slow patch of the machine hits both sides.
for (const [title, opts] of targets) await load(title, { connections: CONNECTIONS, duration: 2, ...opts });
const samples = targets.map(() => []);
for (let round = 0; round < ROUNDS; round++) {
  for (const [i, [title, opts]] of targets.entries()) samples[i].push(await measure(server, title, { connections: CONNECTIONS, duration: DURATION, ...opts }));
}
const rows = samples.map((list) => ({ ...list[0], rps: median(list.map((r) => r.rps)), p50: median(list.map((r) => r.p50)), p99: median(list.map((r) => r.p99)), cpuUs: list[0].cpuUs === null ? null : median(list.map((r) => r.cpuUs)) }));
const ratio = (i) => median(samples[i].map((r, round) => r.rps / samples[1][round].rps));
const login = await load('POST /v1/auth/login (8 conns)', {
  url: `${server.app}/v1/auth/login`,
  method: 'POST',
  connections: 8,
  duration: DURATION,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: user.email, password: 'benchmarks are honest' }),
});
await server.stop();
pgbench(['-i', '-q', '-s', '10', dbUrl(DB)]);
const tps = pgbench(['-S', '-n', '-c', String(CONNECTIONS), '-j', '2', '-T', String(DURATION), dbUrl(DB)]);
await admin(`drop database if exists ${DB} with (force)`);

console.log(
  `\nmedian of ${ROUNDS} interleaved ${DURATION}s runs, ${CONNECTIONS} connections${server.pinned ? ', server pinned to core 1' : ''}, PostgreSQL ${BASE_URL.replace(/\/\/[^@]*@/, '//')}`,
);
printTable([...rows, login]);
console.log(`\n/v1/me ÷ bare SELECT = ${ratio(2).toFixed(2)} (median of the per-round ratios; the session is served from the principal cache)`);
console.log(`/v1/auth/sessions ÷ bare SELECT = ${ratio(3).toFixed(2)} (goal ≥ 0.70; an authenticated read that runs one query)`);
console.log(`  per round: ${samples[3].map((r, round) => (r.rps / samples[1][round].rps).toFixed(2)).join(' ')}`);
console.log(`logins/s with Argon2id m=19456 KiB, t=2, p=1: ${login.rps.toFixed(1)}`);
console.log(`pgbench -S baseline (select-only, ${CONNECTIONS} clients, scale 10): ${tps ? tps.toFixed(0) + ' TPS' : 'pgbench not available'}`);
