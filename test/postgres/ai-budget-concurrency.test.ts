import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { aiReservations } from '../../src/server/db/schema/index.js';
import { estimateMicros } from '../../src/server/features/ai/cost.js';
import { AiBudgetExhaustedError } from '../../src/server/features/ai/errors.js';
import { ManualClock } from '../../src/server/platform/clock.js';
import { budgetUse, envelopeFor, gatewayFactory, insertUser, restoreBudgets, setBudget } from '../helpers/ai.js';
import { TEST_START } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let database: TestDatabase;
const gateways = gatewayFactory();
const db = () => database.database.db;
const clock = new ManualClock(TEST_START);

beforeAll(async () => {
  database = await createTestDatabase();
});
beforeEach(() => database.truncate());
afterEach(async () => {
  await gateways.closeAll();
  await restoreBudgets(db());
});
afterAll(() => database.destroy());

/** The openai `*` price (any model not in the table): the configured provider's estimate is priced by it. */
const ANY_OPENAI = { inputMicrosPerMillion: 10_000_000, outputMicrosPerMillion: 30_000_000 };

async function admitInParallel(count: number, userIds: (i: number) => string) {
  const { gateway } = gateways.make(db(), clock, { baseUrl: 'http://127.0.0.1:9/v1', model: 'edge-model' });
  return Promise.allSettled(
    Array.from({ length: count }, (_, i) => db().transaction((tx) => gateway.admit(tx, envelopeFor(userIds(i), { model: 'edge-model' })))),
  );
}

async function reservedSum(): Promise<number> {
  const rows = await db().select({ sum: sql<string>`coalesce(sum(${aiReservations.estimateMicros}), 0)` }).from(aiReservations);
  return Number(rows[0]!.sum);
}

describe('daily budgets under 50 parallel admissions at the edge (PostgreSQL)', () => {
  const estimate = estimateMicros(ANY_OPENAI, envelopeFor('x').messages, envelopeFor('x').maxTokens);

  it('the global budget: exactly as many as fit are admitted, the rest 429, and the sum reserved never passes it', async () => {
    const fits = 17;
    const budget = estimate * fits + estimate - 1;
    await setBudget(db(), 'turn', 'global', budget);
    await setBudget(db(), 'turn', 'user', estimate * 100);
    const users = await Promise.all(Array.from({ length: 50 }, () => insertUser(db(), clock.now())));
    const results = await admitInParallel(50, (i) => users[i]!);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(fits);
    const refusals = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refusals).toHaveLength(50 - fits);
    for (const r of refusals) expect(r.reason).toBeInstanceOf(AiBudgetExhaustedError);
    expect(refusals.every((r) => (r.reason as AiBudgetExhaustedError).scope === 'global')).toBe(true);
    expect(await reservedSum()).toBe(estimate * fits);
    expect((await budgetUse(db()))['turn/global']).toBe(estimate * fits);
    // Each refused user's share was given back: the users' rows hold exactly the admitted estimates.
    const perUser = await db().execute(sql`select coalesce(sum(used_micros), 0)::bigint as n from ai_budget_days where holder <> 'global'`);
    expect(Number((perUser as unknown as { rows: Array<{ n: string }> }).rows[0]!.n)).toBe(estimate * fits);
    expect(estimate * fits).toBeLessThanOrEqual(budget);
  });

  it("one user's budget: the same, and a refused reservation leaves no trace on the global row", async () => {
    const fits = 9;
    await setBudget(db(), 'turn', 'user', estimate * fits);
    await setBudget(db(), 'turn', 'global', estimate * 1000);
    const userId = await insertUser(db(), clock.now());
    const results = await admitInParallel(50, () => userId);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(fits);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as AiBudgetExhaustedError).scope).toBe('user');
    expect(await reservedSum()).toBe(estimate * fits);
    expect(await budgetUse(db())).toEqual({ 'turn/global': estimate * fits, 'turn/user': estimate * fits });
  });
});
