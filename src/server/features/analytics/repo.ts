import type { LeaderboardMetric, LeaderboardWindow } from '../../../contract/analytics.js';
import type { Database } from '../../db/client.js';
import { executePrepared } from '../../db/prepared.js';
import { DAY_MS, dayStart, METRIC_WEIGHTS, windowStart, type DraftCounts, type ScoreCounts, type UserCounts, type UserWindowCounts } from './model.js';
import { ACTIVITY_LIST, HOLD_MS } from './projection-sql.js';

// Reads of the projections as of `now`, each one prepared statement (planned once per connection: planning
// cost more than running them). The tables count every recorded event; what was recorded with a time after
// `now` (usually nothing) is found through the event table's time indexes and taken off again, so a read
// never scans the event log and answers any `now` exactly as the reducers do.

const SCORE_COLUMNS: Record<keyof ScoreCounts, string> = {
  segments: 'segments',
  ringsHeld: 'rings_held',
  draftsCreated: 'drafts_created',
  draftsContributed: 'drafts_contributed',
};

/** A metric's score as SQL over the columns above, from the same weights as `scoreOf`. */
function scoreSql(metric: LeaderboardMetric): string {
  return Object.entries(METRIC_WEIGHTS[metric])
    .map(([key, weight]) => `${weight} * ${SCORE_COLUMNS[key as keyof ScoreCounts]}`)
    .join(' + ');
}

/** Per user: the day buckets from $3 to $4 (UTC dates), or everything recorded. */
const WINDOW_BASE = `select user_id, sum(segments) as segments, sum(rings_held) as rings_held, sum(drafts_created) as drafts_created,
    sum(drafts_contributed) as drafts_contributed
  from analytics_user_days where day between $3::date and $4::date group by user_id`;
const ALL_BASE = `select user_id, segments, rings_held, drafts_created, drafts_contributed from analytics_user_days where day = 'infinity'`;

/**
 * The leaderboard's counts less what was recorded after $1 (`now`) and before $2 (the end of its day for a
 * window, infinity for `all`), score > 0, score desc then user id asc, the first 10.
 */
function leaderboardSql(metric: LeaderboardMetric, base: string): string {
  const score = scoreSql(metric);
  return `
    with base as (${base}), late as (
      select user_id, sum(segments) as segments, sum(rings_held) as rings_held, sum(drafts_created) as drafts_created,
        sum(drafts_contributed) as drafts_contributed
      from (
        select user_id, (type = 'SegmentAdded')::int as segments, 0 as rings_held, (type = 'DraftCreated')::int as drafts_created, 0 as drafts_contributed
        from analytics_events
        where occurred_at > $1::timestamptz and occurred_at < $2::timestamptz and type in ('SegmentAdded', 'DraftCreated') and user_id is not null
        union all
        select target_user_id, 0, 1, 0, 0 from analytics_events
        where occurred_at > $1::timestamptz and occurred_at < $2::timestamptz and type = 'RingPassed' and target_user_id is not null
        union all
        select user_id, 0, 0, 0, 1 from analytics_draft_people
        where first_segment_at > $1::timestamptz and first_segment_at < $2::timestamptz and user_id is not null
      ) x
      group by user_id
    ), net as (
      select b.user_id, (b.segments - coalesce(l.segments, 0))::int as segments, (b.rings_held - coalesce(l.rings_held, 0))::int as rings_held,
        (b.drafts_created - coalesce(l.drafts_created, 0))::int as drafts_created,
        (b.drafts_contributed - coalesce(l.drafts_contributed, 0))::int as drafts_contributed
      from base b left join late l on l.user_id = b.user_id
    )
    select user_id, segments, rings_held, drafts_created, drafts_contributed from net
    where ${score} > 0
    order by ${score} desc, user_id
    limit 10`;
}

const isoDay = (at: Date) => at.toISOString().slice(0, 10);

type CountRow = { user_id: string; segments: number; rings_held: number; drafts_created: number; drafts_contributed: number };

