import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type { DraftEventPayloads, DraftEventType } from '../../../contract/apply-event.js';
import type { Db } from '../../db/client.js';
import { preparedPerDb } from '../../db/prepared.js';
import { draftEvents, users, type DraftEventRow, type DraftRow } from '../../db/schema/index.js';
import { analyticsOfDraftEvent, type DraftEventFacts } from '../analytics/draft-events.js';
import { analyticsEventsWith } from '../analytics/record.js';

/** Draft columns a change may set, with their SQL names. */
const DRAFT_COLUMNS = {
  title: 'title',
  status: 'status',
  ringHolderId: 'ring_holder_id',
  segmentCount: 'segment_count',
  lastServerSeq: 'last_server_seq',
  lastActivityAt: 'last_activity_at',
  updatedAt: 'updated_at',
} as const;
type DraftChanges = Partial<Pick<DraftRow, keyof typeof DRAFT_COLUMNS>>;

function sqlValue(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

/**
 * What one change records, its payload typed as the contract folds it (`applyEvent`). `draftChanges` are
 * written to the draft row in the same UPDATE; `alongside` are further writes of the change (such as the
 * new segment) sent in the same statement; `facts` are what its analytics event needs beyond the payload.
 */
export type NewEvent<T extends DraftEventType = DraftEventType> = {
  type: T;
  payload: DraftEventPayloads[T];
  actorId: string | null;
  clientId?: string;
  clientSeq?: number;
  facts?: DraftEventFacts;
  draftChanges?: DraftChanges;
  alongside?: SQL[];
};

/**
 * Appends an event to a locked draft's log: the next gapless `server_seq`, the draft's counter and activity
 * time, and the analytics event it stands for (with the projections), in the caller's transaction. `draft`
 * must come from the lock and is advanced in place. It is one hand-written statement (data-modifying CTEs):
 * this runs for every change, and round trips and query building dominated its cost.
 */
export async function recordEvent<T extends DraftEventType>(tx: Db, draft: DraftRow, event: NewEvent<T>, now: Date): Promise<DraftEventRow> {
  const { draftChanges, alongside, ...entry } = event;
  const [row] = await recordEvents(tx, draft, { events: [entry], draftChanges, alongside }, now);
  return row!;
}

/**
 * `recordEvent` for a change logged as several events (an import's segments), still in one statement: they
 * take the next sequence numbers in order.
 */
export async function recordEvents(
  tx: Db,
  draft: DraftRow,
  change: { events: readonly Omit<NewEvent, 'draftChanges' | 'alongside'>[]; draftChanges?: DraftChanges | undefined; alongside?: SQL[] | undefined },
  now: Date,
): Promise<DraftEventRow[]> {
  const rows: DraftEventRow[] = change.events.map((event, index) => ({
    draftId: draft.id,
    serverSeq: draft.lastServerSeq + 1 + index,
    type: event.type,
    payload: event.payload,
    actorId: event.actorId,
    clientId: event.clientId ?? null,
    clientSeq: event.clientSeq ?? null,
    createdAt: now,
  }));
  if (rows.length === 0) return rows;
  const changes: DraftChanges = { ...change.draftChanges, lastServerSeq: draft.lastServerSeq + rows.length, lastActivityAt: now, updatedAt: now };
  const assignments = sql.join(
    Object.entries(changes).map(([key, value]) => sql`${sql.identifier(DRAFT_COLUMNS[key as keyof DraftChanges])} = ${sqlValue(value)}`),
    sql`, `,
  );
  const writes = [...(change.alongside ?? []), sql`update drafts set ${assignments} where id = ${draft.id}`];
  const analytics = change.events.flatMap((event, i) => analyticsOfDraftEvent({ ...event, draftId: draft.id, serverSeq: rows[i]!.serverSeq }, now) ?? []);
  const ctes = sql.join(
    [...writes.map((w, i) => sql`${sql.raw(`w${i}`)} as (${w})`), ...(analytics.length > 0 ? [analyticsEventsWith(analytics)] : [])],
    sql`, `,
  );
  const values = sql.join(
    rows.map(
      (row) =>
        sql`(${row.draftId}, ${row.serverSeq}, ${row.type}, ${JSON.stringify(row.payload)}::jsonb, ${row.actorId}, ${row.clientId}, ${row.clientSeq}, ${now.toISOString()})`,
    ),
    sql`, `,
  );
  await tx.execute(sql`with ${ctes}
    insert into draft_events (draft_id, server_seq, type, payload, actor_id, client_id, client_seq, created_at)
    values ${values}`);
  Object.assign(draft, changes);
  return rows;
}

export type EventView = DraftEventRow & { actorName: string | null };

const eventColumns = {
  draftId: draftEvents.draftId,
  serverSeq: draftEvents.serverSeq,
  type: draftEvents.type,
  payload: draftEvents.payload,
  actorId: draftEvents.actorId,
  clientId: draftEvents.clientId,
  clientSeq: draftEvents.clientSeq,
  createdAt: draftEvents.createdAt,
  actorName: sql<string | null>`(select display_name from users where ${users.id} = ${draftEvents.actorId})`,
};

// Read on every poll of the log and, once per change, by each instance's live feed of the draft.
const eventsQuery = preparedPerDb((db) =>
  db
    .select(eventColumns)
    .from(draftEvents)
    .where(and(eq(draftEvents.draftId, sql.placeholder('draftId')), gt(draftEvents.serverSeq, sql.placeholder('since'))))
    .orderBy(asc(draftEvents.serverSeq))
    .limit(sql.placeholder('limit'))
    .prepare('list_events'),
);

/** Events after `since`, in order; only those of `types` when given. */
export async function listEvents(db: Db, draftId: string, since: number, limit: number, types?: readonly string[]): Promise<EventView[]> {
  if (!types) return eventsQuery(db).execute({ draftId, since, limit });
  return db
    .select(eventColumns)
    .from(draftEvents)
    .where(and(eq(draftEvents.draftId, draftId), gt(draftEvents.serverSeq, since), inArray(draftEvents.type, [...types])))
    .orderBy(asc(draftEvents.serverSeq))
    .limit(limit);
}

export async function findClientEvent(db: Db, draftId: string, clientId: string, clientSeq: number): Promise<EventView | undefined> {
  const [row] = await db
    .select(eventColumns)
    .from(draftEvents)
    .where(and(eq(draftEvents.draftId, draftId), eq(draftEvents.clientId, clientId), eq(draftEvents.clientSeq, clientSeq)));
  return row;
}
