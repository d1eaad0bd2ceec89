import { loadConfig, loadEnvFileIfPresent } from './config.js';
import { runMigrations } from './db/migrate.js';
import { openDatabaseFromConfig } from './db/open.js';
import { setRoleByEmail } from './features/users/repo.js';
import { systemClock } from './platform/clock.js';

const email = process.argv[2]?.trim();
if (!email) {
  console.error('usage: npm run admin:grant -- <email>');
  process.exit(2);
}

loadEnvFileIfPresent();
const database = await openDatabaseFromConfig(loadConfig());
try {
  await runMigrations(database);
  const found = await setRoleByEmail(database.db, email, 'admin', systemClock.now());
  if (!found) {
    console.error('No account has this email.');
    process.exitCode = 1;
  } else {
    console.log('The account is now an admin.');
  }
} finally {
  await database.close();
}
