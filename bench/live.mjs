// Live delivery across two instances on one PostgreSQL + Redis, as behind a load balancer.
// (1) 200 sockets on one draft, half on each instance, 1,000 appends: latency from each append's HTTP response
//     to its receipt on every socket (p50/p99/max), events delivered per second, lost and duplicated events.
// (2) 1,000 drafts with 2 sockets each (one per instance), 1,000 appends spread over them: server memory per
//     socket and the same latency figures.
// Usage: npm run bench:live   (DATABASE_URL and REDIS_URL default to the local PostgreSQL and Redis)
import { generateKeyPairSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { BASE_URL, admin, freshDatabase, pgbench, dbUrl, registerUser, startAppServer } from './lib.mjs';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DB = 'onering_bench_live';
const APPENDS = Number(process.env.BENCH_APPENDS ?? 1000);
const WRITERS = 4;

/** Calls the API as `token`; throws on anything but the expected status. */
async function api(base, method, path, token, body, expected = 200) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status !== expected) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * A live socket that records, per appended segment id, when it arrived, and every serverSeq in the order
 * received (to count what was lost or repeated).
 */
function openSocket(base, draftId, token) {
  const socket = new WebSocket(`${base.replace('http', 'ws')}/v1/drafts/${draftId}/live`);
  const record = { draftId, seqs: [], arrivals: new Map(), closed: null, socket };
  return new Promise((resolve, reject) => {
    socket.on('open', () => socket.send(JSON.stringify({ type: 'hello', accessToken: token, since: 0 })));
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data));
      if (frame.type === 'ready') resolve(record);
      if (frame.type !== 'event') return;
      record.seqs.push(frame.event.serverSeq);
      if (frame.event.type === 'segment.appended') record.arrivals.set(frame.event.payload.segment.id, performance.now());
    });
    socket.on('close', (code) => {
      record.closed = code;
      reject(new Error(`socket closed with ${code}`));
    });
    socket.on('error', reject);
  });
}

/** Appends `APPENDS` segments, `WRITERS` at a time, through alternating instances; answers id → request and response times. */
async function appendAll(bases, token, pickDraft) {
  const answered = new Map();
  let next = 0;
  async function writer() {
    while (next < APPENDS) {
      const n = next++;
      const sent = performance.now();
      const segment = await api(bases[n % bases.length], 'POST', `/v1/drafts/${pickDraft(n)}/segments`, token, { content: `post ${n}` }, 201);
      answered.set(segment.id, { sent, answered: performance.now() });
    }
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: WRITERS }, writer));
  return { answered, started };
}

/** Waits until every socket has `expected(socket)` segment arrivals or the deadline passes. */
async function settle(sockets, expected, deadlineMs = 30_000) {
  const until = performance.now() + deadlineMs;
  while (performance.now() < until && sockets.some((s) => s.arrivals.size < expected(s))) await new Promise((r) => setTimeout(r, 50));
}

/**
 * Latencies from the HTTP response to receipt (0 when the event beat the response) and from the request to
 * receipt (which includes the append itself), losses, repeats and gaps.
 */
function measure(sockets, answered, expected) {
  const latencies = [];
  const sinceRequest = [];
  let lost = 0;
  let duplicated = 0;
  let early = 0;
  let gaps = 0;
  let last = 0;
  for (const s of sockets) {
    lost += Math.max(0, expected(s) - s.arrivals.size);
    duplicated += s.seqs.length - new Set(s.seqs).size;
    for (let i = 1; i < s.seqs.length; i++) gaps += Math.max(0, s.seqs[i] - s.seqs[i - 1] - 1);
    for (const [id, at] of s.arrivals) {
      const times = answered.get(id);
      if (times === undefined) continue;
      if (at < times.answered) early++;
      latencies.push(Math.max(0, at - times.answered));
      sinceRequest.push(at - times.sent);
      last = Math.max(last, at);
    }
  }
  const stats = (list) => {
    list.sort((a, b) => a - b);
    const pct = (p) => list[Math.min(list.length - 1, Math.floor((p / 100) * list.length))] ?? NaN;
    return { p50: pct(50), p99: pct(99), max: list.at(-1) ?? NaN };
  };
  return { deliveries: latencies.length, ...stats(latencies), request: stats(sinceRequest), lost, duplicated, gaps, early, last };
}

