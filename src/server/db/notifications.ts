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

/**
 * Listens on a channel: PGlite directly; PostgreSQL on a dedicated connection that reconnects after a
 * failure. Around each loss the listener hears `onGap` (stop trusting what it derived from messages) and,
 * once listening again, `onReady`. Answers a function that stops listening.
 */
export async function listen(database: Database, channel: string, listener: ChannelListener): Promise<() => Promise<void>> {
  const onLocal = (payload: string) => listener.onMessage(payload);
  local.on(channel, onLocal);
  const stopDatabase = await listenToDatabase(database, channel, listener);
  return async () => {
    local.off(channel, onLocal);
    await stopDatabase();
  };
}

async function listenToDatabase(database: Database, channel: string, listener: ChannelListener): Promise<() => Promise<void>> {
  if (database.kind === 'pglite') {
    const stop = await database.client.listen(channel, (payload) => listener.onMessage(payload));
    listener.onReady();
    return () => stop();
  }
  const connectionString = (database.pool.options as { connectionString?: string }).connectionString;
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;

  async function connect(delayMs: number): Promise<void> {
    if (stopped) return;
    const next = new pg.Client({ connectionString });
    next.on('notification', (message) => listener.onMessage(message.payload ?? ''));
    next.on('error', () => lost(next, delayMs));
    next.on('end', () => lost(next, delayMs));
    try {
      await next.connect();
      await next.query(`listen ${pg.escapeIdentifier(channel)}`);
      client = next;
      listener.onReady();
    } catch {
      lost(next, delayMs);
    }
  }

  function lost(which: pg.Client, delayMs: number): void {
    if (stopped || (client !== null && client !== which)) return;
    client = null;
    listener.onGap();
    which.end().catch(() => undefined);
    retry ??= setTimeout(() => {
      retry = null;
      void connect(Math.min(delayMs * 2, 10_000));
    }, delayMs);
    retry.unref();
  }

  await connect(250);
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}
