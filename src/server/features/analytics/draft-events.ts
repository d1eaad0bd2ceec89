import type { DraftEventPayloads, DraftEventType } from '../../../contract/apply-event.js';
import type { RingMoveKind } from '../../../contract/drafts.js';
import type { NewAnalyticsEvent } from './record.js';

/** What an analytics event needs that its draft event does not say: a deleted segment's author, a ring move's kind and hold start. */
export type DraftEventFacts = {
  segmentAuthorId?: string;
  /** `heldSince`: when the ring's previous holder got it (their last ring move on the draft, or its creation). */
  ringMove?: { kind: RingMoveKind; heldSince: Date };
};

/** A draft event as it is being logged: its place in the log, type, payload, actor and the facts above. */
export type LoggedDraftEvent = {
  draftId: string;
  serverSeq: number;
  type: DraftEventType;
  payload: unknown;
  actorId: string | null;
  facts?: DraftEventFacts | undefined;
};

/** The idempotency key of the analytics event a draft event stands for: one per logged event, so none can count twice. */
export function draftEventKey(draftId: string, serverSeq: number): string {
  return `draft:${draftId}:${serverSeq}`;
}

/** Characters as PostgreSQL's char_length counts them (code points), the append statement's own count. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`a logged draft event needs ${what} for its analytics event`);
  return value;
}

/**
 * The analytics event a logged draft event stands for, if any: the one mapping from the draft event log to
 * analytics (`recordEvents` applies it to every change; the prepared append writes the same SegmentAdded).
 */
export function analyticsOfDraftEvent(event: LoggedDraftEvent, occurredAt: Date): NewAnalyticsEvent | null {
  const base = { idempotencyKey: draftEventKey(event.draftId, event.serverSeq), occurredAt, draftId: event.draftId };
  switch (event.type) {
    case 'draft.created':
      return { ...base, type: 'DraftCreated', userId: event.actorId };
    case 'draft.published':
      return { ...base, type: 'DraftPublished', userId: event.actorId };
    case 'segment.appended': {
      const { segment } = event.payload as DraftEventPayloads['segment.appended'];
      return { ...base, type: 'SegmentAdded', userId: segment.authorId, payload: { segmentId: segment.id, length: characterCount(segment.content) } };
    }
    case 'segment.edited': {
      const { segmentId } = event.payload as DraftEventPayloads['segment.edited'];
      return { ...base, type: 'SegmentEdited', userId: event.actorId, payload: { segmentId } };
    }
    case 'segment.deleted': {
      const { segmentId } = event.payload as DraftEventPayloads['segment.deleted'];
      const author = required(event.facts?.segmentAuthorId, "the deleted segment's author");
      return { ...base, type: 'SegmentDeleted', userId: event.actorId, targetUserId: author, payload: { segmentId } };
    }
    case 'ring.passed':
    case 'ring.taken': {
      const { fromUserId, toUserId } = event.payload as DraftEventPayloads['ring.passed'];
      const move = required(event.facts?.ringMove, "the ring move's kind and hold start");
      return {
        ...base,
        type: 'RingPassed',
        userId: fromUserId,
        targetUserId: toUserId,
        payload: { kind: move.kind, heldSince: move.heldSince.toISOString() },
      };
    }
    default:
      return null;
  }
}
