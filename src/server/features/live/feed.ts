import type { Db } from '../../db/client.js';
import type { Bus } from '../../platform/bus.js';
import { presentEvent } from '../drafts/present.js';
import { draftTopic } from '../drafts/service.js';
import { listEvents, type EventView } from '../events/log.js';
import { CoalescingRunner } from './coalescing-runner.js';

/** Events read from the log at a time. */
export const FEED_PAGE = 500;

/** An event as the live channel sends it, serialized once for every socket. */
export type FeedEvent = { serverSeq: number; type: string; payload: unknown; frame: string };

export function toFeedEvent(row: EventView): FeedEvent {
  return { serverSeq: row.serverSeq, type: row.type, payload: row.payload, frame: JSON.stringify({ type: 'event', event: presentEvent(row) }) };
}

export type FeedListener = { changed(): void; failed(error: unknown): void };
type FeedDeps = { db: Db; bus: Bus };

/**
 * The recent tail of one draft's log on this instance, read once per change however many sockets here watch
 * the draft. It listens to the draft's doorbell and, one read at a time, fetches what follows its head (a
 * ring during a read triggers one more), then tells its listeners. Sockets take what follows their last sent
 * event from it; one that fell behind the window reads the log itself.
 */
export class DraftFeed {
  /** Events with serverSeq in (base, head], contiguous. */
  private window: FeedEvent[] = [];
  /** Reads past the head and wakes the listeners, one read at a time, again if the doorbell rang meanwhile. */
  private readonly reader = new CoalescingRunner(
    async () => {
      await this.read();
      this.listeners.forEach((l) => l.changed());
    },
    (error) => this.listeners.forEach((l) => l.failed(error)),
  );
  private closed = false;
  private unsubscribe: (() => Promise<void>) | null = null;
  readonly listeners = new Set<FeedListener>();

  constructor(
    private readonly deps: FeedDeps,
    readonly draftId: string,
    private base: number,
    private readonly capacity: number,
  ) {}

  get head(): number {
    return this.base + this.window.length;
  }

  /** The events after `after` held here (none when it is at or past the head), or null when it is older. */
  after(after: number): FeedEvent[] | null {
    if (after < this.base) return null;
    return this.window.slice(after - this.base);
  }

  /** Starts listening, then reads once: a change committed before the doorbell was heard is not missed. */
  async open(): Promise<void> {
    this.unsubscribe = await this.deps.bus.subscribe(draftTopic(this.draftId), () => this.reader.trigger());
    this.reader.trigger();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.unsubscribe?.();
  }

  private async read(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const events = (await listEvents(this.deps.db, this.draftId, this.head, FEED_PAGE)).map(toFeedEvent);
      const all = [...this.window, ...events];
      const drop = Math.max(0, all.length - this.capacity);
      this.base += drop;
      this.window = all.slice(drop);
      if (events.length < FEED_PAGE) return;
    }
  }
}

/** This instance's feeds: one per draft somebody here is watching, closed with its last listener. */
export class DraftFeeds {
  private readonly feeds = new Map<string, { feed: DraftFeed; opened: Promise<void> }>();

  constructor(
    private readonly deps: FeedDeps,
    private readonly capacity = 32,
  ) {}

  /** The drafts somebody on this instance is watching. */
  draftIds(): string[] {
    return [...this.feeds.keys()];
  }

  /** Joins the draft's feed (opening it, with `lastServerSeq` as its head, when it is the first). */
  async join(draftId: string, lastServerSeq: number, listener: FeedListener): Promise<DraftFeed> {
    let entry = this.feeds.get(draftId);
    if (!entry) {
      const feed = new DraftFeed(this.deps, draftId, lastServerSeq, this.capacity);
      entry = { feed, opened: feed.open() };
      this.feeds.set(draftId, entry);
      const opening = entry;
      opening.opened.catch(() => {
        if (this.feeds.get(draftId) === opening) this.feeds.delete(draftId);
      });
    }
    entry.feed.listeners.add(listener);
    try {
      await entry.opened;
    } catch (error) {
      entry.feed.listeners.delete(listener);
      throw error;
    }
    return entry.feed;
  }

  async leave(feed: DraftFeed, listener: FeedListener): Promise<void> {
    feed.listeners.delete(listener);
    if (feed.listeners.size > 0 || this.feeds.get(feed.draftId)?.feed !== feed) return;
    this.feeds.delete(feed.draftId);
    await feed.close();
  }
}
