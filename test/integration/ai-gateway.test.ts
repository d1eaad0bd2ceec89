import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseTurnAnswer } from '../../src/server/features/coach/turn-format.js';
import { estimateMicros } from '../../src/server/features/ai/cost.js';
import { AiBudgetExhaustedError } from '../../src/server/features/ai/errors.js';
import { ManualClock } from '../../src/server/platform/clock.js';
import { budgetUse, envelopeFor, gatewayFactory, insertUser, reservationRow, restoreBudgets, setBudget, usageRows } from '../helpers/ai.js';
import { TEST_START } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { FAKE_DEFAULT_TEXT, FakeOpenAi } from '../helpers/fake-openai.js';

let database: TestDatabase;
const fake = new FakeOpenAi();
const gateways = gatewayFactory();
let clock: ManualClock;
const db = () => database.database.db;

beforeAll(async () => {
  database = await createTestDatabase();
  await fake.start();
});
beforeEach(async () => {
  await database.truncate();
  fake.reset();
  clock = new ManualClock(TEST_START);
});
afterEach(async () => {
  await gateways.closeAll();
  await restoreBudgets(db());
});
afterAll(async () => {
  await fake.stop();
  await database.destroy();
});

/** gpt-4o-mini as seeded: 0.15 USD per million input tokens, 0.60 per million output tokens. */
const miniCost = (input: number, output: number) => Math.ceil((input * 150_000 + output * 600_000) / 1_000_000);

describe('the offline provider (no AI_BASE_URL)', () => {
  it('answers a Turn with up to three supportive rewrites, the same for the same words, at no cost', async () => {
    const { gateway } = gateways.make(db(), clock);
    const userId = await insertUser(db(), clock.now());
    const first = await gateway.generate(envelopeFor(userId));
    const again = await gateway.generate(envelopeFor(userId));
    expect(first.text).toBe(again.text);
    const rewrites = parseTurnAnswer(first.text);
    expect(rewrites.length).toBeGreaterThanOrEqual(1);
    expect(rewrites.length).toBeLessThanOrEqual(3);
    expect(rewrites[0]).toBe('Shipping small things every day matters. It adds up.');
    expect(first).toMatchObject({ provider: 'local', model: 'onering-local', fallback: false, costUsd: 0, finishReason: 'stop' });
    const rows = await usageRows(db());
    expect(rows.map((r) => [r.provider, r.outcome, r.costMicros])).toEqual([
      ['local', 'ok', 0],
      ['local', 'ok', 0],
    ]);
    expect(gateway.status()).toEqual({ provider: 'local', model: 'onering-local', breaker: 'closed' });
  });

  it('answers Mirror with a warm observation and one open question', async () => {
    const { gateway } = gateways.make(db(), clock);
    const userId = await insertUser(db(), clock.now());
    const answer = await gateway.generate(envelopeFor(userId, { feature: 'mirror', messages: [{ role: 'user', content: 'I never know how to start.' }] }));
    expect(answer.text.match(/\?/g)).toHaveLength(1);
    expect(answer.text.endsWith('?')).toBe(true);
  });
});

describe('an OpenAI-compatible provider', () => {
  it('answers, records one usage row priced from ai_prices and settles the reservation and both budgets at the cost', async () => {
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl });
    const userId = await insertUser(db(), clock.now());
    const answer = await gateway.generate(envelopeFor(userId));
    expect(answer).toMatchObject({ text: FAKE_DEFAULT_TEXT, provider: 'openai', model: 'gpt-4o-mini', fallback: false, finishReason: 'stop' });
    expect(answer.usage).toEqual({ inputTokens: 100, outputTokens: 20 });
    expect(answer.costUsd).toBe(miniCost(100, 20) / 1e6);
    expect(fake.received).toHaveLength(1);
    expect(fake.received[0]!.body).toMatchObject({ model: 'gpt-4o-mini', max_tokens: 300, temperature: 0.7 });
    const [row] = await usageRows(db());
    expect(row).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini', outcome: 'ok', inputTokens: 100, outputTokens: 20, costMicros: miniCost(100, 20), userId });
    const reservation = await reservationRow(db(), row!.reservationId);
    expect(reservation).toMatchObject({ settledMicros: miniCost(100, 20), settledAt: clock.now() });
    expect(await budgetUse(db())).toEqual({ 'turn/global': miniCost(100, 20), 'turn/user': miniCost(100, 20) });
  });
});

describe('budgets', () => {
  it('refuses with 429 ai_budget_exhausted naming the budget when the estimate would pass it, changing nothing', async () => {
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl });
    const userId = await insertUser(db(), clock.now());
    const envelope = envelopeFor(userId);
    const estimate = estimateMicros({ inputMicrosPerMillion: 150_000, outputMicrosPerMillion: 600_000 }, envelope.messages, envelope.maxTokens);
    await setBudget(db(), 'turn', 'user', estimate * 2 - 1);
    const admitted = await db().transaction((tx) => gateway.admit(tx, envelope));
    expect(admitted.admitted).toBe(true);
    const refusal = await db()
      .transaction((tx) => gateway.admit(tx, envelope))
      .catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(AiBudgetExhaustedError);
    const error = refusal as AiBudgetExhaustedError;
    expect(error.status).toBe(429);
    expect(error.code).toBe('ai_budget_exhausted');
    // 09:00 UTC: fifteen hours to midnight.
    expect(error.extra.fields).toEqual({ budget: { feature: 'turn', scope: 'user' }, retryAfterSeconds: 15 * 3600 });
    expect(error.extra.headers).toEqual({ 'retry-after': String(15 * 3600) });
    expect(await budgetUse(db())).toEqual({ 'turn/global': estimate, 'turn/user': estimate });
    expect(fake.received).toHaveLength(0);
  });
});
