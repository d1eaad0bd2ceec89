import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { AccessTokens } from '../../platform/access-tokens.js';
import { TooManyRequestsError } from '../../platform/errors.js';
import type { AuthUser, PrincipalLoader } from '../../platform/auth.js';
import { sessionChanged, userChanged } from '../../platform/principal-cache.js';
import type { DraftsDeps } from '../drafts/service.js';
import { CLOSE } from './close-codes.js';
import type { OpenSockets } from './open-sockets.js';

export type LiveLimits = {
  /** How long a connection may wait before its `hello`. */
  helloTimeoutMs: number;
  /** Frames a client may send per second before it is closed with 4429. */
  maxFramesPerSecond: number;
  /** Bytes queued for one socket beyond which it is closed (4429) to resume by `since`. */
  maxBufferedBytes: number;
  /** Frames held between `hello` and the end of setting up (applied after it); one more is closed with 4429. */
  maxFramesBeforeReady: number;
  /** Live sockets (both channels) one user may hold open on an instance; one more is closed with 4429. */
  maxSocketsPerUser: number;
  /** Live sockets (both channels) one address may hold open on an instance, counted before `hello`. */
  maxSocketsPerIp: number;
};

export const DEFAULT_LIVE_LIMITS: LiveLimits = {
  helloTimeoutMs: 5_000,
  maxFramesPerSecond: 20,
  maxBufferedBytes: 1024 * 1024,
  maxFramesBeforeReady: 10,
  maxSocketsPerUser: 20,
  maxSocketsPerIp: 100,
};

export type LiveSocketDeps = DraftsDeps &
  LiveLimits & {
    tokens: AccessTokens;
    loadPrincipal: PrincipalLoader;
    /** Announcements of ended sessions and changed accounts (`s:<sessionId>`, `u:<userId>`). */
    watchPrincipals(handler: (payload: string) => void): () => void;
    /** Every user's open sockets on this instance, against `maxSocketsPerUser`. */
    socketsByUser: OpenSockets;
    /**
     * Counts a connection attempt against the user's `live` rate limit (and usage) once its first token
     * checked out; throws a 429 error (closed here with 4429) when over. Admits everyone when not given.
     */
    admitUser?: (userId: string) => Promise<void>;
    log: FastifyBaseLogger;
  };

const HelloSchema = z.object({ type: z.literal('hello'), accessToken: z.string().min(1), since: z.number().int().min(0).default(0) });
const AuthSchema = z.object({ type: z.literal('auth'), accessToken: z.string().min(1) });
export type Hello = z.infer<typeof HelloSchema>;

/**
 * What every live channel shares: the `hello` that must come first (4408 after the timeout, 4400 when it is
 * something else), the access token checked then and again on each `auth` frame (4401 at its expiry), a
 * frame rate limit (4429), frames that arrive while it sets up held and applied after, in order (Hocuspocus's
 * incomingMessageQueue), and a close that releases everything once. A failure inside is logged and closes
 * with 1011, never left as a rejected promise.
 */
export abstract class LiveSocket {
  protected user: AuthUser | null = null;
  private sessionId = '';
  /** The user this socket is counted against, once its first token checked out. */
  private counted: string | null = null;
  protected closed = false;
  private greeted = false;
  /** Set up, and what arrived meanwhile applied: frames are handled as they come. */
  private serving = false;
  private readonly early: unknown[] = [];
  private helloTimer: NodeJS.Timeout | null;
  private expiryTimer: NodeJS.Timeout | null = null;
  private frames = { second: 0, count: 0 };
  private disposed: Promise<void> | null = null;

  constructor(
    protected readonly deps: LiveSocketDeps,
    protected readonly socket: WebSocket,
  ) {
    this.helloTimer = setTimeout(() => void this.close(CLOSE.HELLO_TIMEOUT, 'send hello first'), deps.helloTimeoutMs);
    socket.on('message', (data) => void this.onFrame(String(data)).catch((error: unknown) => this.fail(error)));
    socket.on('close', () => void this.dispose());
    socket.on('error', () => void this.dispose());
  }

  /** Runs once the `hello` token checked out: subscribe, then send `ready` and what the client missed. */
  protected abstract start(user: AuthUser, hello: Hello): Promise<void>;
  /** Any frame after `hello` other than `auth`. */
  protected abstract onMessage(frame: unknown): Promise<void>;
  /** Releases subscriptions and other state; runs once, after the socket closed. */
  protected abstract release(): Promise<void>;

