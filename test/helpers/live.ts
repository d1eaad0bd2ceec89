import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { vi } from 'vitest';
import type { WebSocket } from 'ws';

/** The upgrade request as if it came from `ip` (the request's socket address). */
const from = (ip?: string): Partial<IncomingMessage> => (ip ? { socket: { remoteAddress: ip } as Socket } : {});

export type Frame = { type: string; [key: string]: unknown };

/** A live-channel client over `injectWS` that keeps every frame and how the socket closed. */
export class LiveClient {
  readonly frames: Frame[] = [];
  closed: { code: number; reason: string } | null = null;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.frames.push(JSON.parse(String(data)) as Frame));
    socket.on('close', (code, reason) => (this.closed = { code, reason: String(reason) }));
  }

  /** A draft's channel, from `ip` when given. */
  static async open(app: FastifyInstance, draftId: string, ip?: string): Promise<LiveClient> {
    return new LiveClient(await app.injectWS(`/v1/drafts/${draftId}/live`, from(ip)));
  }

  /** The drafts list's channel, from `ip` when given. */
  static async openList(app: FastifyInstance, ip?: string): Promise<LiveClient> {
    return new LiveClient(await app.injectWS('/v1/me/live', from(ip)));
  }

  /** Resolves once the server answered `ready` or closed the socket: `'ready'` or the close code. */
  async settled(): Promise<'ready' | number> {
    await vi.waitUntil(() => this.closed !== null || this.frames.some((f) => f.type === 'ready'));
    return this.closed?.code ?? 'ready';
  }

  send(frame: unknown): void {
    this.socket.send(JSON.stringify(frame));
  }

  hello(accessToken: string, since = 0): void {
    this.send({ type: 'hello', accessToken, since });
  }

  /** Server sequence numbers of the events received so far. */
  get seqs(): number[] {
    return this.frames.filter((f) => f.type === 'event').map((f) => (f.event as { serverSeq: number }).serverSeq);
  }

  /** Resolves once the server has read every frame sent before: it answers a ping in order, after them. */
  async flush(): Promise<void> {
    const pong = new Promise((resolve) => this.socket.once('pong', resolve));
    this.socket.ping();
    await pong;
  }

  close(): void {
    this.socket.terminate();
  }
}

/** The users of the last presence frame a client received. */
export function lastPresence(client: LiveClient): Array<{ userId: string; state: string; position: number | null }> | undefined {
  const frames = client.frames.filter((f) => f.type === 'presence');
  return frames.at(-1)?.users as Array<{ userId: string; state: string; position: number | null }> | undefined;
}
