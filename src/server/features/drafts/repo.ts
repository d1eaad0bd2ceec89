import { and, asc, desc, eq, gt, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Database, Db } from '../../db/client.js';
import { executePrepared, preparedPerDb } from '../../db/prepared.js';
import {
  draftMembers,
  drafts,
  ringPasses,
  segments,
  users,
  type DraftMemberRow,
  type DraftRow,
  type SegmentRow,
} from '../../db/schema/index.js';
import { ANALYTICS_SCHEMA_VERSION } from '../../../contract/analytics.js';
import type { RingMoveKind } from '../../../contract/drafts.js';
import { PROJECTION_CTES, SOURCE_COLUMNS } from '../analytics/projection-sql.js';
import type { KeysetCursor } from '../../platform/cursor.js';

export async function insertDraft(db: Db, row: DraftRow): Promise<void> {
  await db.insert(drafts).values(row);
}

type RawDraftRow = {
  id: string;
  title: string;
  platform: string;
  status: string;
  owner_id: string;
  ring_holder_id: string;
  segment_count: number;
  last_server_seq: number;
  created_at: string | Date;
  updated_at: string | Date;
  last_activity_at: string | Date;
  role: string | null;
};

/**
 * Loads a draft with the user's role in it (null when not a member) and locks the draft row until the
 * transaction ends: every change to a draft starts here. One round trip, as it runs for every append.
 */
export async function lockDraftFor(tx: Db, draftId: string, userId: string): Promise<{ draft: DraftRow; role: string | null } | undefined> {
  const result = await tx.execute(sql`
    select d.*, m.role from drafts d
    left join draft_members m on m.draft_id = d.id and m.user_id = ${userId}
    where d.id = ${draftId}
    for update of d`);
  const row = (result as unknown as { rows: RawDraftRow[] }).rows[0];
  if (!row) return undefined;
  return {
    role: row.role,
    draft: {
      id: row.id,
      title: row.title,
      platform: row.platform,
      status: row.status,
      ownerId: row.owner_id,
      ringHolderId: row.ring_holder_id,
      segmentCount: Number(row.segment_count),
      lastServerSeq: Number(row.last_server_seq),
      createdAt: new Date(row.created_at),
      updatedAt: new Date(row.updated_at),
      lastActivityAt: new Date(row.last_activity_at),
    },
  };
}

/** Loads a draft and locks its row until the transaction ends (for changes by people not yet on it). */
export async function lockDraft(tx: Db, id: string): Promise<DraftRow | undefined> {
  const [row] = await tx.select().from(drafts).where(eq(drafts.id, id)).for('update');
  return row;
}

// Every read of a draft (and the live channel) starts with these two: prepared, like find_principal.
const draftQuery = preparedPerDb((db) => db.select().from(drafts).where(eq(drafts.id, sql.placeholder('id'))).prepare('find_draft'));
const memberQuery = preparedPerDb((db) =>
  db
    .select()
    .from(draftMembers)
    .where(and(eq(draftMembers.draftId, sql.placeholder('draftId')), eq(draftMembers.userId, sql.placeholder('userId'))))
    .prepare('find_member'),
);

export async function findDraft(db: Db, id: string): Promise<DraftRow | undefined> {
  const [row] = await draftQuery(db).execute({ id });
  return row;
}

export async function updateDraft(tx: Db, id: string, changes: Partial<DraftRow>): Promise<void> {
  await tx.update(drafts).set(changes).where(eq(drafts.id, id));
}

export async function findMember(db: Db, draftId: string, userId: string): Promise<DraftMemberRow | undefined> {
  const [row] = await memberQuery(db).execute({ draftId, userId });
  return row;
}

/** Ids of every draft the user owns or collaborates on. */
export async function listMemberDraftIds(db: Db, userId: string): Promise<string[]> {
  const rows = await db.select({ draftId: draftMembers.draftId }).from(draftMembers).where(eq(draftMembers.userId, userId));
  return rows.map((r) => r.draftId);
}

export async function insertMember(tx: Db, row: DraftMemberRow): Promise<void> {
  await tx.insert(draftMembers).values(row);
}

/** Why `addAcquaintance` did or did not add the person. */
export type AddOutcome =
  | { outcome: 'added'; displayName: string | null }
  | { outcome: 'already_member' | 'not_acquainted' };

