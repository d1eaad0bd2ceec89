import type { DraftEventPayloads } from '../../../contract/apply-event.js';
import { CLIENT_EVENT_PAYLOADS, CLIENT_EVENT_TYPES, type AppendEventBody, type ClientEventType, type DraftEvent, type EventList } from '../../../contract/events.js';
import type { Db } from '../../db/client.js';
import type { AuthUser } from '../../platform/auth.js';
import { AppError, ValidationError } from '../../platform/errors.js';
import { draftNotFound, invalidField } from '../drafts/errors.js';
import { assertEditable, assertMember } from '../drafts/policy.js';
import { presentEvent } from '../drafts/present.js';
import { findSegment } from '../drafts/edits-repo.js';
import { findDraft, findMember } from '../drafts/repo.js';
import { changeDraft, type DraftsDeps } from '../drafts/service.js';
import { findClientEvent, listEvents as readEvents, recordEvent } from './log.js';

export const unknownEventType = (type: string) =>
  new AppError(400, 'unknown_event_type', `Unknown event type "${type}". Known types: ${CLIENT_EVENT_TYPES.join(', ')}.`, {
    errors: [{ path: 'body.type', message: `Use one of: ${CLIENT_EVENT_TYPES.join(', ')}.` }],
    fields: { knownTypes: CLIENT_EVENT_TYPES },
  });

/** The log after `since`, in order (only events of `types` when given), with where it ends now. */
export async function listEvents(
  deps: DraftsDeps,
  actor: AuthUser,
  draftId: string,
  query: { since: number; limit: number; types?: readonly string[] | undefined },
): Promise<EventList> {
  const draft = await findDraft(deps.db, draftId);
  if (!draft) throw draftNotFound();
  assertMember(await findMember(deps.db, draftId, actor.id));
  const rows = await readEvents(deps.db, draftId, query.since, query.limit, query.types);
  return { events: rows.map(presentEvent), lastServerSeq: draft.lastServerSeq };
}

type Comment = DraftEventPayloads['comment.added'];

/**
 * Checks that the post a comment names is in the draft, and records where it stands now along with its id,
 * so that readers which only know positions still place it.
 */
async function placeComment(tx: Db, draftId: string, segmentCount: number, comment: Comment): Promise<Comment> {
  if (comment.segmentId !== undefined) {
    const segment = await findSegment(tx, draftId, comment.segmentId);
    if (!segment) throw invalidField('body.payload.segmentId', 'There is no such post in this draft.');
    return { ...comment, position: segment.position };
  }
  if (comment.position !== undefined && comment.position >= segmentCount) {
    throw invalidField('body.payload.position', 'There is no segment at this position.');
  }
  return comment;
}

/**
 * Appends a typed client event. `(clientId, clientSeq)` identifies it: a retry answers the stored event
 * (`created: false`) instead of writing it twice.
 */
export async function appendClientEvent(
  deps: DraftsDeps,
  actor: AuthUser,
  draftId: string,
  input: AppendEventBody,
): Promise<{ event: DraftEvent; created: boolean }> {
  const type = input.type as ClientEventType;
  const schema = CLIENT_EVENT_PAYLOADS[type];
  if (!schema) throw unknownEventType(input.type);
  const parsed = schema.safeParse(input.payload);
  if (!parsed.success) {
    throw new ValidationError(parsed.error.issues.map((i) => ({ path: ['body', 'payload', ...i.path.map(String)].join('.'), message: i.message })));
  }
  const payload = parsed.data;
  return changeDraft(deps, actor, draftId, async ({ tx, draft, now }) => {
    const existing = await findClientEvent(tx, draftId, input.clientId, input.clientSeq);
    if (existing) return { event: presentEvent(existing), created: false };
    assertEditable(draft);
    const recorded = await placeComment(tx, draftId, draft.segmentCount, payload);
    const row = await recordEvent(
      tx,
      draft,
      { type, payload: recorded, actorId: actor.id, clientId: input.clientId, clientSeq: input.clientSeq },
      now,
    );
    return { event: presentEvent({ ...row, actorName: actor.displayName }), created: true };
  });
}
