import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema/index.js';

/** A Drizzle handle on either driver; transactions have the same type, so repos take `Db` for both. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DatabaseKind = 'pglite' | 'postgres';

/** The system of record and how to let go of it. */
export type Database = {
  db: Db;
  close(): Promise<void>;
} & ({ kind: 'postgres'; pool: pg.Pool } | { kind: 'pglite'; client: PGlite });

export type DatabaseOptions =
  | { kind: 'postgres'; url: string; poolSize: number; onConnectionError?: (error: Error) => void }
  | { kind: 'pglite'; dataDir: string | null };

/** Opens PostgreSQL through a pool, or embedded PGlite (in memory when `dataDir` is null). */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize });
    // pg emits 'error' on a client whose connection drops (restart, failover, pg_terminate_backend), idle or
    // checked out; unheard, that event kills the process. The query running on it fails by itself (and is
    // answered 503), and the pool discards the client when it comes back.
    pool.on('connect', (client) => client.on('error', (error) => options.onConnectionError?.(error)));
    // The pool repeats an idle client's error: already reported by the client's own listener.
    pool.on('error', () => undefined);
    const db = drizzlePg({ client: pool, schema }) as unknown as Db;
    await db.execute(sql`select 1`);
    return { db, kind: 'postgres', pool, close: () => pool.end() };
  }
  let client: PGlite;
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    client = await PGlite.create(join(options.dataDir, 'pglite'));
  } else {
    client = await PGlite.create();
  }
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return { db, kind: 'pglite', client, close: () => client.close() };
}

/** Round-trips one trivial query; throws when the database does not answer. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
