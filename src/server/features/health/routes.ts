import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { AiProviderSchema, BREAKER_STATES } from '../../../contract/coach.js';
import type { Database } from '../../db/client.js';
import type { AiGateway } from '../ai/gateway-types.js';
import { AppError, DATABASE_RETRY_AFTER_SECONDS } from '../../platform/errors.js';
import { problemResponses } from '../../platform/http.js';

const tags = ['operations'];

export type HealthDeps = {
  database: Database;
  redis: Redis | null;
  /** Whether change notifications reach this instance; without them it serves, but uncached. */
  isListening: () => boolean;
  /** The AI gateway: its provider and breaker are shown, never a reason to be unready (the fallback answers). */
  ai: Pick<AiGateway, 'status'>;
};

async function answers(probe: () => Promise<unknown>): Promise<'ok' | 'down'> {
  try {
    await probe();
    return 'ok';
  } catch {
    return 'down';
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: Math.round((performance.now() - started) * 100) / 100 };
}

/** Liveness, readiness and a database probe for operators and load balancers. */
export async function healthRoutes(app: FastifyInstance, opts: { deps: HealthDeps }) {
  const { database, redis } = opts.deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/healthz', { schema: { tags, response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({
    status: 'ok' as const,
  }));

  r.get(
    '/readyz',
    {
      schema: {
        tags,
        description:
          'Ready (200) while the database and Redis answer; `degraded` while change notifications are down. ' +
          'Otherwise 503 with `checks` saying what is down. `ai` shows the AI provider and its breaker; an open ' +
          'breaker does not make the instance unready (the offline provider answers meanwhile).',
        response: {
          200: z.object({
            status: z.enum(['ready', 'degraded']),
            database: z.string(),
            redis: z.string(),
            notifications: z.enum(['listening', 'down']),
            ai: z.object({ provider: AiProviderSchema, model: z.string(), breaker: z.enum(BREAKER_STATES) }),
          }),
          ...problemResponses(503),
        },
      },
    },
    async () => {
      const [databaseCheck, redisCheck] = await Promise.all([
        answers(() => database.db.execute(sql`select 1`)),
        redis ? answers(() => redis.ping()) : Promise.resolve('not configured' as const),
      ]);
      const notifications = opts.deps.isListening() ? ('listening' as const) : ('down' as const);
      const checks = { database: databaseCheck, redis: redisCheck, notifications };
      if (databaseCheck === 'down') {
        throw new AppError(503, 'database_unavailable', 'The database does not answer.', {
          headers: { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) },
          fields: { checks },
        });
      }
      if (redisCheck === 'down') {
        throw new AppError(503, 'redis_unavailable', 'Redis does not answer.', {
          headers: { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) },
          fields: { checks },
        });
      }
      return {
        status: notifications === 'listening' ? ('ready' as const) : ('degraded' as const),
        database: database.kind,
        redis: redisCheck,
        notifications,
        ai: opts.deps.ai.status(),
      };
    },
  );

  r.get(
    '/v1/health/db',
    {
      schema: {
        tags,
        description: 'Database latency for anyone; the table list only for an admin (send a bearer token).',
        response: {
          200: z.object({ status: z.literal('ok'), driver: z.string(), latencyMs: z.number(), tables: z.array(z.string()).optional() }),
          ...problemResponses(401, 503),
        },
      },
    },
    async (request) => {
      const user = await app.resolveUser(request);
      // The schema's shape tells an attacker what to aim at; operators who need it sign in as admin.
      const withTables = user?.role === 'admin';
      try {
        const { value, ms } = await timed(() =>
          database.db.execute(
            withTables
              ? sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`
              : sql`select 1`,
          ),
        );
        const base = { status: 'ok' as const, driver: database.kind, latencyMs: ms };
        if (!withTables) return base;
        return { ...base, tables: (value as { rows: Array<{ table_name: string }> }).rows.map((row) => row.table_name) };
      } catch {
        throw new AppError(503, 'database_unavailable', 'The database does not answer.', {
          headers: { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) },
        });
      }
    },
  );
}