  /** Closes the socket; resolves once everything the connection held is released. */
  close(code: number, reason: string): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.socket.close(code, reason);
    }
    return this.dispose();
  }

  /** A session ended or an account changed somewhere: re-check ours, closing with 4401 when it is over. */
  principalChanged(payload: string): void {
    const user = this.user;
    if (!user || (payload !== sessionChanged(this.sessionId) && payload !== userChanged(user.id))) return;
    void this.deps
      .loadPrincipal(user.id, this.sessionId)
      .then((current) => {
        if (!current) return this.close(CLOSE.UNAUTHORIZED, 'session ended');
        this.user = current;
      })
      .catch((error: unknown) => this.fail(error));
  }

  protected send(frame: unknown): void {
    this.sendText(JSON.stringify(frame));
  }

  /** A frame already serialized (shared by every socket that sends it). */
  protected sendText(frame: string): void {
    if (!this.closed) this.socket.send(frame);
  }

  /** The client reads more slowly than frames arrive: it resumes by reconnecting rather than holding memory. */
  protected overflowing(): boolean {
    return this.socket.bufferedAmount > this.deps.maxBufferedBytes;
  }

  /** Fields that identify this connection in the log. */
  protected logFields(): Record<string, unknown> {
    return { userId: this.user?.id };
  }

  /** A store or the database failed: the client is told to come back, which re-reads the truth. */
  protected fail(error: unknown): void {
    this.deps.log.error({ err: error, ...this.logFields() }, 'live connection failed');
    void this.close(CLOSE.INTERNAL_ERROR, 'server error; reconnect with since');
  }

  private dispose(): Promise<void> {
    this.closed = true;
    this.early.length = 0;
    if (this.counted) this.deps.socketsByUser.closed(this.counted);
    this.counted = null;
    if (this.helloTimer) clearTimeout(this.helloTimer);
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.disposed ??= this.release().catch((error: unknown) => {
      this.deps.log.warn({ err: error, ...this.logFields() }, 'live connection cleanup failed');
    });
    return this.disposed;
  }

  private tooFast(): boolean {
    const second = Math.floor(this.deps.clock.now().getTime() / 1000);
    if (second !== this.frames.second) this.frames = { second, count: 0 };
    return ++this.frames.count > this.deps.maxFramesPerSecond;
  }

  private async onFrame(raw: string): Promise<void> {
    if (this.closed) return;
    if (this.tooFast()) return this.close(CLOSE.TOO_FAST, 'too many frames');
    let frame: unknown;
    try {
      frame = JSON.parse(raw);
    } catch {
      return this.close(CLOSE.BAD_FRAME, 'frames are JSON');
    }
    if (!this.greeted) {
      const hello = HelloSchema.safeParse(frame);
      if (!hello.success) return this.close(CLOSE.BAD_FRAME, 'the first frame is hello');
      this.greeted = true;
      if (this.helloTimer) clearTimeout(this.helloTimer);
      this.helloTimer = null;
      if (!(await this.authenticate(hello.data.accessToken))) return;
      await this.start(this.user!, hello.data);
      return this.drainEarly();
    }
    if (!this.serving) {
      if (this.early.length >= this.deps.maxFramesBeforeReady) return this.close(CLOSE.TOO_FAST, 'too many frames before ready');
      this.early.push(frame);
      return;
    }
    await this.handle(frame);
  }

  private async handle(frame: unknown): Promise<void> {
    const auth = AuthSchema.safeParse(frame);
    if (auth.success) return void (await this.authenticate(auth.data.accessToken));
    await this.onMessage(frame);
  }

  /** Applies what arrived during set-up, in order; frames arriving meanwhile join the end of the queue. */
  private async drainEarly(): Promise<void> {
    while (this.early.length > 0 && !this.closed) await this.handle(this.early.shift());
    this.serving = !this.closed;
  }

  /** Checks a token (first or renewed) and arms the close at its expiry; false when it closed the socket. */
  private async authenticate(accessToken: string): Promise<boolean> {
    const verified = await this.deps.tokens.verify(accessToken);
    const user = verified.ok ? await this.deps.loadPrincipal(verified.claims.userId, verified.claims.sessionId) : null;
    if (!verified.ok || !user || (this.user && this.user.id !== user.id)) {
      await this.close(CLOSE.UNAUTHORIZED, verified.ok ? 'session ended' : `token ${verified.reason}`);
      return false;
    }
    if (!this.counted) {
      // Closed meanwhile, it was released already: counting it now would hold a place for good.
      if (this.closed) return false;
      try {
        await this.deps.admitUser?.(user.id);
      } catch (error) {
        if (error instanceof TooManyRequestsError) {
          await this.close(CLOSE.TOO_FAST, `rate_limited: retry after ${error.retryAfterSeconds} s`);
          return false;
        }
        // As over HTTP: an unreachable limit store lets the connection through.
        this.deps.log.warn({ err: error }, 'rate limits unavailable; live connection let through');
      }
      if (this.closed) return false;
      if (!this.deps.socketsByUser.tryOpen(user.id)) {
        await this.close(CLOSE.TOO_FAST, 'too many live connections for this account');
        return false;
      }
      this.counted = user.id;
    }
    this.user = user;
    this.sessionId = verified.claims.sessionId;
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    const remaining = verified.expiresAtMs - this.deps.clock.now().getTime();
    this.expiryTimer = setTimeout(() => void this.close(CLOSE.UNAUTHORIZED, 'token expired; send auth'), Math.max(0, remaining));
    return true;
  }
}
