import { ACTIVITY_TYPES } from './model.js';

/**
 * The projections' upkeep as SQL text: data-modifying CTEs that fold the analytics events of a relation named
 * `a_src` (columns type, occurred_at, draft_id, user_id, target_user_id, payload) into the read-model tables.
 * The one definition of what each table counts: the statement that records events (`a_src` = the rows its
 * INSERT … ON CONFLICT DO NOTHING actually wrote, so a repeated idempotency key counts once), the prepared
 * append statement and the rebuild (`a_src` = a batch of the log) all splice in this same text.
 *
 * Every write is an upsert that adds deltas under the target row's lock, never a read of the snapshot and a
 * write back, so concurrent statements (which PostgreSQL may start before the draft lock they then wait for)
 * cannot lose or double an update. Each table is written by one CTE only (a row may not be changed twice in
 * one statement), its rows in one fixed order so concurrent statements lock them in the same order (the day
 * buckets by day first: a rebuild then lays each day's rows side by side, as live writes do, for the window
 * reads). Every user-day delta is also summed per user (a second grouping set) onto the user's `infinity`
 * row, which so holds the all-time totals.
 * Two upserts per change: each CTE costs the executor more than the row it writes.
 *
 * Plain text without parameters and without `:name` (pgbench reads those as variables), so it fits a
 * prepared statement as well as a Drizzle query.
 */

/** The activity types as an SQL list. */
export const ACTIVITY_LIST = ACTIVITY_TYPES.map((t) => `'${t}'`).join(', ');
const DAY = (column: string) => `(${column} at time zone 'UTC')::date`;
/** Whole milliseconds the passer of a RingPassed held the ring (never negative). */
export const HOLD_MS = `greatest(0, floor(extract(epoch from (occurred_at - (payload->>'heldSince')::timestamptz)) * 1000))::bigint`;

export const PROJECTION_CTES = `
a_people as (
  insert into analytics_draft_people as p (draft_id, user_id, views, shares, segments_added, segments_deleted, edits, ring_passes, last_activity_at, first_segment_at)
  select draft_id, user_id, count(*) filter (where type = 'DraftViewed'), count(*) filter (where type = 'DraftShared'),
    count(*) filter (where type = 'SegmentAdded'), count(*) filter (where type = 'SegmentDeleted'),
    count(*) filter (where type = 'SegmentEdited'), count(*) filter (where type = 'RingPassed'),
    max(occurred_at) filter (where type in (${ACTIVITY_LIST})), min(occurred_at) filter (where type = 'SegmentAdded')
  from a_src
  group by draft_id, user_id
  order by draft_id, user_id
  on conflict (draft_id, user_id) do update set
    views = p.views + excluded.views,
    shares = p.shares + excluded.shares,
    segments_added = p.segments_added + excluded.segments_added,
    segments_deleted = p.segments_deleted + excluded.segments_deleted,
    edits = p.edits + excluded.edits,
    ring_passes = p.ring_passes + excluded.ring_passes,
    last_activity_at = greatest(p.last_activity_at, excluded.last_activity_at),
    first_segment_at = least(p.first_segment_at, excluded.first_segment_at),
    previous_first_segment_at = p.first_segment_at
  returning user_id, first_segment_at, previous_first_segment_at
), a_days as (
  insert into analytics_user_days as d (user_id, day, segments, segments_edited, rings_held, rings_passed, drafts_created, drafts_contributed, hold_ms, holds, last_active_at)
  select x.user_id, coalesce(x.day, 'infinity'::date), sum(x.segments), sum(x.segments_edited), sum(x.rings_held), sum(x.rings_passed),
    sum(x.drafts_created), sum(x.drafts_contributed), coalesce(sum(x.hold_ms), 0), count(x.hold_ms), max(x.active_at)
  from (
    select user_id, ${DAY('occurred_at')} as day, (type = 'SegmentAdded')::int as segments, (type = 'SegmentEdited')::int as segments_edited,
      0 as rings_held, (type = 'RingPassed')::int as rings_passed, (type = 'DraftCreated')::int as drafts_created, 0 as drafts_contributed,
      case when type = 'RingPassed' and payload->>'heldSince' is not null then ${HOLD_MS} end as hold_ms, occurred_at as active_at
    from a_src where user_id is not null and type in (${ACTIVITY_LIST})
    union all
    select target_user_id, ${DAY('occurred_at')}, 0, 0, 1, 0, 0, 0, null, null from a_src where type = 'RingPassed' and target_user_id is not null
    union all
    select user_id, ${DAY('first_segment_at')}, 0, 0, 0, 0, 0, 1, null, null from a_people where user_id is not null and first_segment_at is not null
    union all
    select user_id, ${DAY('previous_first_segment_at')}, 0, 0, 0, 0, 0, -1, null, null
    from a_people where user_id is not null and previous_first_segment_at is not null
  ) x
  group by grouping sets ((x.day, x.user_id), (x.user_id))
  having sum(x.segments) <> 0 or sum(x.segments_edited) <> 0 or sum(x.rings_held) <> 0 or sum(x.rings_passed) <> 0
    or sum(x.drafts_created) <> 0 or sum(x.drafts_contributed) <> 0 or count(x.hold_ms) <> 0 or max(x.active_at) is not null
  order by 2, 1
  on conflict (user_id, day) do update set
    segments = d.segments + excluded.segments,
    segments_edited = d.segments_edited + excluded.segments_edited,
    rings_held = d.rings_held + excluded.rings_held,
    rings_passed = d.rings_passed + excluded.rings_passed,
    drafts_created = d.drafts_created + excluded.drafts_created,
    drafts_contributed = d.drafts_contributed + excluded.drafts_contributed,
    hold_ms = d.hold_ms + excluded.hold_ms,
    holds = d.holds + excluded.holds,
    last_active_at = greatest(d.last_active_at, excluded.last_active_at)
)`;

/** The columns `a_src` must have, in the order the recording INSERT returns them. */
export const SOURCE_COLUMNS = 'type, occurred_at, draft_id, user_id, target_user_id, payload';
