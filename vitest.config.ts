import { defineConfig } from 'vitest/config';

// Tests of Redis itself (instances sharing it) and of PostgreSQL-only behaviour run when those are configured.
const withRedis = process.env.REDIS_URL ? ['test/redis/**/*.test.ts'] : [];
const withPostgres = process.env.DATABASE_URL ? ['test/postgres/**/*.test.ts'] : [];

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/integration/**/*.test.ts', ...withRedis, ...withPostgres],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
