import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { expect } from 'vitest';
import { openDatabase, type Database } from '../../src/server/db/client.js';
import { runMigrations } from '../../src/server/db/migrate.js';

/** A migrated database for one test file: a fresh PostgreSQL database when DATABASE_URL is set, else in-memory PGlite. */
export type TestDatabase = { database: Database; url: string | null; truncate(): Promise<void>; destroy(): Promise<void> };

export async function createTestDatabase(): Promise<TestDatabase> {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) {
    const database = await openDatabase({ kind: 'pglite', dataDir: null });
    await runMigrations(database);
    return { database, url: null, truncate: () => truncateAll(database), destroy: () => database.close() };
  }
  const empty = await createEmptyPostgresDatabase(baseUrl);
  const database = await openDatabase({ kind: 'postgres', url: empty.url, poolSize: 20 });
  await runMigrations(database);
  return {
    database,
    url: empty.url,
    truncate: () => truncateAll(database),
    async destroy() {
      await database.close();
      await empty.drop();
    },
  };
}

/** A new, empty PostgreSQL database beside the one `baseUrl` names, for a process that migrates it itself. */
export async function createEmptyPostgresDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `onering_test_${randomBytes(6).toString('hex')}`;
  await onAdminConnection(baseUrl, (admin) => admin.query(`create database ${name}`));
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onAdminConnection(baseUrl, (admin) => admin.query(`drop database if exists ${name} with (force)`)),
  };
}

async function onAdminConnection(baseUrl: string, work: (admin: pg.Client) => Promise<unknown>): Promise<void> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await work(admin);
  } finally {
    await admin.end();
  }
}

/** The plan catalogue is seeded by a migration: kept, with its enforcement switched back on. */
const SEEDED_TABLES = new Set(['plans', 'plan_entitlements', 'ai_prices', 'ai_budgets']);

async function truncateAll(database: Database): Promise<void> {
  const result = await database.db.execute(
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  const tables = (result as unknown as { rows: Array<{ table_name: string }> }).rows
    .filter((r) => !SEEDED_TABLES.has(r.table_name))
    .map((r) => `"${r.table_name}"`);
  // The audit log refuses TRUNCATE too (migration 0009); only the test reset lifts that, for its own statement.
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_log disable trigger audit_log_no_truncate`);
    if (tables.length > 0) await tx.execute(sql.raw(`truncate ${tables.join(', ')}`));
    await tx.execute(sql`alter table audit_log enable trigger audit_log_no_truncate`);
  });
  await database.db.execute(sql`update plans set enforcement_enabled = true`);
}

/** Waits until `n` statements of this database wait for a lock (failing, not hanging, if they never do). */
export async function waitForLockWaiters(client: pg.Client, n = 1): Promise<void> {
  const waiting = async () => {
    // Inside a transaction the activity view is read once; forget that copy to see the waiters arrive.
    await client.query('select pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ waiting: number }>(
      `select count(*)::int as waiting from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
    );
    return rows[0]!.waiting;
  };
  await expect.poll(waiting, { timeout: 30_000, interval: 20 }).toBeGreaterThanOrEqual(n);
}
