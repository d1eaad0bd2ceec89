// What the AI gateway adds to a model call: `gateway.generate` (safety precheck, reservation on PostgreSQL,
// cockatiel policies, usage row and settlement) against calling the same fake OpenAI server directly with the
// same `openai` client, both at a fixed arrival rate (open loop: a request leaves every 1/RATE s whether or not
// the previous ones answered). Rounds interleave baseline and gateway.
// Usage: npm run bench:ai-gateway   (BENCH_RATE, BENCH_COUNT, BENCH_ROUNDS; DATABASE_URL as in lib.mjs)
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import OpenAI from 'openai';
import { Registry } from 'prom-client';
import { openDatabase } from '../src/server/db/client.ts';
import { runMigrations } from '../src/server/db/migrate.ts';
import { createAiGateway } from '../src/server/features/ai/gateway.ts';
import { systemClock } from '../src/server/platform/clock.ts';
import { createLogger } from '../src/server/platform/observability.ts';
import { dbUrl, freshDatabase, median } from './lib.mjs';

const RATE = Number(process.env.BENCH_RATE ?? 200);
const COUNT = Number(process.env.BENCH_COUNT ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP = 200;
const USERS = 100;
const DB = 'onering_bench_ai_gateway';

const messages = [
  { role: 'system', content: 'You help people say what they mean, kindly. Answer with up to three rewrites.' },
  { role: 'user', content: 'Shipping something small every day beats waiting for the perfect launch. It adds up.' },
];

await freshDatabase(DB);
let database = await openDatabase({ kind: 'postgres', url: dbUrl(DB), poolSize: 20 });
await runMigrations(database);
// Diagnostic only (BENCH_ASYNC_COMMIT=1): every commit without waiting for the WAL flush, to see how much of
// the overhead is the admission's durable commit (the product never runs so).
if (process.env.BENCH_ASYNC_COMMIT === '1') await database.pool.query(`alter database ${DB} set synchronous_commit = off`);
if (process.env.BENCH_ASYNC_COMMIT === '1') {
  await database.close();
  database = await openDatabase({ kind: 'postgres', url: dbUrl(DB), poolSize: 20 });
}
// Budgets out of the way: the bench measures the bookkeeping, not refusals.
await database.pool.query(`update ai_budgets set daily_micros = 1000000000000`);
const users = [];
for (let i = 0; i < USERS; i++) {
  const id = randomUUID();
  await database.pool.query(`insert into users (id, email, password_hash, created_at, updated_at) values ($1, $2, 'x', now(), now())`, [id, `${id}@bench.test`]);
  users.push(id);
}

// The fake answers from its own process: both sides of the comparison pay the same for it, and neither pays
// for its CPU.
const fake = fork(new URL('./fake-openai-process.ts', import.meta.url).pathname, [], { execArgv: ['--import', 'tsx'] });
const { baseUrl } = await new Promise((resolve) => fake.once('message', resolve));
const config = { baseUrl, apiKey: undefined, model: 'gpt-4o-mini', timeoutMs: 20_000, maxRetries: 2, breakerThreshold: 5, breakerHalfOpenMs: 30_000 };
const gateway = createAiGateway({ db: database.db, clock: systemClock, config, registry: new Registry(), logger: createLogger('silent') });
const client = new OpenAI({ baseURL: baseUrl, apiKey: 'unused', maxRetries: 0, timeout: 2 ** 31 - 1, logLevel: 'off' });

const direct = () => client.chat.completions.create({ model: 'gpt-4o-mini', messages, temperature: 0.7, max_tokens: 300 });
const viaGateway = (i) =>
  gateway.generate({ feature: 'turn', model: 'gpt-4o-mini', temperature: 0.7, maxTokens: 300, timeoutMs: 20_000, messages, userId: users[i % USERS] });

/** `count` calls at RATE per second; each one's latency from its scheduled start to its answer, in ms. */
async function openLoop(call, count) {
  const gap = 1000 / RATE;
  const started = performance.now();
  const latencies = [];
  const calls = [];
  for (let i = 0; i < count; i++) {
    const due = started + i * gap;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const sent = performance.now();
    calls.push(
      call(i).then(() => {
        latencies.push(performance.now() - sent);
      }),
    );
  }
  await Promise.all(calls);
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { p50: at(0.5), p99: at(0.99) };
}

await openLoop(direct, WARMUP);
await openLoop(viaGateway, WARMUP);
const rows = [];
const overheads = { p50: [], p99: [] };
for (let round = 1; round <= ROUNDS; round++) {
  const baseline = await openLoop(direct, COUNT);
  const through = await openLoop(viaGateway, COUNT);
  overheads.p50.push(through.p50 - baseline.p50);
  overheads.p99.push(through.p99 - baseline.p99);
  const ms = (v) => v.toFixed(2);
  rows.push({ round, 'direct p50': ms(baseline.p50), 'direct p99': ms(baseline.p99), 'gateway p50': ms(through.p50), 'gateway p99': ms(through.p99), 'overhead p50': ms(through.p50 - baseline.p50), 'overhead p99': ms(through.p99 - baseline.p99) });
}
console.log(`${COUNT} calls per round at ${RATE}/s, ${ROUNDS} rounds, PostgreSQL, fake OpenAI server in its own process on loopback; load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.table(rows);
console.log(`median overhead: p50 ${median(overheads.p50).toFixed(2)} ms, p99 ${median(overheads.p99).toFixed(2)} ms (LiteLLM publishes 12 / 29 ms)`);
const usage = await database.pool.query(`select count(*)::int as n, count(*) filter (where outcome <> 'ok')::int as failed from ai_usage`);
console.log(`usage rows: ${usage.rows[0].n}, not ok: ${usage.rows[0].failed}`);

await gateway.close();
fake.disconnect();
await database.close();
