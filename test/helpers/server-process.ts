import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = new URL('../../', import.meta.url).pathname;
// Absolute paths, so that processes run in a working directory of the test's choosing.
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const MAIN = join(ROOT, 'src/server/main.ts');

let emptyCwd: string | undefined;
/**
 * An empty working directory (one per test process): processes read a `.env` from theirs, and a
 * developer's own `.env` in the project must not change what the tests run with.
 */
const emptyDir = () => (emptyCwd ??= mkdtempSync(join(tmpdir(), 'onering-cwd-')));

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export type RunningServer = {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
};

/**
 * Starts `src/server/main.ts` as a real process on a free port and waits for its own word that it serves
 * (the `ready` message it sends on the IPC channel once it listens), however long booting takes; it fails
 * as soon as the process exits without having said so. `cwd` is where it runs (and looks for a `.env`).
 */
export async function startServer(env: NodeJS.ProcessEnv, host = '127.0.0.1', cwd = emptyDir()): Promise<RunningServer> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, ['--import', TSX, MAIN], {
    cwd,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (message) => message === 'ready' && resolve());
    void exited.then((code) => reject(new Error(`server exited (${code}) before it served:\n${output}`)));
  });
  await ready;
  return {
    child,
    url: `http://${host}:${port}`,
    output: () => output,
    exited,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs one of our CLI scripts and answers its exit code and output. */
export function runCli(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(process.execPath, ['--import', TSX, join(ROOT, script), ...args], { cwd: emptyDir(), env });
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => resolve({ code, output }));
  });
}
