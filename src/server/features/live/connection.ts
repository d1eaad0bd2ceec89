import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { AccessTokens } from '../../platform/access-tokens.js';
import type { AuthUser, PrincipalLoader } from '../../platform/auth.js';
import { presentEvent } from '../drafts/present.js';
import { findDraft, findMember } from '../drafts/repo.js';
import { draftTopic, type DraftsDeps } from '../drafts/service.js';
import { listEvents } from '../events/log.js';
import { displayNameOf } from '../users/present.js';
import { CLOSE } from './close-codes.js';
import { PRESENCE_TTL_MS, presenceByUser, type PresenceEntry, type PresenceState, type PresenceStore } from './presence.js';

/** The bus topic that carries a draft's presence list to every instance. */
export const presenceTopic = (draftId: string) => `presence:${draftId}`;

/**
 * Reads a draft's presence, dropping expired entries, and tells every instance the list — always, or
 * (`onlyIfExpired`) when an entry had expired, so that expiry is broadcast like any other change.
 */
export async function broadcastPresence(
  deps: Pick<LiveDeps, 'presence' | 'bus' | 'clock'>,
  draftId: string,
  onlyIfExpired = false,
): Promise<PresenceEntry[]> {
  const { live, dropped } = await deps.presence.entries(draftId, deps.clock.now().getTime());
  const users = presenceByUser(live);
  if (dropped || !onlyIfExpired) await deps.bus.publish(presenceTopic(draftId), JSON.stringify(users)).catch(() => undefined);
  return users;
}

export type LiveLimits = {
  /** How long a connection may wait before its `hello`. */
  helloTimeoutMs: number;
  /** Frames a client may send per second before it is closed with 4429. */
  maxFramesPerSecond: number;
  /** Bytes queued for one socket beyond which it is closed (4429) to resume by `since`. */
  maxBufferedBytes: number;
};

export const DEFAULT_LIVE_LIMITS: LiveLimits = { helloTimeoutMs: 5_000, maxFramesPerSecond: 20, maxBufferedBytes: 1024 * 1024 };

export type LiveDeps = DraftsDeps &
  LiveLimits & {
    tokens: AccessTokens;
    loadPrincipal: PrincipalLoader;
    presence: PresenceStore;
    log: FastifyBaseLogger;
  };

const HelloSchema = z.object({ type: z.literal('hello'), accessToken: z.string().min(1), since: z.number().int().min(0).default(0) });
const AuthSchema = z.object({ type: z.literal('auth'), accessToken: z.string().min(1) });
const PresenceSchema = z.object({
  type: z.literal('presence'),
  state: z.enum(['viewing', 'typing']),
  position: z.number().int().min(0).nullish(),
});
const REPLAY_PAGE = 500;

/**
 * One client on `/v1/drafts/:id/live`. After `hello` it answers `ready`, then sends every event after `since`
 * from the log, in order, and keeps doing so whenever the draft's doorbell rings. Sending is one loop that
 * always reads "after the last event sent", so an event committed during the replay is neither lost nor
 * sent twice.
 */
export class LiveConnection {
  private user: AuthUser | null = null;
  private greeted = false;
  private sent = 0;
  private pumping: Promise<void> | null = null;
  private ringAgain = false;
  private unsubscribe: (() => Promise<void>) | null = null;
  private helloTimer: NodeJS.Timeout | null;
  private expiryTimer: NodeJS.Timeout | null = null;
  private frames = { second: 0, count: 0 };
  private closed = false;
  private disposed: Promise<void> | null = null;
  readonly id = randomUUID();
  private here: { state: PresenceState; position: number | null } | null = null;
  private unsubscribePresence: (() => Promise<void>) | null = null;

  constructor(
    private readonly deps: LiveDeps,
    private readonly socket: WebSocket,
    private readonly draftId: string,
  ) {
    this.helloTimer = setTimeout(() => void this.close(CLOSE.HELLO_TIMEOUT, 'send hello first'), deps.helloTimeoutMs);
    socket.on('message', (data) => void this.onFrame(String(data)).catch((error: unknown) => this.fail(error)));
    socket.on('close', () => void this.dispose());
    socket.on('error', () => void this.dispose());
  }

  get draft(): string {
    return this.draftId;
  }

