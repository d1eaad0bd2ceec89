import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the fake answers one request with. By default: 200 with `text`, usage `usage`. `status` answers an
 * error (with `retryAfter` as the Retry-After header); `hang` never answers (until the client goes away);
 * `cutAfterChunks` destroys the socket after that many SSE chunks of a stream; `holdAfterChunks` stops
 * sending after that many (until the client goes away).
 */
export type FakeReply = {
  text?: string;
  status?: number;
  retryAfter?: string;
  hang?: boolean;
  cutAfterChunks?: number;
  /** Sends that many SSE chunks of a stream, then holds the rest until the client goes away (or `resumeWhen`). */
  holdAfterChunks?: number;
  /** With `holdAfterChunks`: sends the rest of the stream once this settles. */
  resumeWhen?: Promise<void>;
  usage?: { prompt: number; completion: number };
  finishReason?: 'stop' | 'length' | 'content_filter';
};

export type ReceivedRequest = { body: Record<string, unknown>; at: number; headers: IncomingMessage['headers'] };

export const FAKE_DEFAULT_TEXT = 'A kind and clear answer.';
export const FAKE_DEFAULT_USAGE = { prompt: 100, completion: 20 };

/**
 * A real HTTP server speaking OpenAI's chat completions wire format (`POST /v1/chat/completions`, JSON or
 * SSE with the final usage chunk and `data: [DONE]`), answering each request with the next scripted reply
 * (the default answer once the script runs out). It counts and keeps what it received.
 */
export class FakeOpenAi {
  readonly received: ReceivedRequest[] = [];
  private readonly script: FakeReply[] = [];
  private readonly waiters: Array<{ count: number; resolve: () => void }> = [];
  private server: Server | null = null;

  get baseUrl(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v1`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** The next requests' replies, in order. */
  then(...replies: FakeReply[]): this {
    this.script.push(...replies);
    return this;
  }

  reset(): void {
    this.script.length = 0;
    this.received.length = 0;
  }

  /** Resolves once `count` requests have arrived in all. */
  requests(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    this.received.push({ body, at: performance.now(), headers: req.headers });
    for (const w of this.waiters.filter((w) => this.received.length >= w.count)) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve();
    }
    const reply = this.script.shift() ?? {};
    if (reply.hang) return; // the client's abort closes the socket
    if (reply.status !== undefined && reply.status !== 200) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (reply.retryAfter !== undefined) headers['retry-after'] = reply.retryAfter;
      res.writeHead(reply.status, headers).end(JSON.stringify({ error: { message: `scripted ${reply.status}`, type: 'server_error', code: null } }));
      return;
    }
    const model = String(body.model);
    const text = reply.text ?? FAKE_DEFAULT_TEXT;
    const usage = reply.usage ?? FAKE_DEFAULT_USAGE;
    const usageWire = { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion };
    const finish = reply.finishReason ?? 'stop';
    const base = { id: `chatcmpl-${this.received.length}`, created: 1_760_000_000, model, system_fingerprint: 'fp_fake' };
    if (body.stream !== true) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          ...base,
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: finish }],
          usage: usageWire,
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices, ...(includeUsage ? { usage: null } : {}), ...extra })}\n\n`;
    const events = [
      chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]),
      ...text.split(/(?<=\s)/).map((word) => chunk([{ index: 0, delta: { content: word }, logprobs: null, finish_reason: null }])),
      chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: finish }]),
      ...(includeUsage ? [chunk([], { usage: usageWire })] : []),
      'data: [DONE]\n\n',
    ];
    for (const [i, event] of events.entries()) {
      if (reply.cutAfterChunks !== undefined && i === reply.cutAfterChunks) {
        res.socket?.destroy();
        return;
      }
      if (reply.holdAfterChunks !== undefined && i === reply.holdAfterChunks) {
        if (!reply.resumeWhen) return; // the client's abort closes the socket
        await reply.resumeWhen;
      }
      await new Promise<void>((resolve) => res.write(event, () => resolve()));
    }
    res.end();
  }
}
