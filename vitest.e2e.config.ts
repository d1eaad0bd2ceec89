import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 90_000,
    // Booting waits for the server's own readiness message; this only bounds a boot that never ends. A
    // fresh embedded database on a machine at load 14 took longer than 90 s.
    hookTimeout: 240_000,
    // expect.poll waits for a page to be ready (a socket to open, a list to load); vitest's 1 s default is a
    // race with a busy machine, not a check of speed.
    expect: { poll: { timeout: 15_000 } },
  },
});
