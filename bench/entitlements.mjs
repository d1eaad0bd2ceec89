// What the entitlement check costs: draft creation (a gated write) and the append (not gated), over HTTP, on
// this checkout ("after") and on an earlier commit without the check ("before"), rounds interleaved in one run.
// Usage: npm run bench:entitlements   (BENCH_BEFORE=<commit> picks the "before" commit; DATABASE_URL as in lib.mjs)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { admin, dbUrl, freshDatabase, measure, median, printTable, registerUser, startAppServer } from './lib.mjs';

/** The last commit before draft creation called the entitlement check (the plans migration is already in it). */
const BEFORE = process.env.BENCH_BEFORE ?? 'd1ac7df';
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WRITERS = 32;
const DB = 'onering_bench_entitlements';

const before = mkdtempSync(join(tmpdir(), 'onering-before-'));
execFileSync('git', ['worktree', 'add', '--detach', before, BEFORE], { stdio: 'ignore' });
// Same dependencies as this checkout: the commits differ in our code only.
symlinkSync(resolve('node_modules'), join(before, 'node_modules'));

const json = (token) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const rotating = (list, request) => {
  let next = 0;
  return [{ setupRequest: (req) => ({ ...req, ...request(list[next++ % list.length]) }) }];
};

/** One round on one server: creates by 32 writers, creates by one writer 32 at once, appends by 32 writers. */
async function round(label, root) {
  await freshDatabase(DB);
  const server = await startAppServer(DB, { root });
  try {
    const writers = [];
    for (let i = 0; i < WRITERS; i++) writers.push(await registerUser(server.app, `writer-${process.pid}-${i}@example.test`));
    // The team plan has no drafts limit: every create is allowed, and the check still runs.
    await admin(`update user_plans set plan_id = 'team'`, dbUrl(DB));
    const create = JSON.stringify({ title: 'A thread about benchmarks', platform: 'x' });
    const results = [];
    results.push(
      await measure(server, `${label}: create, ${WRITERS} writers`, {
        url: `${server.app}/v1/drafts`, method: 'POST', body: create, connections: WRITERS, duration: DURATION,
        requests: rotating(writers, (w) => ({ headers: json(w.accessToken) })),
      }),
    );
    results.push(
      await measure(server, `${label}: create, 1 writer × ${WRITERS}`, {
        url: `${server.app}/v1/drafts`, method: 'POST', body: create, headers: json(writers[0].accessToken), connections: WRITERS, duration: DURATION,
      }),
    );
    const drafts = [];
    for (const w of writers) {
      const res = await fetch(`${server.app}/v1/drafts`, { method: 'POST', headers: json(w.accessToken), body: create });
      drafts.push({ token: w.accessToken, id: (await res.json()).id });
    }
    results.push(
      await measure(server, `${label}: append, ${WRITERS} writers`, {
        url: server.app, method: 'POST', body: JSON.stringify({ content: 'A post written during the entitlements bench.' }), connections: WRITERS, duration: DURATION,
        requests: rotating(drafts, (d) => ({ path: `/v1/drafts/${d.id}/segments`, headers: json(d.token) })),
      }),
    );
    return results;
  } finally {
    await server.stop();
  }
}

try {
  const runs = [];
  for (let i = 0; i < ROUNDS; i++) {
    runs.push(...(await round('before', before)), ...(await round('after', null)));
  }
  const titles = [...new Set(runs.map((r) => r.title))];
  printTable(
    titles.map((title) => {
      const of = runs.filter((r) => r.title === title);
      return { title, rps: median(of.map((r) => r.rps)), p50: median(of.map((r) => r.p50)), p99: median(of.map((r) => r.p99)), cpuUs: median(of.map((r) => r.cpuUs ?? 0)) };
    }),
  );
} finally {
  execFileSync('git', ['worktree', 'remove', '--force', before], { stdio: 'ignore' });
  rmSync(before, { recursive: true, force: true });
  await admin(`drop database if exists ${DB} with (force)`);
}