/**
 * Adds a user to a (locked) draft as a collaborator, in one statement that decides too: only someone who
 * already shares another draft with `actorId` is added. An unknown id answers `not_acquainted` like a
 * stranger, so the caller cannot tell them apart.
 */
export async function addAcquaintance(tx: Db, input: { draftId: string; actorId: string; userId: string; now: Date }): Promise<AddOutcome> {
  const result = await tx.execute(sql`
    with already as (
      select 1 from draft_members where draft_id = ${input.draftId} and user_id = ${input.userId}
    ), acquainted as (
      select 1 from draft_members mine
      join draft_members theirs on theirs.draft_id = mine.draft_id and theirs.user_id = ${input.userId}
      where mine.user_id = ${input.actorId}
      limit 1
    ), added as (
      insert into draft_members (draft_id, user_id, role, joined_at)
      select ${input.draftId}, ${input.userId}, 'collaborator', ${input.now.toISOString()}
      where exists (select 1 from acquainted) and not exists (select 1 from already)
      returning user_id
    )
    select case
        when exists (select 1 from already) then 'already_member'
        when exists (select 1 from added) then 'added'
        else 'not_acquainted'
      end as outcome,
      (select display_name from users where id = ${input.userId}) as display_name`);
  const row = (result as unknown as { rows: Array<{ outcome: AddOutcome['outcome']; display_name: string | null }> }).rows[0]!;
  return row.outcome === 'added' ? { outcome: 'added', displayName: row.display_name } : { outcome: row.outcome };
}

export async function deleteMember(tx: Db, draftId: string, userId: string): Promise<void> {
  await tx.delete(draftMembers).where(and(eq(draftMembers.draftId, draftId), eq(draftMembers.userId, userId)));
}

export type MemberView = DraftMemberRow & { displayName: string | null };

/** Members of these drafts with their chosen names, owner first, then by joining time. */
export async function listMembers(db: Db, draftIds: string[]): Promise<MemberView[]> {
  if (draftIds.length === 0) return [];
  return db
    .select({
      draftId: draftMembers.draftId,
      userId: draftMembers.userId,
      role: draftMembers.role,
      joinedAt: draftMembers.joinedAt,
      displayName: users.displayName,
    })
    .from(draftMembers)
    .innerJoin(users, eq(users.id, draftMembers.userId))
    .where(inArray(draftMembers.draftId, draftIds))
    .orderBy(asc(draftMembers.draftId), desc(draftMembers.role), asc(draftMembers.joinedAt), asc(draftMembers.userId));
}

export type SegmentView = SegmentRow & { authorName: string | null };

/** A segment's columns with its author's chosen name (join `users` on the author). */
export const segmentColumns = {
  id: segments.id,
  draftId: segments.draftId,
  position: segments.position,
  content: segments.content,
  authorId: segments.authorId,
  createdAt: segments.createdAt,
  revision: segments.revision,
  editedAt: segments.editedAt,
  editedBy: segments.editedBy,
  authorName: users.displayName,
};

export async function listSegments(db: Db, draftIds: string[]): Promise<SegmentView[]> {
  if (draftIds.length === 0) return [];
  return db
    .select(segmentColumns)
    .from(segments)
    .innerJoin(users, eq(users.id, segments.authorId))
    .where(inArray(segments.draftId, draftIds))
    .orderBy(asc(segments.draftId), asc(segments.position));
}

/** The insert of new segments (revision 1) in one statement, to be sent along with their events (see `recordEvent`). */
export function segmentsInsert(rows: readonly SegmentRow[]): SQL {
  const values = rows.map((row) => sql`(${row.id}, ${row.draftId}, ${row.position}, ${row.content}, ${row.authorId}, ${row.createdAt.toISOString()})`);
  return sql`insert into segments (id, draft_id, position, content, author_id, created_at) values ${sql.join(values, sql`, `)}`;
}

/** What a drafts list shows of one draft; `opening` is at most `OPENING_SOURCE_CHARS` of the first segment. */
export type DraftSummaryRow = {
  id: string;
  title: string;
  platform: string;
  status: string;
  role: string;
  ringHolderId: string;
  ringHolderName: string | null;
  segmentCount: number;
  memberCount: number;
  opening: string | null;
  openingCutShort: boolean;
  lastServerSeq: number;
  lastActivityAt: Date;
};

