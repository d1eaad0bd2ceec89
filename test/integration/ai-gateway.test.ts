import { describe, expect, it } from 'vitest';
import { parseTurnAnswer } from '../../src/server/features/coach/turn-format.js';
import { estimateMicros } from '../../src/server/features/ai/cost.js';
import { aiReservations, safetyEvents } from '../../src/server/db/schema/index.js';
import { AiBudgetExhaustedError, SafetyHold } from '../../src/server/features/ai/errors.js';
import { budgetUse, envelopeFor, insertUser, reservationRow, setBudget, usageRows, type TestGateway, useGatewayHarness } from '../helpers/ai.js';
import { FAKE_DEFAULT_TEXT } from '../helpers/fake-openai.js';

const { fake, gateways, clock, db } = useGatewayHarness();

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

describe('the safety precheck', () => {
  it('answers the notice instead of a call: the provider gets nothing, nothing is reserved, the event names the rule and not the words', async () => {
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl });
    const userId = await insertUser(db(), clock.now());
    const words = 'Honestly I just want to die';
    const envelope = envelopeFor(userId, { messages: [{ role: 'system', content: 'Be kind.' }, { role: 'user', content: words }] });
    const admission = await db().transaction((tx) => gateway.admit(tx, envelope));
    expect(admission.admitted).toBe(false);
    if (admission.admitted) return;
    expect(admission.safety.category).toBe('crisis');
    expect(admission.safety.resources.length).toBeGreaterThan(0);
    const events = await db().select().from(safetyEvents);
    expect(events).toEqual([expect.objectContaining({ userId, feature: 'turn', category: 'crisis', ruleId: 'crisis.want_to_die', createdAt: clock.now() })]);
    expect(JSON.stringify(events)).not.toContain('Honestly');
    expect(await db().select().from(aiReservations)).toEqual([]);
    // generate() admitting by itself throws SafetyHold carrying the notice.
    const hold = await gateway.generate(envelope).catch((e: unknown) => e);
    expect(hold).toBeInstanceOf(SafetyHold);
    expect((hold as SafetyHold).notice).toEqual(admission.safety);
    expect(fake.received).toHaveLength(0);
    expect(await usageRows(db())).toEqual([]);
  });

  it('checks the last user message only: earlier words in a conversation do not hold a later one', async () => {
    const { gateway } = gateways.make(db(), clock);
    const userId = await insertUser(db(), clock.now());
    const envelope = envelopeFor(userId, {
      feature: 'mirror',
      messages: [
        { role: 'user', content: 'I want to die' },
        { role: 'assistant', content: 'I am here with you.' },
        { role: 'user', content: 'Thank you. I feel calmer now and want to write.' },
      ],
    });
    const admission = await db().transaction((tx) => gateway.admit(tx, envelope));
    expect(admission.admitted).toBe(true);
  });
});

describe('a call that fails for good', () => {
  // The offline provider cannot fail short of a bug: a message that is not text is one (it throws reading it).
  const broken = (userId: string) => envelopeFor(userId, { messages: [{ role: 'user', content: null as unknown as string }] });

  async function admitted(gateway: TestGateway['gateway'], userId: string) {
    const admission = await db().transaction((tx) => gateway.admit(tx, envelopeFor(userId)));
    if (!admission.admitted) throw new Error('expected an admission');
    return admission.reservation;
  }

  it('without a configured provider: the failure is recorded and the reservation settled at once, not left to the sweep', async () => {
    const { gateway } = gateways.make(db(), clock);
    const userId = await insertUser(db(), clock.now());
    const reservation = await admitted(gateway, userId);
    await expect(gateway.generate(broken(userId), reservation)).rejects.toThrow(TypeError);
    expect((await usageRows(db())).map((r) => `${r.provider}:${r.outcome}`)).toEqual(['local:error']);
    expect(await reservationRow(db(), reservation.id)).toMatchObject({ settledMicros: 0, settledAt: clock.now() });
    expect(await budgetUse(db())).toEqual({ 'turn/global': 0, 'turn/user': 0 });
  });

  it('when the fallback fails too: every attempt has its usage row and the reservation is settled', async () => {
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl, maxRetries: 0 });
    const userId = await insertUser(db(), clock.now());
    const reservation = await admitted(gateway, userId);
    fake.then({ status: 400 });
    await expect(gateway.generate(broken(userId), reservation)).rejects.toThrow(TypeError);
    expect((await usageRows(db())).map((r) => `${r.provider}:${r.outcome}`)).toEqual(['openai:error', 'local:error']);
    expect(await reservationRow(db(), reservation.id)).toMatchObject({ settledMicros: 0, settledAt: clock.now() });
  });

  it('a stream that cannot start: the answer fails, the failure is recorded and the reservation settled', async () => {
    const { gateway } = gateways.make(db(), clock);
    const userId = await insertUser(db(), clock.now());
    const reservation = await admitted(gateway, userId);
    const stream = await gateway.stream(broken(userId), reservation);
    await expect(stream.answer).rejects.toThrow(TypeError);
    expect((await usageRows(db())).map((r) => `${r.provider}:${r.outcome}`)).toEqual(['local:error']);
    expect(await reservationRow(db(), reservation.id)).toMatchObject({ settledMicros: 0, settledAt: clock.now() });
  });
});

