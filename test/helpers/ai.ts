import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import type { AiConfig } from '../../src/server/config.js';
import type { Db } from '../../src/server/db/client.js';
import { aiBudgetDays, aiReservations, aiUsage, users } from '../../src/server/db/schema/index.js';
import { createAiGateway, type AiGatewayService } from '../../src/server/features/ai/gateway.js';
import type { AiEnvelope } from '../../src/server/features/ai/gateway-types.js';
import { ManualClock } from '../../src/server/platform/clock.js';
import { createLogger } from '../../src/server/platform/observability.js';
import { TEST_START } from './app.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { FakeOpenAi } from './fake-openai.js';

/** The gateway's defaults in tests: short timeouts, the breaker out of the way unless a test wants it. */
export const TEST_AI_CONFIG: AiConfig = {
  baseUrl: undefined,
  apiKey: undefined,
  model: 'gpt-4o-mini',
  timeoutMs: 5_000,
  maxRetries: 2,
  breakerThreshold: 100,
  breakerHalfOpenMs: 30_000,
};

export type TestGateway = { gateway: AiGatewayService; registry: Registry };

/** A gateway on the test database with its own metrics registry; `close()` them all after each test. */
export function gatewayFactory() {
  const opened: AiGatewayService[] = [];
  return {
    make(db: Db, clock: ManualClock, config: Partial<AiConfig> = {}, logger: Logger = createLogger('silent')): TestGateway {
      const registry = new Registry();
      const gateway = createAiGateway({ db, clock, config: { ...TEST_AI_CONFIG, ...config }, registry, logger });
      opened.push(gateway);
      return { gateway, registry };
    },
    async closeAll(): Promise<void> {
      await Promise.all(opened.splice(0).map((g) => g.close()));
    },
  };
}

/**
 * What a gateway test file needs: a test database emptied before each test, a fake OpenAI server, gateways
 * closed after each test, a clock set back to TEST_START, real timers and the seeded budgets restored.
 */
export function useGatewayHarness() {
  let database: TestDatabase;
  const fake = new FakeOpenAi();
  const gateways = gatewayFactory();
  const clock = new ManualClock(TEST_START);
  beforeAll(async () => {
    database = await createTestDatabase();
    await fake.start();
  });
  beforeEach(async () => {
    await database.truncate();
    fake.reset();
    clock.set(TEST_START);
  });
  afterEach(async () => {
    vi.useRealTimers();
    await gateways.closeAll();
    await restoreBudgets(database.database.db);
  });
  afterAll(async () => {
    await fake.stop();
    await database.destroy();
  });
  return { fake, gateways, clock, db: (): Db => database.database.db };
}

/** A user row to charge (the budgets and usage rows name one). */
export async function insertUser(db: Db, at: Date): Promise<string> {
  const id = randomUUID();
  await db.insert(users).values({ id, email: `${id}@example.test`, passwordHash: 'x', createdAt: at, updatedAt: at });
  return id;
}

export function envelopeFor(userId: string, overrides: Partial<AiEnvelope> = {}): AiEnvelope {
  return {
    feature: 'turn',
    model: 'gpt-4o-mini',
    temperature: 0.7,
    maxTokens: 300,
    timeoutMs: 5_000,
    messages: [
      { role: 'system', content: 'You help people say what they mean, kindly.' },
      { role: 'user', content: 'I just really think that shipping small things every day actually matters. It adds up.' },
    ],
    userId,
    ...overrides,
  };
}

export async function usageRows(db: Db, reservationId?: string) {
  const rows = await db.select().from(aiUsage).where(reservationId ? eq(aiUsage.reservationId, reservationId) : sql`true`);
  return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

export async function reservationRow(db: Db, id: string) {
  const [row] = await db.select().from(aiReservations).where(eq(aiReservations.id, id));
  return row;
}

/** `used_micros` of each budget row, keyed `feature/holder`. */
export async function budgetUse(db: Db): Promise<Record<string, number>> {
  const rows = await db.select().from(aiBudgetDays);
  return Object.fromEntries(rows.map((r) => [`${r.feature}/${r.holder === 'global' ? 'global' : 'user'}`, r.usedMicros]));
}

/** Sets a budget for one test; `restoreBudgets` puts the seeded values back. */
export async function setBudget(db: Db, feature: string, scope: 'global' | 'user', micros: number): Promise<void> {
  await db.execute(sql`update ai_budgets set daily_micros = ${micros} where feature = ${feature} and scope = ${scope}`);
}

export async function restoreBudgets(db: Db): Promise<void> {
  await db.execute(sql`update ai_budgets set daily_micros = case
    when feature = 'turn' and scope = 'global' then 50000000 when feature = 'turn' and scope = 'user' then 500000
    when feature = 'mirror' and scope = 'global' then 50000000 else 1000000 end`);
}
