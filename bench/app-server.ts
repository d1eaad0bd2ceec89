// Started by the bench scripts: our full app and a bare Fastify app on the same PostgreSQL pool, side by side.
import { pino } from 'pino';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { openDatabase } from '../src/server/db/client.js';
import { runMigrations } from '../src/server/db/migrate.js';
import { createPasswordHasher } from '../src/server/features/auth/passwords.js';
import { RedisPresenceStore } from '../src/server/features/live/presence.js';
import { RedisBus } from '../src/server/platform/bus.js';
import { systemClock } from '../src/server/platform/clock.js';
import { MemoryLimitStore } from '../src/server/platform/limits.js';
import { createLogger } from '../src/server/platform/observability.js';
import { generateSigningKeys, loadSigningKeys } from '../src/server/platform/signing-keys.js';

const url = process.env.DATABASE_URL!;
const config = {
  ...loadConfig({ NODE_ENV: 'production', JWT_PRIVATE_KEY: 'unused', PUBLIC_URL: 'http://127.0.0.1', METRICS_TOKEN: 'bench'.repeat(8), RATE_LIMITS: 'off', DATABASE_URL: url, DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE }),
  jwtPrivateKey: undefined,
};
const database = await openDatabase({ kind: 'postgres', url, poolSize: config.databasePoolSize });
if (database.kind !== 'postgres') throw new Error('the bench needs PostgreSQL');
await runMigrations(database);

// Logs go to /dev/null: the cost of building and writing each line is measured, the terminal stays quiet.
const logger = createLogger(process.env.BENCH_LOG_LEVEL ?? 'info', pino.destination({ dest: '/dev/null', sync: false }));
// With REDIS_URL (the live bench) instances share the bus and presence, as in production.
const redis = process.env.REDIS_URL ? new Redis(process.env.REDIS_URL) : null;
const app = await buildApp({
  config,
  database,
  redis,
  ...(redis ? { bus: new RedisBus(redis), presence: new RedisPresenceStore(redis) } : {}),
  clock: systemClock,
  limits: new MemoryLimitStore(systemClock),
  // Instances behind one load balancer share the signing key (the live bench passes one).
  signingKeys: process.env.JWT_PRIVATE_KEY ? loadSigningKeys(process.env.JWT_PRIVATE_KEY, '') : generateSigningKeys(),
  passwords: await createPasswordHasher(),
  logger,
  webRoot: null,
});
await app.listen({ host: '127.0.0.1', port: 0 });

const pool = database.pool;
const bare = Fastify();
bare.get('/hello', async () => ({ hello: 'world' }));
bare.get('/select/:id', async (request) => {
  const { rows } = await pool.query('select id, email, display_name, role, created_at from users where id = $1', [
    (request.params as { id: string }).id,
  ]);
  return rows[0] ?? null;
});
const { findPrincipal } = await import('../src/server/features/auth/repo.js');
bare.get('/drizzle/:uid/:sid', async (request) => {
  const { uid, sid } = request.params as { uid: string; sid: string };
  return findPrincipal(database.db, uid, sid);
});
bare.get('/raw/:uid/:sid', async (request) => {
  const { uid, sid } = request.params as { uid: string; sid: string };
  const { rows } = await pool.query('select u.id, u.email, u.display_name, u.role, u.created_at, s.id as sid from sessions s join users u on u.id = s.user_id where s.id = $1 and s.user_id = $2 and s.revoked_at is null', [sid, uid]);
  return rows[0] ?? null;
});
await bare.listen({ host: '127.0.0.1', port: 0 });

const port = (s: typeof app) => (s.server.address() as { port: number }).port;
process.send?.({ appPort: port(app), barePort: port(bare) });
// The live bench asks how much memory the instance holds (after a collection when --expose-gc is on).
process.on('message', (message) => {
  if (message !== 'memory') return;
  (globalThis as { gc?: () => void }).gc?.();
  process.send?.({ memory: process.memoryUsage() });
});
process.on('SIGTERM', async () => {
  await app.close();
  await redis?.quit();
  await bare.close();
  await database.close();
  process.exit(0);
});