describe('abandoned reservations', () => {
  it('are settled by the sweep once past the lease, at their estimate, with one abandoned usage row each', async () => {
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl, timeoutMs: 20_000, maxRetries: 2 });
    const userId = await insertUser(db(), clock.now());
    const admission = await db().transaction((tx) => gateway.admit(tx, envelopeFor(userId)));
    if (!admission.admitted) throw new Error('expected an admission');
    const { reservation } = admission;
    // Lease: 20 s × (2 retries + 2) attempts, 2 × 10 s of waiting before the retries, and 60 s = 160 s.
    clock.advance(159_000);
    expect(await gateway.sweepAbandoned()).toBe(0);
    clock.advance(2_000);
    expect(await gateway.sweepAbandoned()).toBe(1);
    expect(await reservationRow(db(), reservation.id)).toMatchObject({ settledMicros: reservation.estimateMicros, settledAt: clock.now() });
    const rows = await usageRows(db());
    expect(rows.map((r) => [r.reservationId, r.outcome, r.costMicros])).toEqual([[reservation.id, 'abandoned', reservation.estimateMicros]]);
    expect(await budgetUse(db())).toEqual({ 'turn/global': reservation.estimateMicros, 'turn/user': reservation.estimateMicros });
    expect(await gateway.sweepAbandoned()).toBe(0);
    // A call that reports back after the sweep keeps what the sweep charged; its own row is still written.
    await gateway.generate(envelopeFor(userId), reservation);
    expect(await reservationRow(db(), reservation.id)).toMatchObject({ settledMicros: reservation.estimateMicros });
    expect((await usageRows(db(), reservation.id)).map((r) => r.outcome)).toEqual(['abandoned', 'ok']);
    expect(await budgetUse(db())).toEqual({ 'turn/global': reservation.estimateMicros, 'turn/user': reservation.estimateMicros });
  });
});

describe('metrics', () => {
  it('counts calls, tokens, cost and refusals by feature, provider and outcome, and shows the breaker', async () => {
    const { gateway, registry } = gateways.make(db(), clock, { baseUrl: fake.baseUrl, maxRetries: 0 });
    const userId = await insertUser(db(), clock.now());
    fake.then({ status: 500 });
    await gateway.generate(envelopeFor(userId));
    await gateway.generate(envelopeFor(userId));
    await setBudget(db(), 'turn', 'global', 0);
    await db()
      .transaction((tx) => gateway.admit(tx, envelopeFor(userId)))
      .catch(() => undefined);
    const text = await registry.metrics();
    expect(text).toContain('onering_ai_calls_total{feature="turn",provider="openai",outcome="error"} 1');
    expect(text).toContain('onering_ai_calls_total{feature="turn",provider="openai",outcome="ok"} 1');
    expect(text).toContain('onering_ai_calls_total{feature="turn",provider="local",outcome="ok"} 1');
    expect(text).toContain('onering_ai_tokens_total{feature="turn",provider="openai",direction="input"} 100');
    expect(text).toContain('onering_ai_tokens_total{feature="turn",provider="openai",direction="output"} 20');
    expect(text).toContain(`onering_ai_cost_usd_total{feature="turn",provider="openai"} ${miniCost(100, 20) / 1e6}`);
    expect(text).toContain('onering_ai_call_duration_seconds_count{feature="turn",provider="openai",outcome="ok"} 1');
    expect(text).toContain('onering_ai_breaker_state{provider="openai"} 0');
    expect(text).toContain('onering_ai_budget_refusals_total{feature="turn",scope="global"} 1');
    expect(text).not.toContain('shipping');
  });
});

describe('parallel admissions at the edge of a budget', () => {
  // Truly parallel on PostgreSQL (also test/postgres/ai-budget-concurrency.test.ts); PGlite runs them one by one.
  it('admit exactly as many as fit; the sum reserved never passes the budget', async () => {
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl });
    const userId = await insertUser(db(), clock.now());
    const envelope = envelopeFor(userId);
    const estimate = estimateMicros({ inputMicrosPerMillion: 150_000, outputMicrosPerMillion: 600_000 }, envelope.messages, envelope.maxTokens);
    await setBudget(db(), 'turn', 'user', estimate * 7 + estimate - 1);
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => db().transaction((tx) => gateway.admit(tx, envelope))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(7);
    expect(await budgetUse(db())).toEqual({ 'turn/global': estimate * 7, 'turn/user': estimate * 7 });
    expect(await db().select().from(aiReservations)).toHaveLength(7);
  });
});