/**
 * The top of a leaderboard as counts per user: the window's day buckets (or the all-time totals) less what
 * came after `now`; `leaderboardModel` finishes it exactly as it finishes the reducer's counts.
 */
export async function leaderboardCounts(database: Database, metric: LeaderboardMetric, window: LeaderboardWindow, now: Date): Promise<UserWindowCounts[]> {
  const from = windowStart(window, now);
  const shape = from ? 'window' : 'all';
  const text = leaderboardSql(metric, from ? WINDOW_BASE : ALL_BASE);
  const until = from ? new Date(dayStart(now).getTime() + DAY_MS).toISOString() : 'infinity';
  const values = from ? [now.toISOString(), until, isoDay(from), isoDay(now)] : [now.toISOString(), until];
  const rows = await executePrepared<CountRow>(database, `analytics_leaderboard_${metric}_${shape}`, text, values);
  return rows.map((r) => ({
    userId: r.user_id,
    segments: Number(r.segments),
    ringsHeld: Number(r.rings_held),
    draftsCreated: Number(r.drafts_created),
    draftsContributed: Number(r.drafts_contributed),
  }));
}

const DRAFT_SQL = `
  select
    (select coalesce(json_agg(r), '[]'::json) from (
      select user_id, views, shares, segments_added, segments_deleted, edits, ring_passes,
        (extract(epoch from last_activity_at) * 1000)::float8 as last_activity_at, (extract(epoch from first_segment_at) * 1000)::float8 as first_segment_at
      from analytics_draft_people where draft_id = $1::uuid
    ) r) as people,
    (select coalesce(json_agg(l), '[]'::json) from (
      select type, user_id, count(*)::int as n from analytics_events
      where draft_id = $1::uuid and occurred_at > $2::timestamptz group by type, user_id
    ) l) as late,
    (select case when max(last_activity_at) > $2::timestamptz then (
      select (extract(epoch from max(occurred_at)) * 1000)::float8 from analytics_events
      where draft_id = $1::uuid and occurred_at <= $2::timestamptz and type in (${ACTIVITY_LIST})
    ) end from analytics_draft_people where draft_id = $1::uuid) as earlier_activity`;

type Person = {
  user_id: string | null;
  views: number;
  shares: number;
  segments_added: number;
  segments_deleted: number;
  edits: number;
  ring_passes: number;
  last_activity_at: number | null;
  first_segment_at: number | null;
};
type DraftRow = {
  people: Person[];
  late: Array<{ type: string; user_id: string | null; n: number }>;
  /** When the people's last activity is after `now`: the last activity at or before it, from the log (ms). */
  earlier_activity: number | null;
};

const toDate = (value: string | Date | null | undefined) => (value === null || value === undefined ? null : new Date(value));

/** A draft's counts as of `now`, in one round trip: its people's rows, less what came after `now`. */
export async function draftCounts(database: Database, draftId: string, now: Date): Promise<DraftCounts> {
  const [row] = await executePrepared<DraftRow>(database, 'analytics_draft', DRAFT_SQL, [draftId, now.toISOString()]);
  const { people, late, earlier_activity: earlier } = row!;
  const sum = (pick: (p: Person) => number) => people.reduce((total, p) => total + pick(p), 0);
  const latest = people.reduce((max, p) => Math.max(max, p.last_activity_at ?? -Infinity), -Infinity);
  const counts: DraftCounts = {
    views: sum((p) => p.views),
    shares: sum((p) => p.shares),
    segmentsAdded: sum((p) => p.segments_added),
    segmentsDeleted: sum((p) => p.segments_deleted),
    edits: sum((p) => p.edits),
    ringPasses: sum((p) => p.ring_passes),
    contributors: people.flatMap((p) =>
      p.user_id !== null && p.first_segment_at !== null && p.first_segment_at <= now.getTime()
        ? [{ userId: p.user_id, firstAt: p.first_segment_at, segments: p.segments_added }]
        : [],
    ),
    lastActivityAt: latest > now.getTime() ? (earlier === null ? null : new Date(earlier)) : latest === -Infinity ? null : new Date(latest),
  };
  const byUser = new Map(counts.contributors.map((c) => [c.userId, c]));
  for (const { type, user_id: userId, n } of late) {
    if (type === 'DraftViewed') counts.views -= n;
    else if (type === 'DraftShared') counts.shares -= n;
    else if (type === 'SegmentDeleted') counts.segmentsDeleted -= n;
    else if (type === 'SegmentEdited') counts.edits -= n;
    else if (type === 'RingPassed') counts.ringPasses -= n;
    else if (type === 'SegmentAdded') {
      counts.segmentsAdded -= n;
      const contributor = userId === null ? undefined : byUser.get(userId);
      if (contributor) contributor.segments -= n;
    }
  }
  return counts;
}