function report(title, m, started) {
  const seconds = (m.last - started) / 1000;
  console.log(`\n${title}`);
  console.log(`  deliveries ${m.deliveries}, lost ${m.lost}, duplicated ${m.duplicated}, gaps in serverSeq ${m.gaps}, before the HTTP response ${m.early}`);
  console.log(`  latency after the HTTP response: p50 ${m.p50.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms, max ${m.max.toFixed(1)} ms`);
  console.log(`  latency after the HTTP request:  p50 ${m.request.p50.toFixed(1)} ms, p99 ${m.request.p99.toFixed(1)} ms, max ${m.request.max.toFixed(1)} ms`);
  console.log(`  ${(m.deliveries / seconds).toFixed(0)} events delivered per second (${seconds.toFixed(1)} s from first append to last receipt)`);
}

await freshDatabase(DB);
const jwtKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
// Every socket comes from this machine, and (2) opens 1,000 per instance for one user: lift the socket caps.
const caps = { LIVE_MAX_SOCKETS_PER_USER: '10000', LIVE_MAX_SOCKETS_PER_IP: '10000' };
const options = { pin: false, env: { REDIS_URL, JWT_PRIVATE_KEY: jwtKey, ...caps }, nodeArgs: ['--expose-gc'] };
const instances = [await startAppServer(DB, options), await startAppServer(DB, options)];
const bases = instances.map((i) => i.app);
try {
  // (1) One draft, 200 sockets: 20 writers with 10 tabs each, half on each instance.
  const owner = await registerUser(bases[0], `owner-${process.pid}@example.test`);
  // 20 collaborators on one draft, then 1,000 drafts: more than the free plan allows, so the owner is on the team plan.
  await admin(`update user_plans set plan_id = 'team' where user_id = '${owner.user.id}'`, dbUrl(DB));
  const draft = await api(bases[0], 'POST', '/v1/drafts', owner.accessToken, { title: 'live bench', platform: 'x' }, 201);
  const readers = [];
  for (let i = 0; i < 20; i++) {
    const reader = await registerUser(bases[0], `reader-${i}-${process.pid}@example.test`);
    await api(bases[0], 'POST', `/v1/drafts/${draft.id}/collaborators`, owner.accessToken, { userId: reader.user.id }, 201);
    readers.push(reader);
  }
  const sockets = [];
  for (let i = 0; i < 200; i++) sockets.push(await openSocket(bases[i % 2], draft.id, readers[i % readers.length].accessToken));
  const one = await appendAll(bases, owner.accessToken, () => draft.id);
  await settle(sockets, () => APPENDS);
  report(`(1) 200 sockets on one draft over 2 instances, ${APPENDS} appends by ${WRITERS} concurrent requests`, measure(sockets, one.answered, () => APPENDS), one.started);
  for (const s of sockets) s.socket.terminate();

  // (2) 1,000 drafts, 2 sockets each.
  const before = await Promise.all(instances.map((i) => i.memory()));
  const drafts = [];
  for (let i = 0; i < 1000; i++) drafts.push((await api(bases[i % 2], 'POST', '/v1/drafts', owner.accessToken, { title: `bench ${i}`, platform: 'x' }, 201)).id);
  const many = [];
  for (const id of drafts) many.push(await openSocket(bases[0], id, owner.accessToken), await openSocket(bases[1], id, owner.accessToken));
  const after = await Promise.all(instances.map((i) => i.memory()));
  const held = (m) => m.heapUsed + m.external;
  const perSocket = instances.reduce((sum, _, i) => sum + held(after[i]) - held(before[i]), 0) / many.length / 1024;
  const spread = await appendAll(bases, owner.accessToken, (n) => drafts[(n * 7919) % drafts.length]);
  const expected = new Map();
  for (let n = 0; n < APPENDS; n++) {
    const id = drafts[(n * 7919) % drafts.length];
    expected.set(id, (expected.get(id) ?? 0) + 1);
  }
  await settle(many, (s) => expected.get(s.draftId) ?? 0);
  report(`(2) 1,000 drafts × 2 sockets over 2 instances, ${APPENDS} appends spread over them`, measure(many, spread.answered, (s) => expected.get(s.draftId) ?? 0), spread.started);
  console.log(`  server memory per socket: ${perSocket.toFixed(1)} KiB (heap + external after GC, both instances)`);
  for (const s of many) s.socket.terminate();
} finally {
  await Promise.all(instances.map((i) => i.stop()));
}
pgbench(['-i', '-q', '-s', '10', dbUrl(DB)]);
const baseline = pgbench(['-S', '-n', '-c', '50', '-j', '2', '-T', '5', dbUrl(DB)]);
await admin(`drop database if exists ${DB} with (force)`);
console.log(`\npgbench -S baseline (select-only, 50 clients, scale 10): ${baseline === null ? 'pgbench missing' : `${baseline.toFixed(0)} TPS`} (${BASE_URL.replace(/\/\/[^@]*@/, '//')})`);
