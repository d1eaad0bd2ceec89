import type { Database } from './client.js';

/**
 * Runs a hand-written statement with positional parameters under a name, so PostgreSQL parses and plans it
 * once per connection instead of on every call. For the few statements on the hottest paths only; PGlite,
 * in-process, runs it as is.
 */
export async function executePrepared<R>(database: Database, name: string, text: string, values: unknown[]): Promise<R[]> {
  if (database.kind === 'postgres') return (await database.pool.query({ name, text, values })).rows as R[];
  return (await database.client.query<R>(text, values)).rows;
}