  /** Closes the socket; resolves once subscriptions and presence are released. */
  close(code: number, reason: string): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.socket.close(code, reason);
    }
    return this.dispose();
  }

  /** A store or the database failed: the client is told to come back, which replays from the log. */
  private fail(error: unknown): void {
    this.deps.log.error({ err: error, draftId: this.draftId }, 'live connection failed');
    void this.close(CLOSE.INTERNAL_ERROR, 'server error; reconnect with since');
  }

  /** Releases subscriptions and presence, once; never throws, as nobody is left to answer. */
  private dispose(): Promise<void> {
    this.closed = true;
    this.disposed ??= this.release();
    return this.disposed;
  }

  private async release(): Promise<void> {
    if (this.helloTimer) clearTimeout(this.helloTimer);
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    const unsubscribes = [this.unsubscribe, this.unsubscribePresence];
    this.unsubscribe = this.unsubscribePresence = null;
    const here = this.here;
    this.here = null;
    try {
      await Promise.all(unsubscribes.map((u) => u?.()));
      if (here) {
        await this.deps.presence.remove(this.draftId, this.id);
        await broadcastPresence(this.deps, this.draftId);
      }
    } catch (error) {
      // The entry left behind expires with PRESENCE_TTL_MS.
      this.deps.log.warn({ err: error, draftId: this.draftId }, 'live connection cleanup failed');
    }
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
      return this.start(hello.data.accessToken, hello.data.since);
    }
    const auth = AuthSchema.safeParse(frame);
    if (auth.success) return void (await this.authenticate(auth.data.accessToken));
    const presence = PresenceSchema.safeParse(frame);
    if (presence.success && this.unsubscribe) await this.setPresence(presence.data.state, presence.data.position ?? null);
  }

  /** Records this connection's presence (a heartbeat too) and tells everyone when it changed. */
  private async setPresence(state: PresenceState, position: number | null): Promise<void> {
    if (this.closed) return;
    const changed = this.here?.state !== state || this.here?.position !== position;
    this.here = { state, position };
    const user = this.user!;
    await this.deps.presence.set(
      this.draftId,
      this.id,
      { userId: user.id, displayName: displayNameOf(user), state, position },
      this.deps.clock.now().getTime() + PRESENCE_TTL_MS,
    );
    if (changed) await broadcastPresence(this.deps, this.draftId);
  }

  /** Checks a token (first or renewed) and arms the close at its expiry; false when it closed the socket. */
  private async authenticate(accessToken: string): Promise<boolean> {
    const verified = await this.deps.tokens.verify(accessToken);
    const user = verified.ok ? await this.deps.loadPrincipal(verified.claims.userId, verified.claims.sessionId) : null;
    if (!verified.ok || !user || (this.user && this.user.id !== user.id)) {
      await this.close(CLOSE.UNAUTHORIZED, verified.ok ? 'session ended' : `token ${verified.reason}`);
      return false;
    }
    this.user = user;
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    const remaining = verified.expiresAtMs - this.deps.clock.now().getTime();
    this.expiryTimer = setTimeout(() => void this.close(CLOSE.UNAUTHORIZED, 'token expired; send auth'), Math.max(0, remaining));
    return true;
  }

  private async start(accessToken: string, since: number): Promise<void> {
    if (this.helloTimer) clearTimeout(this.helloTimer);
    this.helloTimer = null;
    if (!(await this.authenticate(accessToken))) return;
    const draft = await findDraft(this.deps.db, this.draftId);
    const member = draft ? await findMember(this.deps.db, this.draftId, this.user!.id) : undefined;
    if (!draft || !member) return this.close(CLOSE.NOT_FOUND, 'no such draft');
    this.sent = since;
    const unsubscribe = await this.deps.bus.subscribe(draftTopic(this.draftId), () => this.ring());
    const unsubscribePresence = await this.deps.bus.subscribe(presenceTopic(this.draftId), (users) =>
      this.send({ type: 'presence', users: JSON.parse(users) as unknown }),
    );
    if (this.closed) return void (await Promise.all([unsubscribe(), unsubscribePresence()]));
    this.unsubscribe = unsubscribe;
    this.unsubscribePresence = unsubscribePresence;
    this.send({ type: 'ready', lastServerSeq: draft.lastServerSeq });
    this.ring();
    await this.setPresence('viewing', null);
  }

  /** Something was committed: send what follows the last event sent (one loop at a time). */
  private ring(): void {
    if (this.pumping) {
      this.ringAgain = true;
      return;
    }
    this.pumping = this.pump()
      .catch((error: unknown) => this.fail(error))
      .finally(() => {
      this.pumping = null;
      if (this.ringAgain && !this.closed) {
        this.ringAgain = false;
        this.ring();
      }
    });
  }

  private async pump(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const events = await listEvents(this.deps.db, this.draftId, this.sent, REPLAY_PAGE);
      for (const row of events) {
        if (this.closed) return;
        this.send({ type: 'event', event: presentEvent(row) });
        this.sent = row.serverSeq;
        if (row.type === 'collaborator.left' && (row.payload as { userId?: string }).userId === this.user?.id) {
          return this.close(CLOSE.FORBIDDEN, 'you were removed from this draft');
        }
      }
      if (this.socket.bufferedAmount > this.deps.maxBufferedBytes) {
        return this.close(CLOSE.TOO_FAST, 'reading too slowly; reconnect with since');
      }
      if (events.length < REPLAY_PAGE) return;
    }
  }

  private send(frame: unknown): void {
    if (!this.closed) this.socket.send(JSON.stringify(frame));
  }
}
