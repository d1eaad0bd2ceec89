import { sql, type SQL } from 'drizzle-orm';
import type { Database, Db } from './client.js';

/** The same statement for a Drizzle handle: each `$n` becomes a bound parameter. */
function bound(text: string, values: unknown[]): SQL {
  const pieces = text.split(/\$(\d+)/);
  return sql.join(pieces.map((piece, i) => (i % 2 === 0 ? sql.raw(piece) : sql`${values[Number(piece) - 1]}`)));
}

/**
 * Runs a hand-written statement with positional parameters under a name, so PostgreSQL parses and plans it
 * once per connection instead of on every call. For the few statements on the hottest paths only; PGlite,
 * in-process, runs it as is. Given a transaction (`via`), it runs there through Drizzle, unnamed (Drizzle's
 * `execute` takes no statement name); the hot reads that also run inside transactions use `preparedPerDb`.
 */
export async function executePrepared<R>(database: Database, name: string, text: string, values: unknown[], via: Db = database.db): Promise<R[]> {
  if (via !== database.db) return ((await via.execute(bound(text, values))) as unknown as { rows: R[] }).rows;
  if (database.kind === 'postgres') return (await database.pool.query({ name, text, values })).rows as R[];
  return (await database.client.query<R>(text, values)).rows;
}

/**
 * Memoizes a drizzle query built with placeholders and `.prepare(name)`, once per database handle: for the
 * reads every request makes, building the SQL in drizzle cost more CPU than PostgreSQL spent running it,
 * and the name lets PostgreSQL parse and plan it once per connection. Handles are held weakly, so the ones
 * of finished transactions are collected.
 */
export function preparedPerDb<Q>(build: (db: Db) => Q): (db: Db) => Q {
  const built = new WeakMap<Db, Q>();
  return (db) => {
    let query = built.get(db);
    if (!query) {
      query = build(db);
      built.set(db, query);
    }
    return query;
  };
}
