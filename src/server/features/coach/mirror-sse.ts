import { PassThrough } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MirrorExchange, MirrorMessage } from '../../../contract/coach.js';
import { AppError, problemBody } from '../../platform/errors.js';
import type { StreamedAnswer } from '../../platform/idempotency-generation.js';
import type { ReplyListener } from './mirror-service.js';

export const EVENT_STREAM_TYPE = 'text/event-stream; charset=utf-8';

/**
 * Whether the client asked for the exchange as Server-Sent Events (`Accept: text/event-stream`, with any
 * quality but `q=0`, which says "not this one").
 */
export function wantsEventStream(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.split(',').some((part) => {
    const [type, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    if (type !== 'text/event-stream') return false;
    const quality = params.find((p) => p.startsWith('q='));
    return quality === undefined || Number(quality.slice(2)) > 0;
  });
}

/** One Server-Sent Event; its data is JSON, so on one line whatever the text holds. */
export function sseEvent(event: 'message' | 'delta' | 'done' | 'error', data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * One exchange as an event stream: `message` (the stored user message) opens it, `delta` carries each piece
 * of the reply, `done` the stored reply (or `error` a problem). Everything written is kept, so that under an
 * Idempotency-Key the stream is stored and replayed byte for byte. `signal` aborts when the client leaves
 * before the end.
 */
export class ExchangeStream {
  private readonly body = new PassThrough();
  private readonly left = new AbortController();
  private written = '';
  private started = false;

  constructor(private readonly reply: FastifyReply) {}

  get signal(): AbortSignal {
    return this.left.signal;
  }

  /** Whether the response has begun (its status and headers are out): errors now go into the stream. */
  get isStarted(): boolean {
    return this.started;
  }

  readonly listener: ReplyListener = {
    opened: (message) => this.open(message),
    delta: (text) => this.write(sseEvent('delta', { text })),
  };

  readonly answer: StreamedAnswer<MirrorExchange> = {
    transcript: (exchange) => (this.started ? this.written : sseEvent('message', exchange.message)) + sseEvent('done', exchange.reply),
    send: (exchange) => {
      if (!this.started) this.open(exchange.message);
      this.write(sseEvent('done', exchange.reply));
      this.body.end();
      return this.reply;
    },
  };

  /** Ends a started stream with the error as a problem body (a generic one for an unexpected error). */
  fail(error: unknown): FastifyReply {
    const { request } = this.reply;
    const known = error instanceof AppError ? error : null;
    if (!known || known.status >= 500) request.log.error({ err: error }, 'a Mirror stream failed');
    const problem = known
      ? problemBody(request.id, known.status, known.code, known.detail, known.extra.errors, known.extra.fields)
      : problemBody(request.id, 500, 'internal_error', 'Something went wrong on our side. Try again; quote the request id if it persists.');
    this.write(sseEvent('error', problem));
    this.body.end();
    return this.reply;
  }

  private open(message: MirrorMessage): void {
    this.started = true;
    const raw = this.reply.raw;
    raw.on('close', () => {
      if (!raw.writableEnded) this.left.abort();
    });
    // A client that left while the first phase ran: its 'close' is already past.
    if (raw.destroyed) this.left.abort();
    this.reply.code(200).type(EVENT_STREAM_TYPE).header('cache-control', 'no-cache').header('x-accel-buffering', 'no');
    void this.reply.send(this.body);
    this.write(sseEvent('message', message));
  }

  private write(chunk: string): void {
    this.written += chunk;
    if (!this.body.destroyed && !this.body.writableEnded) this.body.write(chunk);
  }
}
