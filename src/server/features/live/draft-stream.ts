import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { AuthUser } from '../../platform/auth.js';
import { findDraft, findMember } from '../drafts/repo.js';
import { listEvents } from '../events/log.js';
import { displayNameOf } from '../users/present.js';
import { CLOSE } from './close-codes.js';
import { CoalescingRunner } from './coalescing-runner.js';
import { FEED_PAGE, toFeedEvent, type DraftFeed, type DraftFeeds, type FeedListener } from './feed.js';
import { PRESENCE_TTL_MS, presenceByUser, TYPING_TTL_MS, type PresenceEntry, type PresenceState, type PresenceStore } from './presence.js';
import { LiveSocket, type Hello, type LiveSocketDeps } from './socket.js';

/** The bus topic that carries a draft's presence list to every instance. */
export const presenceTopic = (draftId: string) => `presence:${draftId}`;

/**
 * Reads a draft's presence, dropping expired entries, and tells every instance the list — always, or
 * (`onlyIfExpired`) when an entry had expired, so that expiry is broadcast like any other change.
 */
export async function broadcastPresence(
  deps: Pick<DraftStreamDeps, 'presence' | 'bus' | 'clock'>,
  draftId: string,
  onlyIfExpired = false,
): Promise<PresenceEntry[]> {
  const { live, dropped } = await deps.presence.entries(draftId, deps.clock.now().getTime());
  const users = presenceByUser(live);
  if (dropped || !onlyIfExpired) await deps.bus.publish(presenceTopic(draftId), JSON.stringify(users)).catch(() => undefined);
  return users;
}

export type DraftStreamDeps = LiveSocketDeps & { presence: PresenceStore; feeds: DraftFeeds };

const PresenceSchema = z.object({
  type: z.literal('presence'),
  state: z.enum(['viewing', 'typing']),
  position: z.number().int().min(0).nullish(),
});

/**
 * One client on `/v1/drafts/:id/live`. After `hello` it answers `ready`, then sends every event after `since`
 * from the log, in order, and keeps doing so whenever the draft's feed has read more. Sending is one loop that
 * always takes "what follows the last event sent", so an event committed during the replay is neither lost
 * nor sent twice.
 */
export class DraftStream extends LiveSocket {
  private sent = 0;
  /** Sends what the feed or the log holds after the last event sent, whenever the feed has read more. */
  private readonly sender = new CoalescingRunner(
    () => this.pump(),
    (error) => this.fail(error),
  );
  private unsubscribePresence: (() => Promise<void>) | null = null;
  private feed: DraftFeed | null = null;
  private readonly listener: FeedListener = { changed: () => this.sender.trigger(), failed: (error) => this.fail(error) };
  readonly id = randomUUID();
  private here: { state: PresenceState; position: number | null } | null = null;
  /** When the last typing frame came (clock ms); a composer left idle stops showing as typing. */
  private typedAt = 0;

  constructor(
    protected override readonly deps: DraftStreamDeps,
    socket: WebSocket,
    readonly draftId: string,
  ) {
    super(deps, socket);
  }

  protected override logFields(): Record<string, unknown> {
    return { ...super.logFields(), draftId: this.draftId };
  }

  protected async start(user: AuthUser, hello: Hello): Promise<void> {
    const draft = await findDraft(this.deps.db, this.draftId);
    const member = draft ? await findMember(this.deps.db, this.draftId, user.id) : undefined;
    if (!draft || !member) return this.close(CLOSE.NOT_FOUND, 'no such draft');
    // Served, it would wait for events the log does not have yet and miss all up to that point, a removal too.
    if (hello.since > draft.lastServerSeq) return this.close(CLOSE.BAD_FRAME, 'since_ahead');
    this.sent = hello.since;
    const unsubscribePresence = await this.deps.bus.subscribe(presenceTopic(this.draftId), (users) =>
      this.send({ type: 'presence', users: JSON.parse(users) as unknown }),
    );
    if (this.closed) return unsubscribePresence();
    this.unsubscribePresence = unsubscribePresence;
    const feed = await this.deps.feeds.join(this.draftId, draft.lastServerSeq, this.listener);
    if (this.closed) return this.deps.feeds.leave(feed, this.listener);
    this.feed = feed;
    this.send({ type: 'ready', lastServerSeq: draft.lastServerSeq });
    this.sender.trigger();
    await this.setPresence('viewing', null);
  }

  protected async onMessage(frame: unknown): Promise<void> {
    const presence = PresenceSchema.safeParse(frame);
    if (!presence.success || !this.feed) return;
    if (presence.data.state === 'typing') this.typedAt = this.deps.clock.now().getTime();
    await this.setPresence(presence.data.state, presence.data.position ?? null);
  }

  /** Turns `typing` back into `viewing` (and tells everyone) once no typing frame came for TYPING_TTL_MS. */
  async expireTyping(): Promise<void> {
    if (this.here?.state !== 'typing' || this.deps.clock.now().getTime() - this.typedAt < TYPING_TTL_MS) return;
    await this.setPresence('viewing', null).catch((error: unknown) => this.fail(error));
  }

  protected async release(): Promise<void> {
    const [feed, unsubscribePresence, here] = [this.feed, this.unsubscribePresence, this.here];
    this.feed = this.unsubscribePresence = this.here = null;
    await Promise.all([feed && this.deps.feeds.leave(feed, this.listener), unsubscribePresence?.()]);
    if (here) {
      // Should this fail, the entry left behind expires with PRESENCE_TTL_MS.
      await this.deps.presence.remove(this.draftId, this.id);
      await broadcastPresence(this.deps, this.draftId);
    }
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

  /** Sends what follows the last event sent: from the shared feed, or from the log when behind it. */
  private async pump(): Promise<void> {
    for (;;) {
      if (this.closed || !this.feed) return;
      const events = this.feed.after(this.sent) ?? (await listEvents(this.deps.db, this.draftId, this.sent, FEED_PAGE)).map(toFeedEvent);
      if (events.length === 0) return;
      for (const event of events) {
        if (this.closed) return;
        this.sendText(event.frame);
        this.sent = event.serverSeq;
        if (event.type === 'collaborator.left' && (event.payload as { userId?: string }).userId === this.user?.id) {
          return this.close(CLOSE.FORBIDDEN, 'you were removed from this draft');
        }
      }
      if (this.overflowing()) return this.close(CLOSE.TOO_FAST, 'reading too slowly; reconnect with since');
    }
  }
}
