import { sql } from 'drizzle-orm';
import { ANALYTICS_SCHEMA_VERSION } from '../../../contract/analytics.js';
import type { Db } from '../../db/client.js';
import { PROJECTION_CTES, SOURCE_COLUMNS } from './projection-sql.js';
import { UnknownSchemaVersionError } from './reducers.js';

/** The read models rebuilt from the log, and what each one holds afterwards. */
export const PROJECTION_TABLES = ['analytics_user_days', 'analytics_draft_people', 'analytics_view_marks'] as const;
export type ProjectionTable = (typeof PROJECTION_TABLES)[number];

export type RebuildProgress = { done: number; total: number };
export type RebuildSummary = { events: number; batches: number; rows: Record<ProjectionTable, number> };

export const DEFAULT_REBUILD_BATCH = 100_000;

type Rows<T> = { rows: T[] };

/**
 * Rebuilds every projection from analytics_events, in batches of the log in recording order, each folded by
 * the same SQL as the live path (projection-sql.ts). One transaction: a SHARE lock on the log makes writers
 * wait meanwhile, so no event is missed or counted twice, and the emptied tables keep readers waiting until
 * the new ones are complete (a few seconds per million events). An event of an unknown schema version
 * refuses the whole rebuild and changes nothing.
 */
export async function rebuildProjections(
  db: Db,
  options: { batchSize?: number; onProgress?: (progress: RebuildProgress) => void } = {},
): Promise<RebuildSummary> {
  const batchSize = options.batchSize ?? DEFAULT_REBUILD_BATCH;
  return db.transaction(async (tx) => {
    await tx.execute(sql`lock table analytics_events in share mode`);
    // A batch's sorts and aggregates fit in memory instead of spilling to disk (this transaction only).
    await tx.execute(sql`set local work_mem = '256MB'`);
    await tx.execute(sql.raw(`truncate ${PROJECTION_TABLES.join(', ')}`));
    const span = (await tx.execute(sql`select coalesce(min(id), 1) as lo, coalesce(max(id), 0) as hi, count(*)::int as total from analytics_events`)) as unknown as Rows<{
      lo: string | number;
      hi: string | number;
      total: number;
    }>;
    const { lo, hi, total } = span.rows[0]!;
    let done = 0;
    let batches = 0;
    options.onProgress?.({ done, total });
    for (let from = Number(lo) - 1; from < Number(hi); from += batchSize) {
      const batch = (await tx.execute(sql`
        with a_src as (
          select ${sql.raw(SOURCE_COLUMNS)}, schema_version from analytics_events where id > ${from} and id <= ${from + batchSize}
        ), ${sql.raw(PROJECTION_CTES)}
        select count(*)::int as n, min(schema_version) as low, max(schema_version) as high from a_src`)) as unknown as Rows<{ n: number; low: number | null; high: number | null }>;
      const { n, low, high } = batch.rows[0]!;
      for (const version of [low, high]) if (version !== null && Number(version) !== ANALYTICS_SCHEMA_VERSION) throw new UnknownSchemaVersionError(Number(version));
      done += n;
      batches++;
      options.onProgress?.({ done, total });
    }
    await tx.execute(sql`insert into analytics_view_marks (draft_id, user_id, last_viewed_at)
      select draft_id, user_id, max(occurred_at) from analytics_events where type = 'DraftViewed' and user_id is not null group by draft_id, user_id`);
    const rows = {} as Record<ProjectionTable, number>;
    for (const table of PROJECTION_TABLES) {
      const result = (await tx.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as Rows<{ n: number }>;
      rows[table] = result.rows[0]!.n;
    }
    return { events: done, batches, rows };
  });
}
