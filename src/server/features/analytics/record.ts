import { sql, type SQL } from 'drizzle-orm';
import { ANALYTICS_SCHEMA_VERSION, type AnalyticsEventType } from '../../../contract/analytics.js';
import type { Db } from '../../db/client.js';
import { PROJECTION_CTES, SOURCE_COLUMNS } from './projection-sql.js';

/** One analytics event as a writer records it (see the event model in src/contract/analytics.ts). */
export type NewAnalyticsEvent = {
  type: AnalyticsEventType;
  idempotencyKey: string;
  occurredAt: Date;
  draftId: string;
  userId: string | null;
  targetUserId?: string | null;
  payload?: Record<string, unknown>;
};

const COLUMNS = 'idempotency_key, schema_version, type, occurred_at, draft_id, user_id, target_user_id, payload';

/**
 * The CTEs that record `events` and keep the projections up to date, for a statement's WITH list: `a_src`
 * (the events actually written: one whose idempotency key is already recorded is skipped, and counts once)
 * followed by the projection upserts (projection-sql.ts). With `onlyIf`, a condition on the rest of the
 * statement, nothing is recorded unless it holds.
 */
export function analyticsEventsWith(events: readonly NewAnalyticsEvent[], onlyIf: SQL = sql`true`): SQL {
  const values = sql.join(
    events.map(
      (e) =>
        sql`(${e.idempotencyKey}::text, ${ANALYTICS_SCHEMA_VERSION}::smallint, ${e.type}::text, ${e.occurredAt.toISOString()}::timestamptz, ${e.draftId}::uuid, ${e.userId}::uuid, ${e.targetUserId ?? null}::uuid, ${JSON.stringify(e.payload ?? {})}::jsonb)`,
    ),
    sql`, `,
  );
  return sql`a_src as (
    insert into analytics_events (${sql.raw(COLUMNS)})
    select * from (values ${values}) as v(${sql.raw(COLUMNS)}) where ${onlyIf}
    on conflict (idempotency_key) do nothing
    returning ${sql.raw(SOURCE_COLUMNS)}
  ), ${sql.raw(PROJECTION_CTES)}`;
}

/** Records `events` and keeps the projections, as one statement answering `recorded` (how many were new). */
export function analyticsEventsInsert(events: readonly NewAnalyticsEvent[]): SQL {
  return sql`with ${analyticsEventsWith(events)} select count(*)::int as recorded from a_src`;
}

/**
 * Records `events` in the caller's transaction, the projections with them; answers how many were new. The one
 * write path for analytics events: every writer comes through here or splices `analyticsEventsWith` into the
 * statement of its change.
 */
export async function recordAnalyticsEvents(tx: Db, events: readonly NewAnalyticsEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const result = await tx.execute(analyticsEventsInsert(events));
  return Number((result as unknown as { rows: Array<{ recorded: number }> }).rows[0]?.recorded ?? 0);
}