/** Enough of a first segment to find its first 140 grapheme clusters, however many code points each takes. */
const OPENING_SOURCE_CHARS = 1000;

/**
 * Summaries of the drafts the user owns or collaborates on, most recent activity first, keyset-paginated:
 * one query, reading only the first segment's opening (by the (draft_id, position) index), never the rest.
 */
export async function listDraftSummaries(db: Db, userId: string, limit: number, after: KeysetCursor | null): Promise<DraftSummaryRow[]> {
  const conditions = [eq(draftMembers.userId, userId)];
  if (after) {
    conditions.push(
      or(lt(drafts.lastActivityAt, after.at), and(eq(drafts.lastActivityAt, after.at), lt(drafts.id, after.id)))!,
    );
  }
  const firstSegment = sql`(select content from segments s where s.draft_id = ${drafts.id} and s.position = 0)`;
  return db
    .select({
      id: drafts.id,
      title: drafts.title,
      platform: drafts.platform,
      status: drafts.status,
      role: draftMembers.role,
      ringHolderId: drafts.ringHolderId,
      ringHolderName: users.displayName,
      segmentCount: drafts.segmentCount,
      memberCount: sql<number>`(select count(*) from draft_members c where c.draft_id = ${drafts.id})::int`,
      opening: sql<string | null>`left(${firstSegment}, ${sql.raw(String(OPENING_SOURCE_CHARS))})`,
      openingCutShort: sql<boolean>`coalesce(char_length(${firstSegment}) > ${sql.raw(String(OPENING_SOURCE_CHARS))}, false)`,
      lastServerSeq: drafts.lastServerSeq,
      lastActivityAt: drafts.lastActivityAt,
    })
    .from(draftMembers)
    .innerJoin(drafts, eq(drafts.id, draftMembers.draftId))
    .innerJoin(users, eq(users.id, drafts.ringHolderId))
    .where(and(...conditions))
    .orderBy(desc(drafts.lastActivityAt), desc(drafts.id))
    .limit(limit);
}

/**
 * Records a ring move and answers when the ring last moved before it (null if never): when its previous
 * holder got it. One statement: the read sees the table as it was before the insert.
 */
export async function insertRingPass(
  tx: Db,
  row: { id: string; draftId: string; fromUserId: string | null; toUserId: string; passedAt: Date; kind: RingMoveKind },
): Promise<Date | null> {
  const result = await tx.execute(sql`
    with previous as (select max(passed_at) as at from ring_passes where draft_id = ${row.draftId}),
    inserted as (
      insert into ring_passes (id, draft_id, from_user_id, to_user_id, passed_at, kind)
      values (${row.id}, ${row.draftId}, ${row.fromUserId}, ${row.toUserId}, ${row.passedAt.toISOString()}, ${row.kind})
    )
    select at from previous`);
  const at = (result as unknown as { rows: Array<{ at: string | Date | null }> }).rows[0]?.at ?? null;
  return at === null ? null : new Date(at);
}

export type RingPassView = {
  id: string;
  fromUserId: string | null;
  fromName: string | null;
  toUserId: string;
  toName: string | null;
  passedAt: Date;
  kind: string;
};

export async function listRingPasses(
  db: Db,
  draftId: string,
  limit: number,
  after: KeysetCursor | null,
): Promise<RingPassView[]> {
  const fromUser = sql<string | null>`(select display_name from users where users.id = ${ringPasses.fromUserId})`;
  const toUser = sql<string | null>`(select display_name from users where users.id = ${ringPasses.toUserId})`;
  const conditions = [eq(ringPasses.draftId, draftId)];
  if (after) {
    conditions.push(
      or(gt(ringPasses.passedAt, after.at), and(eq(ringPasses.passedAt, after.at), gt(ringPasses.id, after.id)))!,
    );
  }
  return db
    .select({
      id: ringPasses.id,
      fromUserId: ringPasses.fromUserId,
      fromName: fromUser.as('from_name'),
      toUserId: ringPasses.toUserId,
      toName: toUser.as('to_name'),
      passedAt: ringPasses.passedAt,
      kind: ringPasses.kind,
    })
    .from(ringPasses)
    .where(and(...conditions))
    .orderBy(asc(ringPasses.passedAt), asc(ringPasses.id))
    .limit(limit);
}

