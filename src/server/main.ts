import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, loadEnvFileIfPresent, type Config } from './config.js';
import { runMigrations } from './db/migrate.js';
import { openDatabaseFromConfig } from './db/open.js';
import { createPasswordHasher } from './features/auth/passwords.js';
import { MemoryPresenceStore, RedisPresenceStore } from './features/live/presence.js';
import { MemoryBus, RedisBus } from './platform/bus.js';
import { systemClock } from './platform/clock.js';
import { MemoryLimitStore, RedisLimitStore } from './platform/limits.js';
import { createLogger } from './platform/observability.js';
import { loadSigningKeys } from './platform/signing-keys.js';

const WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));

function readConfig(): Config {
  try {
    loadEnvFileIfPresent();
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  const database = await openDatabaseFromConfig(config, (err) => logger.warn({ err }, 'database connection lost; the pool opens a fresh one'));
  await runMigrations(database);
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2 }) : null;
  // ioredis reconnects by itself; without a listener it would print each failure to stderr.
  const onRedisError = (err: Error) => logger.warn({ err }, 'redis connection failed; reconnecting');
  redis?.on('error', onRedisError);
  const clock = systemClock;
  const bus = redis ? new RedisBus(redis, { onError: onRedisError }) : new MemoryBus();
  let shuttingDown = false;

  const app = await buildApp({
    config,
    database,
    redis,
    clock,
    limits: redis ? new RedisLimitStore(redis, clock) : new MemoryLimitStore(clock),
    bus,
    presence: redis ? new RedisPresenceStore(redis) : new MemoryPresenceStore(),
    signingKeys: loadSigningKeys(config.jwtPrivateKey, config.dataDir),
    passwords: await createPasswordHasher(),
    logger,
    webRoot: WEB_ROOT,
    isShuttingDown: () => shuttingDown,
  });

  async function shutdown(signal: string): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    try {
      await app.close();
      await bus.close();
      await redis?.quit();
      await database.close();
      logger.info('shutdown complete');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  }
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ host: config.host, port: config.port });
  logger.info(
    { node: process.version, database: database.kind, redis: redis ? 'on' : 'off', rateLimits: config.rateLimitsEnabled ? 'on' : 'off' },
    `OneRing is serving ${config.publicUrl}`,
  );
  // Readiness for a supervisor that started us with an IPC channel (PM2's wait_ready, the test harness):
  // unlike the log line, it does not depend on LOG_LEVEL.
  process.send?.('ready');
}

await main();
