// Shared pieces of the bench scripts: a throwaway database, the app server process, autocannon and pgbench.
import { execFileSync, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import pg from 'pg';

export const BASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function dbUrl(name) {
  const url = new URL(BASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function admin(sql, url = BASE_URL) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(sql);
  await client.end();
}

export async function freshDatabase(name) {
  await admin(`drop database if exists ${name} with (force)`);
  await admin(`create database ${name}`);
}

function canPin() {
  if (process.env.BENCH_PIN === '0') return false;
  try {
    execFileSync('taskset', ['-c', '1', 'true']);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts bench/app-server.ts on `database`, pinned to core 1 when taskset exists (unless `pin` is false);
 * answers its URLs, a way to ask its memory use, and stop().
 */
export async function startAppServer(database, { pin = true, env = {}, nodeArgs = [], root = null } = {}) {
  const pinned = pin && canPin();
  const node = [...nodeArgs, ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROF] : []), '--import', 'tsx'];
  // `root`: another checkout of the project (an earlier commit), for before/after figures in one run.
  const entry = root ? `${root}/bench/app-server.ts` : new URL('./app-server.ts', import.meta.url).pathname;
  const server = fork(entry, [], {
    ...(root ? { cwd: root } : {}),
    env: { ...process.env, ...env, DATABASE_URL: dbUrl(database) },
    ...(pinned ? { execPath: 'taskset', execArgv: ['-c', '1', process.execPath, ...node] } : { execArgv: node }),
  });
  const { appPort, barePort } = await new Promise((resolve) => server.once('message', resolve));
  return {
    pinned,
    /** CPU seconds the server process has used so far (user + system; null where /proc is missing). */
    cpuSeconds: () => cpuSecondsOf(server.pid),
    app: `http://127.0.0.1:${appPort}`,
    bare: `http://127.0.0.1:${barePort}`,
    /** process.memoryUsage() of the server, after a garbage collection when started with --expose-gc. */
    async memory() {
      const answer = new Promise((resolve) => server.once('message', (m) => resolve(m.memory)));
      server.send('memory');
      return answer;
    },
    async stop() {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    },
  };
}

// taskset execs node in place, so the forked pid is the server's. Fields 14 and 15 of /proc/<pid>/stat are
// utime and stime in clock ticks (100 per second on Linux).
function cpuSecondsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * One autocannon run of a server started by startAppServer, with the server's CPU time per request
 * (`cpuUs`): on a shared machine req/s swings with the neighbours, CPU per request much less.
 */
export async function measure(server, title, opts) {
  const before = server.cpuSeconds();
  const result = await load(title, opts);
  const after = server.cpuSeconds();
  const requests = result.rps * (opts.duration ?? 10);
  return { ...result, cpuUs: before === null || after === null ? null : ((after - before) * 1e6) / requests };
}

/** One autocannon run; any non-2xx answer or socket error fails the bench. */
export function load(title, opts) {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => {
      if (err) return reject(err);
      if (result.non2xx > 0 || result.errors > 0) return reject(new Error(`${title}: ${result.non2xx} non-2xx, ${result.errors} errors`));
      resolve({ title, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 });
    });
  });
}

/** Runs pgbench and answers its TPS, or null when pgbench is missing. */
export function pgbench(args) {
  try {
    const out = execFileSync('pgbench', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return Number(/tps = ([\d.]+)/.exec(out)?.[1]);
  } catch (error) {
    if (error.code === 'ENOENT') return null;
    throw new Error(`pgbench failed: ${error.stderr ?? error.message}`, { cause: error });
  }
}

export async function registerUser(app, email) {
  const res = await fetch(`${app}/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'benchmarks are honest' }),
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  return res.json();
}

export function printTable(rows) {
  console.log('run'.padEnd(34), 'req/s'.padStart(9), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'server CPU µs/req'.padStart(18));
  for (const r of rows) {
    const cpu = r.cpuUs === undefined || r.cpuUs === null ? '' : r.cpuUs.toFixed(0);
    console.log(r.title.padEnd(34), r.rps.toFixed(0).padStart(9), String(r.p50).padStart(8), String(r.p99).padStart(8), cpu.padStart(18));
  }
}

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
