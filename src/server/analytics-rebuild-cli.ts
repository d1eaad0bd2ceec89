import { performance } from 'node:perf_hooks';
import { loadConfig, loadEnvFileIfPresent } from './config.js';
import { runMigrations } from './db/migrate.js';
import { openDatabaseFromConfig } from './db/open.js';
import { progressReporter } from './features/analytics/progress.js';
import { rebuildProjections } from './features/analytics/rebuild.js';

// npm run analytics:rebuild — rebuilds every analytics projection from the event log (PGlite under DATA_DIR,
// or DATABASE_URL): progress on stderr, the summary on stdout.

loadEnvFileIfPresent();
const database = await openDatabaseFromConfig(loadConfig());
try {
  await runMigrations(database);
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const progress = progressReporter(process.stderr, seconds);
  const summary = await rebuildProjections(database.db, { onProgress: ({ done, total }) => progress.update(done, total) });
  progress.finish();
  const took = seconds();
  const n = (x: number) => x.toLocaleString('en-US');
  const rate = took > 0 ? `${n(Math.round(summary.events / took))} events/s` : 'instant';
  console.log(`Rebuilt the analytics projections from ${n(summary.events)} event${summary.events === 1 ? '' : 's'} in ${took.toFixed(2)} s (${rate}, ${summary.batches} batches):`);
  for (const [table, rows] of Object.entries(summary.rows)) console.log(`  ${table.padEnd(26)} ${n(rows).padStart(12)} rows`);
} finally {
  await database.close();
}