const HOLD_ROW = `type = 'RingPassed' and payload->>'heldSince' is not null`;

const USER_SQL = `
  with totals as (select * from analytics_user_days where user_id = $1::uuid and day = 'infinity')
  select
    (select row_to_json(t) from (
      select drafts_created, drafts_contributed, segments, segments_edited, rings_held, rings_passed, hold_ms, holds from totals
    ) t) as totals,
    (select coalesce(json_agg(l), '[]'::json) from (
      select type, count(*)::int as n, coalesce(sum(case when ${HOLD_ROW} then ${HOLD_MS} end), 0)::float8 as hold_ms,
        count(*) filter (where ${HOLD_ROW})::int as holds
      from analytics_events
      where user_id = $1::uuid and type in (${ACTIVITY_LIST}) and occurred_at > $2::timestamptz
      group by type
    ) l) as late,
    (select count(*)::int from analytics_events where target_user_id = $1::uuid and type = 'RingPassed' and occurred_at > $2::timestamptz) as late_held,
    (select count(*)::int from analytics_draft_people where user_id = $1::uuid and first_segment_at > $2::timestamptz) as late_contributed,
    (select case when last_active_at <= $2::timestamptz then last_active_at else (
      select max(occurred_at) from analytics_events
      where user_id = $1::uuid and type in (${ACTIVITY_LIST}) and occurred_at <= $2::timestamptz
    ) end from totals) as last_active`;

type UserRow = {
  totals: {
    drafts_created: number;
    drafts_contributed: number;
    segments: number;
    segments_edited: number;
    rings_held: number;
    rings_passed: number;
    hold_ms: number;
    holds: number;
  } | null;
  late: Array<{ type: string; n: number; hold_ms: number; holds: number }>;
  late_held: number;
  late_contributed: number;
  last_active: string | Date | null;
};

/** A user's counts as of `now`, in one round trip: their totals less what they did (or received) after `now`. */
export async function userCounts(database: Database, userId: string, now: Date): Promise<UserCounts> {
  const [row] = await executePrepared<UserRow>(database, 'analytics_user', USER_SQL, [userId, now.toISOString()]);
  const t = row!.totals;
  const counts: UserCounts = {
    draftsCreated: t?.drafts_created ?? 0,
    draftsContributed: (t?.drafts_contributed ?? 0) - Number(row!.late_contributed),
    segmentsWritten: t?.segments ?? 0,
    segmentsEdited: t?.segments_edited ?? 0,
    ringsHeld: (t?.rings_held ?? 0) - Number(row!.late_held),
    ringsPassed: t?.rings_passed ?? 0,
    holdMs: Number(t?.hold_ms ?? 0),
    holds: t?.holds ?? 0,
    lastActiveAt: toDate(row!.last_active),
  };
  for (const { type, n, hold_ms: holdMs, holds } of row!.late) {
    if (type === 'DraftCreated') counts.draftsCreated -= n;
    else if (type === 'SegmentAdded') counts.segmentsWritten -= n;
    else if (type === 'SegmentEdited') counts.segmentsEdited -= n;
    else if (type === 'RingPassed') {
      counts.ringsPassed -= n;
      counts.holdMs -= Number(holdMs);
      counts.holds -= holds;
    }
  }
  return counts;
}
