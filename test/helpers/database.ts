import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
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
  const name = `onering_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 20 });
  await runMigrations(database);
  return {
    database,
    url: url.toString(),
    truncate: () => truncateAll(database),
    async destroy() {
      await database.close();
      const cleanup = new pg.Client({ connectionString: baseUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

async function truncateAll(database: Database): Promise<void> {
  const result = await database.db.execute(
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  const tables = (result as unknown as { rows: Array<{ table_name: string }> }).rows.map((r) => `"${r.table_name}"`);
  if (tables.length > 0) await database.db.execute(sql.raw(`truncate ${tables.join(', ')} cascade`));
}
