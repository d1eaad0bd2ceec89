import { describe, expect, it, vi } from 'vitest';
import { inputTokensBound } from '../../src/server/features/ai/cost.js';
import { budgetUse, envelopeFor, insertUser, reservationRow, usageRows, useGatewayHarness } from '../helpers/ai.js';
import { FAKE_DEFAULT_TEXT } from '../helpers/fake-openai.js';

const { fake, gateways, clock, db } = useGatewayHarness();

async function collect(deltas: AsyncIterable<string>): Promise<string[]> {
  const seen: string[] = [];
  for await (const delta of deltas) seen.push(delta);
  return seen;
}

const miniCost = (input: number, output: number) => Math.ceil((input * 150_000 + output * 600_000) / 1_000_000);

describe('streamed answers', () => {
  it('passes the deltas on as they arrive and records the usage the final chunk reports', async () => {
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl });
    const userId = await insertUser(db(), clock.now());
    const stream = await gateway.stream(envelopeFor(userId));
    const deltas = await collect(stream.deltas);
    const answer = await stream.answer;
    expect(deltas.join('')).toBe(FAKE_DEFAULT_TEXT);
    expect(deltas.length).toBe(FAKE_DEFAULT_TEXT.split(' ').length);
    expect(answer).toMatchObject({ text: FAKE_DEFAULT_TEXT, finishReason: 'stop', provider: 'openai', fallback: false, usage: { inputTokens: 100, outputTokens: 20 } });
    expect(fake.received[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const [row] = await usageRows(db());
    expect(row).toMatchObject({ outcome: 'ok', inputTokens: 100, outputTokens: 20, costMicros: miniCost(100, 20) });
    expect(await reservationRow(db(), row!.reservationId)).toMatchObject({ settledMicros: miniCost(100, 20) });
    expect(await budgetUse(db())).toEqual({ 'turn/global': miniCost(100, 20), 'turn/user': miniCost(100, 20) });
  });

  it('a stream cut after some deltas settles with finishReason cut and what arrived; usage is still recorded (outcome cut)', async () => {
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl });
    const userId = await insertUser(db(), clock.now());
    // Chunk 0 opens the message (role only), 1 and 2 carry "A " and "kind ", then the socket is destroyed.
    fake.then({ cutAfterChunks: 3 });
    const envelope = envelopeFor(userId);
    const stream = await gateway.stream(envelope);
    const deltas = await collect(stream.deltas);
    const answer = await stream.answer;
    expect(deltas).toEqual(['A ', 'kind ']);
    expect(answer).toMatchObject({ text: 'A kind ', finishReason: 'cut', provider: 'openai', fallback: false });
    // No usage chunk arrived: the upper bounds are charged (input bound, output bytes).
    const usage = { inputTokens: inputTokensBound(envelope.messages), outputTokens: Buffer.byteLength('A kind ') };
    expect(answer.usage).toEqual(usage);
    expect(fake.received).toHaveLength(1);
    const rows = await usageRows(db());
    expect(rows.map((r) => [r.provider, r.outcome, r.inputTokens, r.outputTokens])).toEqual([['openai', 'cut', usage.inputTokens, usage.outputTokens]]);
    expect(await reservationRow(db(), rows[0]!.reservationId)).toMatchObject({ settledMicros: miniCost(usage.inputTokens, usage.outputTokens) });
  });

  it('a failure before the first delta is retried, then falls back to the offline provider, streamed too', async () => {
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl, maxRetries: 1 });
    const userId = await insertUser(db(), clock.now());
    fake.then({ status: 500 }, { status: 502 });
    const stream = await gateway.stream(envelopeFor(userId));
    const deltas = await collect(stream.deltas);
    const answer = await stream.answer;
    expect(answer).toMatchObject({ provider: 'local', fallback: true, finishReason: 'stop' });
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(answer.text);
    expect(fake.received).toHaveLength(2);
    expect((await usageRows(db())).map((r) => `${r.provider}:${r.outcome}`)).toEqual(['openai:error', 'openai:error', 'local:ok']);
  });

  it('a socket cut before any delta is retried like any connection failure', async () => {
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl, maxRetries: 1 });
    const userId = await insertUser(db(), clock.now());
    fake.then({ cutAfterChunks: 0 });
    const stream = await gateway.stream(envelopeFor(userId));
    expect((await collect(stream.deltas)).join('')).toBe(FAKE_DEFAULT_TEXT);
    expect(await stream.answer).toMatchObject({ provider: 'openai', fallback: false, finishReason: 'stop' });
    expect((await usageRows(db())).map((r) => r.outcome)).toEqual(['error', 'ok']);
  });

  it('cancel() stops the stream: the answer settles cut, outcome cancelled', async () => {
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl });
    const userId = await insertUser(db(), clock.now());
    fake.then({ holdAfterChunks: 3 });
    const stream = await gateway.stream(envelopeFor(userId));
    const seen: string[] = [];
    for await (const delta of stream.deltas) {
      seen.push(delta);
      // The fake holds the stream open after "kind ": cancelling then is the user leaving mid-answer.
      if (seen.length === 2) stream.cancel();
    }
    const answer = await stream.answer;
    expect(answer).toMatchObject({ finishReason: 'cut', text: 'A kind ', fallback: false });
    expect(seen).toEqual(['A ', 'kind ']);
    expect((await usageRows(db())).map((r) => r.outcome)).toEqual(['cancelled']);
  });

  it('a stream that stalls past the timeout after its first delta settles cut, outcome timeout', async () => {
    const { gateway } = gateways.make(db(), clock, { baseUrl: fake.baseUrl });
    const userId = await insertUser(db(), clock.now());
    fake.then({ holdAfterChunks: 2 });
    // The timeouts run on fake timers: none passes before the first delta, however busy the machine is;
    // once it arrived, the stall after it is made to run out.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const stream = await gateway.stream(envelopeFor(userId, { timeoutMs: 20_000 }));
    const seen: string[] = [];
    for await (const delta of stream.deltas) {
      seen.push(delta);
      vi.advanceTimersByTime(20_000);
    }
    expect(seen).toEqual(['A ']);
    expect(await stream.answer).toMatchObject({ finishReason: 'cut', text: 'A ', provider: 'openai', fallback: false });
    expect((await usageRows(db())).map((r) => r.outcome)).toEqual(['timeout']);
  });

  it('the offline provider streams word by word', async () => {
    const { gateway } = gateways.make(db(), clock);
    const userId = await insertUser(db(), clock.now());
    const stream = await gateway.stream(envelopeFor(userId, { feature: 'mirror' }));
    const deltas = await collect(stream.deltas);
    const answer = await stream.answer;
    expect(deltas.join('')).toBe(answer.text);
    expect(deltas.length).toBe(answer.text.split(' ').length);
    expect(answer).toMatchObject({ provider: 'local', fallback: false, finishReason: 'stop', costUsd: 0 });
  });
});
