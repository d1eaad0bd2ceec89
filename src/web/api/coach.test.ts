import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MirrorMessage } from '../../contract/coach.js';
import { ApiClient, ApiError } from './client.js';
import { CoachApi, StreamCutError } from './coach.js';

const message = (role: 'user' | 'coach', content: string, complete = true): MirrorMessage => ({
  id: role === 'user' ? '01930000-0000-7000-8000-000000000001' : '01930000-0000-7000-8000-000000000002',
  role,
  content,
  provider: role === 'coach' ? 'local' : null,
  fallback: false,
  complete,
  safety: null,
  createdAt: '2026-11-23T02:00:00.000Z',
});
const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
const problem = (status: number, code: string, extra: Record<string, unknown> = {}) => ({
  type: 'about:blank',
  title: code,
  status,
  detail: `A ${code} problem.`,
  code,
  requestId: 'req-1',
  ...extra,
});

/** How the fake API answers a message, by the session id in the path: as the real one does in each case. */
const ANSWERS: Record<string, (res: ServerResponse) => void> = {
  // A stream written in pieces cut mid-event and mid-character, as a network delivers it.
  streamed(res) {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    const text = event('message', message('user', 'Hi')) + event('delta', { text: 'Héllo ' }) + event('delta', { text: 'there ✨' }) + event('done', message('coach', 'Héllo there ✨'));
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += 7) res.write(bytes.subarray(i, i + 7));
    res.end();
  },
  failed(res) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(event('message', message('user', 'Hi')) + event('delta', { text: 'Hel' }) + event('error', problem(503, 'coach_unavailable')));
  },
  cut(res) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(event('message', message('user', 'Hi')) + event('delta', { text: 'Hel' }));
  },
  // The network goes mid-stream: the body's read fails (fetch's TypeError) instead of ending.
  broken(res) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(event('message', message('user', 'Hi')) + event('delta', { text: 'Hel' }), () => setTimeout(() => res.socket?.destroy(), 50));
  },
  // The reply is still coming when the page goes: the connection stays open until the client closes it.
  held(res) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(event('message', message('user', 'Hi')));
    res.on('close', () => closed.push('held'));
  },
  refused(res) {
    res.writeHead(429, { 'content-type': 'application/problem+json' });
    res.end(JSON.stringify(problem(429, 'ai_budget_exhausted', { budget: { feature: 'mirror', scope: 'user' }, retryAfterSeconds: 3600 })));
  },
};

let server: Server;
let coach: CoachApi;
const seen: { accept?: string; body?: string }[] = [];
const closed: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ accept: req.headers.accept, body });
      const id = /^\/v1\/coach\/mirror\/sessions\/([a-z]+)\/messages$/.exec(req.url ?? '')?.[1] ?? '';
      ANSWERS[id]?.(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  coach = new CoachApi(new ApiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function recorder() {
  const log: string[] = [];
  return { log, handlers: { onMessage: (m: MirrorMessage) => log.push(`message:${m.content}`), onDelta: (text: string) => log.push(`delta:${text}`) } };
}

describe('CoachApi.sendMessage', () => {
  it('asks for an event stream and reports the stored message, each piece of the reply, then answers the stored reply', async () => {
    const { log, handlers } = recorder();
    const reply = await coach.sendMessage('streamed', 'Hi', handlers);
    expect(seen.at(-1)).toEqual({ accept: 'text/event-stream', body: JSON.stringify({ content: 'Hi' }) });
    expect(log).toEqual(['message:Hi', 'delta:Héllo ', 'delta:there ✨']);
    expect(reply).toEqual(message('coach', 'Héllo there ✨'));
  });

  it('throws the problem of an error event as an ApiError, after what arrived before it', async () => {
    const { log, handlers } = recorder();
    const failure = await coach.sendMessage('failed', 'Hi', handlers).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).problem).toMatchObject({ status: 503, code: 'coach_unavailable' });
    expect(log).toEqual(['message:Hi', 'delta:Hel']);
  });

  it('throws a StreamCutError when the stream ends without its done event', async () => {
    const { log, handlers } = recorder();
    await expect(coach.sendMessage('cut', 'Hi', handlers)).rejects.toBeInstanceOf(StreamCutError);
    expect(log).toEqual(['message:Hi', 'delta:Hel']);
  });

  it('throws a refusal answered before any stream as an ApiError, with nothing reported', async () => {
    const { log, handlers } = recorder();
    const failure = await coach.sendMessage('refused', 'Hi', handlers).catch((e: unknown) => e);
    expect((failure as ApiError).problem).toMatchObject({ status: 429, code: 'ai_budget_exhausted', retryAfterSeconds: 3600 });
    expect(log).toEqual([]);
  });

  it('throws a StreamCutError when the connection breaks while the stream is read', async () => {
    const { log, handlers } = recorder();
    await expect(coach.sendMessage('broken', 'Hi', handlers)).rejects.toBeInstanceOf(StreamCutError);
    expect(log).toEqual(['message:Hi', 'delta:Hel']);
  });

  it('stops reading, closes the connection and answers nothing once the page is gone', async () => {
    const { log, handlers } = recorder();
    const leaving = new AbortController();
    const reply = await coach.sendMessage('held', 'Hi', { ...handlers, onMessage: (m) => (handlers.onMessage(m), leaving.abort()) }, leaving.signal);
    expect(reply).toBeNull();
    expect(log).toEqual(['message:Hi']);
    await expect.poll(() => closed).toContain('held');
  });

  it('answers nothing when the page was gone before the answer came', async () => {
    const { log, handlers } = recorder();
    const reply = await coach.sendMessage('streamed', 'Hi', handlers, AbortSignal.abort());
    expect(reply).toBeNull();
    expect(log).toEqual([]);
  });
});
