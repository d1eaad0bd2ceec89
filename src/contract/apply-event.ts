import type { Collaborator, Draft, Segment } from './drafts.js';
import type { DraftEvent } from './events.js';
import { renumber } from './thread-order.js';

/**
 * The payload of each event the server records, by type. The log is the truth: folding it with `applyEvent`
 * gives the draft `GET /v1/drafts/:id` answers, so every field a change touches is in its event.
 * (Types only, no zod: the web bundle applies these on every live event.)
 */
export type DraftEventPayloads = {
  'draft.created': { title: string; platform: Draft['platform'] };
  'draft.renamed': { title: string };
  'draft.published': { status: 'published' };
  'draft.archived': { status: 'archived' };
  'segment.appended': { segment: Segment };
  'segment.edited': {
    segmentId: string;
    before: { revision: number; content: string };
    after: { revision: number; content: string };
    editedAt: string;
  };
  'segment.deleted': { segmentId: string; position: number; revision: number };
  /** Every segment id of the draft in its new order. */
  'segments.reordered': { order: string[] };
  'ring.passed': { fromUserId: string | null; toUserId: string; passedAt: string };
  'ring.taken': { fromUserId: string; toUserId: string; passedAt: string };
  'collaborator.joined': { userId: string; displayName: string; role: 'collaborator'; joinedAt: string; via: 'added' | 'invite' };
  'collaborator.left': { userId: string; reason: 'left' | 'removed' };
  'invite.created': { inviteId: string; expiresAt: string };
  'invite.revoked': { inviteId: string };
  /** `segmentId` names the post (it keeps its comments when the thread is reordered); `position` is where it was then. */
  'comment.added': { text: string; segmentId?: string; position?: number };
};
export type DraftEventType = keyof DraftEventPayloads;

/** An event narrowed to its type's payload. */
export type TypedDraftEvent<T extends DraftEventType = DraftEventType> = Omit<DraftEvent, 'type' | 'payload'> & {
  type: T;
  payload: DraftEventPayloads[T];
};

/** The state a draft's log starts from, before its `draft.created` event. */
export function emptyDraft(id: string): Draft {
  return {
    id,
    title: '',
    platform: 'x',
    status: 'draft',
    ownerId: '',
    ringHolderId: '',
    collaborators: [],
    segments: [],
    lastServerSeq: 0,
    createdAt: '',
    updatedAt: '',
  };
}

// The order `GET /v1/drafts/:id` lists members in: the owner, then by joining time, then by id.
function byMembership(a: Collaborator, b: Collaborator): number {
  if (a.role !== b.role) return a.role === 'owner' ? -1 : 1;
  if (a.joinedAt !== b.joinedAt) return a.joinedAt < b.joinedAt ? -1 : 1;
  return a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0;
}

function isType<T extends DraftEventType>(event: DraftEvent, type: T): event is DraftEvent & TypedDraftEvent<T> {
  return event.type === type;
}

/** What one event changes in the draft's content, apart from the sequence number and time every event moves. */
function change(draft: Draft, event: DraftEvent): Partial<Draft> {
  if (isType(event, 'draft.created')) {
    const owner = event.actor!;
    return {
      title: event.payload.title,
      platform: event.payload.platform,
      ownerId: owner.userId,
      ringHolderId: owner.userId,
      collaborators: [{ userId: owner.userId, displayName: owner.displayName, role: 'owner', joinedAt: event.createdAt }],
      createdAt: event.createdAt,
    };
  }
  if (isType(event, 'draft.renamed')) return { title: event.payload.title };
  if (isType(event, 'draft.published') || isType(event, 'draft.archived')) return { status: event.payload.status };
  if (isType(event, 'segment.appended')) {
    const { segment } = event.payload;
    return { segments: [...draft.segments, { ...segment, revision: segment.revision ?? 1, editedAt: segment.editedAt ?? null }] };
  }
  if (isType(event, 'segment.edited')) {
    const { segmentId, after, editedAt } = event.payload;
    return { segments: draft.segments.map((s) => (s.id === segmentId ? { ...s, content: after.content, revision: after.revision, editedAt } : s)) };
  }
  if (isType(event, 'segment.deleted')) return { segments: renumber(draft.segments.filter((s) => s.id !== event.payload.segmentId)) };
  if (isType(event, 'segments.reordered')) {
    const byId = new Map(draft.segments.map((s) => [s.id, s]));
    return { segments: renumber(event.payload.order.flatMap((id) => byId.get(id) ?? [])) };
  }
  if (isType(event, 'ring.passed') || isType(event, 'ring.taken')) return { ringHolderId: event.payload.toUserId };
  if (isType(event, 'collaborator.joined')) {
    const { userId, displayName, role, joinedAt } = event.payload;
    const others = draft.collaborators.filter((c) => c.userId !== userId);
    return { collaborators: [...others, { userId, displayName, role, joinedAt }].sort(byMembership) };
  }
  if (isType(event, 'collaborator.left')) return { collaborators: draft.collaborators.filter((c) => c.userId !== event.payload.userId) };
  // Comments, invites and types this client does not know yet leave the thread as it is.
  return {};
}

/**
 * The draft after one more event of its log. Pure: the web app applies every live event with it instead of
 * reading the draft again, and a server test checks that folding a whole log equals `GET /v1/drafts/:id`.
 * An event the draft already reflects (`serverSeq` at or below its `lastServerSeq`) changes nothing, so a
 * replay after a reconnect is harmless.
 */
export function applyEvent(draft: Draft, event: DraftEvent): Draft {
  if (event.serverSeq <= draft.lastServerSeq) return draft;
  return { ...draft, ...change(draft, event), lastServerSeq: event.serverSeq, updatedAt: event.createdAt };
}

/** `applyEvent` over events in log order. */
export function applyEvents(draft: Draft, events: readonly DraftEvent[]): Draft {
  return events.reduce(applyEvent, draft);
}
