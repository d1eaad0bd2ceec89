import { loadConfig } from '../config.js';
import { openDatabaseFromConfig } from './open.js';
import { runMigrations } from './migrate.js';

const config = loadConfig();
const database = await openDatabaseFromConfig(config);
try {
  await runMigrations(database);
  console.log(`migrations applied (${database.kind})`);
} finally {
  await database.close();
}
