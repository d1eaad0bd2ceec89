import { sql, type SQL } from 'drizzle-orm';
import { ANALYTICS_SCHEMA_VERSION } from '../../../contract/analytics.js';
import type { Db } from '../../db/client.js';
import type { ArchetypeSignals } from './archetype.js';
import { UnknownSchemaVersionError } from '../analytics/reducers.js';
import type { DaySegments } from './momentum.js';
import type { DraftsState } from './today.js';

async function rowsOf<R>(db: Db, query: SQL): Promise<R[]> {
  return ((await db.execute(query)) as unknown as { rows: R[] }).rows;
}

/** The lowest schema version other than ours among the rows read, for the reader to refuse. */
const foreignVersion = sql`min(schema_version) filter (where schema_version <> ${ANALYTICS_SCHEMA_VERSION})`;

function refuseForeign(version: number | string | null | undefined): void {
  if (version !== null && version !== undefined) throw new UnknownSchemaVersionError(Number(version));
}

/**
 * The user's segments per UTC day up to `now`, oldest first: one range of the (user_id, type, occurred_at)
 * index, grouped in SQL, so the answer is one row per day the user wrote whatever the event log's size.
 */
export function segmentDaysQuery(userId: string, now: Date): SQL {
  return sql`select to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD') as date, count(*)::int as segments, ${foreignVersion} as foreign_version
    from analytics_events
    where user_id = ${userId} and type = 'SegmentAdded' and occurred_at <= ${now.toISOString()}::timestamptz
    group by 1 order by 1`;
}

export async function segmentDays(db: Db, userId: string, now: Date): Promise<DaySegments[]> {
  const rows = await rowsOf<{ date: string; segments: number; foreign_version: number | null }>(db, segmentDaysQuery(userId, now));
  for (const row of rows) refuseForeign(row.foreign_version);
  return rows.map((row) => ({ date: row.date, segments: Number(row.segments) }));
}

/**
 * A `payload.length` as the archetype reducer counts it: a whole number up to MAX_SEGMENT_LENGTH (nine
 * digits), else 0. Nested cases, because SQL does not promise to test `and`'s operands in order.
 */
const segmentLength = sql`case when jsonb_typeof(payload->'length') = 'number'
    then case when (payload->>'length') ~ '^[0-9]{1,9}([.]0*)?$' then (payload->>'length')::numeric::bigint else 0 end
    else 0 end`;

/** The archetype's signals up to `now`, aggregated in SQL over the user's part of the index (four types). */
export function archetypeSignalsQuery(userId: string, now: Date): SQL {
  return sql`select
      count(*) filter (where type = 'SegmentAdded')::int as segments_written,
      coalesce(sum(${segmentLength}) filter (where type = 'SegmentAdded'), 0)::bigint as segment_characters,
      count(*) filter (where type = 'SegmentEdited')::int as segments_edited,
      count(*) filter (where type = 'DraftCreated')::int as drafts_created,
      count(distinct draft_id) filter (where type = 'SegmentAdded')::int as drafts_contributed,
      count(*) filter (where type = 'RingPassed' and payload->>'kind' = 'pass')::int as ring_passes_made,
      ${foreignVersion} as foreign_version
    from analytics_events
    where user_id = ${userId} and type in ('SegmentAdded', 'SegmentEdited', 'DraftCreated', 'RingPassed')
      and occurred_at <= ${now.toISOString()}::timestamptz`;
}

type SignalsRow = {
  segments_written: number;
  segment_characters: number | string;
  segments_edited: number;
  drafts_created: number;
  drafts_contributed: number;
  ring_passes_made: number;
  foreign_version: number | null;
};

export async function archetypeSignals(db: Db, userId: string, now: Date): Promise<ArchetypeSignals> {
  const [row] = await rowsOf<SignalsRow>(db, archetypeSignalsQuery(userId, now));
  refuseForeign(row?.foreign_version);
  return {
    segmentsWritten: Number(row?.segments_written ?? 0),
    segmentCharacters: Number(row?.segment_characters ?? 0),
    segmentsEdited: Number(row?.segments_edited ?? 0),
    draftsCreated: Number(row?.drafts_created ?? 0),
    draftsContributed: Number(row?.drafts_contributed ?? 0),
    ringPassesMade: Number(row?.ring_passes_made ?? 0),
  };
}

/** The user's most recently active draft in progress where they hold the ring, shared with someone or not. */
function turnDraft(userId: string, shared: boolean): SQL {
  const company = sql`exists (select 1 from draft_members o where o.draft_id = d.id and o.user_id <> ${userId})`;
  return sql`(select d.id from draft_members m join drafts d on d.id = m.draft_id
    where m.user_id = ${userId} and d.ring_holder_id = ${userId} and d.status = 'draft' and ${shared ? company : sql`not ${company}`}
    order by d.last_activity_at desc, d.id desc limit 1)`;
}

/** Where the user stands with their drafts (today's state: drafts are not kept as of a past `now`). */
export async function draftsState(db: Db, userId: string): Promise<DraftsState> {
  const [row] = await rowsOf<{ shared: string | null; solo: string | null; has_drafts: boolean; in_progress: boolean }>(
    db,
    sql`select ${turnDraft(userId, true)} as shared, ${turnDraft(userId, false)} as solo,
      exists (select 1 from draft_members m where m.user_id = ${userId}) as has_drafts,
      exists (select 1 from draft_members m join drafts d on d.id = m.draft_id where m.user_id = ${userId} and d.status = 'draft') as in_progress`,
  );
  return {
    sharedTurnDraftId: row?.shared ?? null,
    soloTurnDraftId: row?.solo ?? null,
    hasDrafts: row?.has_drafts === true,
    hasDraftInProgress: row?.in_progress === true,
  };
}
