import { EventEmitter } from 'node:events';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Database, Db } from './client.js';

// Listeners in this process hear a notification at once, before the commit; the database delivers it to
// every instance (this one included) after the commit. Early eviction lets a request that follows a change
// on the same instance never see the old state; the late one covers the others.
const local = new EventEmitter().setMaxListeners(0);

/** Sends a notification that every listener receives when (and only if) the transaction commits. */
export async function notify(db: Db, channel: string, payload: string): Promise<void> {
  local.emit(channel, payload);
  await db.execute(sql`select pg_notify(${channel}, ${payload})`);
}

/** What a listener is told: each payload, and when the channel was (re)opened so it may have missed some. */
export type ChannelListener = { onMessage(payload: string): void; onGap(): void; onReady(): void };

/** An open subscription: whether notifications are flowing right now, and how to stop listening. */
export type Subscription = { readonly listening: boolean; close(): Promise<void> };

/**
 * Listens on a channel: PGlite directly; PostgreSQL on a dedicated connection that reconnects after a
 * failure. Around each loss the listener hears `onGap` (stop trusting what it derived from messages) and,
 * once listening again, `onReady`.
 */
export async function listen(database: Database, channel: string, listener: ChannelListener): Promise<Subscription> {
  const onLocal = (payload: string) => listener.onMessage(payload);
  local.on(channel, onLocal);
  const remote = await listenToDatabase(database, channel, listener);
  return {
    get listening() {
      return remote.listening;
    },
    async close() {
      local.off(channel, onLocal);
      await remote.close();
    },
  };
}

const FIRST_RETRY_MS = 250;
const LAST_RETRY_MS = 10_000;

async function listenToDatabase(database: Database, channel: string, listener: ChannelListener): Promise<Subscription> {
  if (database.kind === 'pglite') {
    const stop = await database.client.listen(channel, (payload) => listener.onMessage(payload));
    listener.onReady();
    return { listening: true, close: () => stop() };
  }
  const connectionString = (database.pool.options as { connectionString?: string }).connectionString;
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  // Backs off while the database stays away; a connection that worked starts the next outage afresh.
  let delayMs = FIRST_RETRY_MS;

  async function connect(): Promise<void> {
    if (stopped) return;
    const next = new pg.Client({ connectionString });
    let gone = false;
    // pg reports one loss as 'error' then 'end' (or either alone); the listener must hear it once.
    const onLoss = () => {
      if (gone) return;
      gone = true;
      lost(next);
    };
    next.on('notification', (message) => listener.onMessage(message.payload ?? ''));
    next.on('error', onLoss);
    next.on('end', onLoss);
    try {
      await next.connect();
      await next.query(`listen ${pg.escapeIdentifier(channel)}`);
    } catch {
      onLoss();
      return;
    }
    if (stopped || gone) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    delayMs = FIRST_RETRY_MS;
    listener.onReady();
  }

  function lost(which: pg.Client): void {
    if (stopped) return;
    client = null;
    listener.onGap();
    which.end().catch(() => undefined);
    retry ??= setTimeout(() => {
      retry = null;
      void connect();
    }, delayMs);
    retry.unref();
    delayMs = Math.min(delayMs * 2, LAST_RETRY_MS);
  }

  await connect();
  return {
    get listening() {
      return client !== null;
    },
    async close() {
      stopped = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