/** What `appendSegmentAtomically` found, and whether it wrote. */
export type AppendOutcome =
  | { found: false }
  | { found: true; written: boolean; platform: string; status: string; ringHolderId: string; role: string | null; position: number; serverSeq: number };

/**
 * The append hot path as one statement in its own implicit transaction: lock the draft, check that the author
 * is a member holding the ring on an editable draft whose platform accepts the text, then write the segment,
 * bump the counters, log the event and record its SegmentAdded (as `analyticsOfDraftEvent` maps it, with the
 * projections) — or write nothing. Under the row lock, concurrent appends to one draft
 * queue up and each sees the counters its predecessor left, so positions and `server_seq` stay dense.
 * It answers what it found either way so the caller can explain a refusal.
 */
/** Exported for bench/append.mjs, which runs this very statement under pgbench. */
export const APPEND_SEGMENT_SQL = `
  with d as (
    select d.id, d.platform, d.status, d.ring_holder_id, d.segment_count, d.last_server_seq, m.role
    from drafts d left join draft_members m on m.draft_id = d.id and m.user_id = $2::uuid
    where d.id = $1::uuid
    for update of d
  ), ok as (
    select * from d
    where role is not null and status = 'draft' and ring_holder_id = $2::uuid
      and platform = any(string_to_array($6::text, ','))
  ), seg as (
    insert into segments (id, draft_id, position, content, author_id, created_at)
    select $3::uuid, id, segment_count, $4::text, $2::uuid, $7::timestamptz from ok
  ), upd as (
    update drafts set segment_count = ok.segment_count + 1, last_server_seq = ok.last_server_seq + 1,
      updated_at = $7::timestamptz, last_activity_at = $7::timestamptz
    from ok where drafts.id = ok.id
  ), ev as (
    insert into draft_events (draft_id, server_seq, type, payload, actor_id, created_at)
    select id, last_server_seq + 1, 'segment.appended',
      jsonb_build_object('segment', jsonb_build_object(
        'id', $3::text, 'position', segment_count, 'content', $4::text,
        'authorId', $2::text, 'authorDisplay', $5::text,
        'createdAt', to_char($7::timestamptz at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'revision', 1, 'editedAt', null)),
      $2::uuid, $7::timestamptz
    from ok
  ), a_src as (
    insert into analytics_events (idempotency_key, schema_version, type, occurred_at, draft_id, user_id, target_user_id, payload)
    select 'draft:' || id || ':' || (last_server_seq + 1), ${ANALYTICS_SCHEMA_VERSION}, 'SegmentAdded', $7::timestamptz, id, $2::uuid, null,
      jsonb_build_object('segmentId', $3::text, 'length', char_length($4::text))
    from ok
    on conflict (idempotency_key) do nothing
    returning ${SOURCE_COLUMNS}
  ), ${PROJECTION_CTES}
  select d.platform, d.status, d.ring_holder_id, d.role, d.segment_count, d.last_server_seq, exists (select 1 from ok) as written
  from d`;

export async function appendSegmentAtomically(
  database: Database,
  via: Db,
  input: { segmentId: string; draftId: string; authorId: string; authorDisplay: string; content: string; acceptingPlatforms: string[]; now: Date },
): Promise<AppendOutcome> {
  const rows = await executePrepared<Record<string, unknown>>(database, 'append_segment', APPEND_SEGMENT_SQL, [
    input.draftId,
    input.authorId,
    input.segmentId,
    input.content,
    input.authorDisplay,
    input.acceptingPlatforms.join(','),
    input.now.toISOString(),
  ], via);
  const row = rows[0];
  if (!row) return { found: false };
  return {
    found: true,
    written: row.written === true,
    platform: String(row.platform),
    status: String(row.status),
    ringHolderId: String(row.ring_holder_id),
    role: (row.role as string | null) ?? null,
    position: Number(row.segment_count),
    serverSeq: Number(row.last_server_seq) + 1,
  };
}
