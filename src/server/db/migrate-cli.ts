import { loadConfig, loadEnvFileIfPresent } from '../config.js';
import { openDatabaseFromConfig } from './open.js';
import { runMigrations } from './migrate.js';

loadEnvFileIfPresent();
const config = loadConfig();
const database = await openDatabaseFromConfig(config);
try {
  await runMigrations(database);
  console.log(`migrations applied (${database.kind})`);
} finally {
  await database.close();
}
