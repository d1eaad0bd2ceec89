import type { Config } from '../config.js';
import { openDatabase, type Database } from './client.js';

/** PostgreSQL when DATABASE_URL is set, else embedded PGlite under DATA_DIR. */
export function openDatabaseFromConfig(config: Config, onConnectionError?: (error: Error) => void): Promise<Database> {
  return config.databaseUrl
    ? openDatabase({ kind: 'postgres', url: config.databaseUrl, poolSize: config.databasePoolSize, ...(onConnectionError ? { onConnectionError } : {}) })
    : openDatabase({ kind: 'pglite', dataDir: config.dataDir });
}
