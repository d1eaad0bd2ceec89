import type { Platform } from '../../../contract/constants.js';
import type { Draft, Segment, SegmentRevisionPage, ThreadOrder } from '../../../contract/drafts.js';
import { sameOrder } from '../../../contract/thread-order.js';
import type { Db } from '../../db/client.js';
import type { AuthUser } from '../../platform/auth.js';
import { decodeNumberCursor, pageOf } from '../../platform/cursor.js';
import { assertCurrent, type IfMatch } from '../../platform/preconditions.js';
import { recordEvent } from '../events/log.js';
import * as errors from './errors.js';
import * as repo from './edits-repo.js';
import { assertHoldsRing, assertMember } from './policy.js';
import { presentRevision, presentSegment } from './present.js';
import { findMember, type SegmentView } from './repo.js';
import { changeDraft, loadDraftView, requireContent, type DraftsDeps } from './service.js';

// Editing, deleting and reordering change the thread: like an append, they need the ring on an editable
// draft, and each is one event in the transaction of its change. Each names the version it was based on
// (If-Match): a change based on one that is no longer current is refused, so no one overwrites work they
// have not seen.

async function segmentOf(tx: Db, draftId: string, segmentId: string): Promise<SegmentView> {
  const segment = await repo.findSegment(tx, draftId, segmentId);
  if (!segment) throw errors.segmentNotFound();
  return segment;
}

/**
 * Replaces a segment's text, keeping the version it replaces. The text it already has changes nothing
 * and answers the segment as it is, whatever `ifMatch` says: nothing would be overwritten, and a retry of
 * an edit that went through gets the same answer.
 */
export async function editSegment(deps: DraftsDeps, actor: AuthUser, draftId: string, segmentId: string, content: string, ifMatch: IfMatch): Promise<Segment> {
  return changeDraft(deps, actor, draftId, async ({ tx, draft, now }) => {
    assertHoldsRing(draft, actor.id);
    const segment = await segmentOf(tx, draftId, segmentId);
    requireContent(content, draft.platform as Platform);
    if (content === segment.content) return presentSegment(segment);
    assertCurrent(ifMatch, segment.revision, () => presentSegment(segment));
    const edited = { ...segment, content, revision: segment.revision + 1, editedAt: now, editedBy: actor.id };
    await recordEvent(
      tx,
      draft,
      {
        type: 'segment.edited',
        payload: {
          segmentId,
          before: { revision: segment.revision, content: segment.content },
          after: { revision: edited.revision, content },
          editedAt: now.toISOString(),
        },
        actorId: actor.id,
        alongside: repo.segmentEdit(segment, edited),
      },
      now,
    );
    return presentSegment(edited);
  });
}

/** Deletes a segment (its versions stay readable); the ones after it move up a place. */
export async function deleteSegment(deps: DraftsDeps, actor: AuthUser, draftId: string, segmentId: string, ifMatch: IfMatch): Promise<void> {
  return changeDraft(deps, actor, draftId, async ({ tx, draft, now }) => {
    assertHoldsRing(draft, actor.id);
    const segment = await segmentOf(tx, draftId, segmentId);
    assertCurrent(ifMatch, segment.revision, () => presentSegment(segment));
    await repo.deleteSegment(tx, segment);
    await recordEvent(
      tx,
      draft,
      {
        type: 'segment.deleted',
        payload: { segmentId, position: segment.position, revision: segment.revision },
        actorId: actor.id,
        facts: { segmentAuthorId: segment.authorId },
        draftChanges: { segmentCount: draft.segmentCount - 1 },
        alongside: [repo.unparkSegments(draftId)],
      },
      now,
    );
  });
}

/** Whether `order` lists every id of `ids` exactly once. */
function isPermutation(order: readonly string[], ids: readonly string[]): boolean {
  const wanted = new Set(ids);
  return order.length === ids.length && new Set(order).size === order.length && order.every((id) => wanted.has(id));
}

/**
 * Puts the thread in a new order, given whole (every segment id once); `ifMatch` names the draft's
 * `lastServerSeq` it was based on. The order it already has changes nothing.
 */
export async function reorderSegments(deps: DraftsDeps, actor: AuthUser, draftId: string, order: string[], ifMatch: IfMatch): Promise<Draft> {
  return changeDraft(deps, actor, draftId, async ({ tx, draft, now }) => {
    assertHoldsRing(draft, actor.id);
    const current = await repo.listSegmentIds(tx, draftId);
    if (sameOrder(order, current)) return loadDraftView(tx, draft);
    assertCurrent(ifMatch, draft.lastServerSeq, (): ThreadOrder => ({ lastServerSeq: draft.lastServerSeq, order: current }));
    if (!isPermutation(order, current)) throw errors.invalidField('body.order', 'List every segment of the draft exactly once.');
    await repo.parkReordered(tx, draftId, order);
    await recordEvent(tx, draft, { type: 'segments.reordered', payload: { order }, actorId: actor.id, alongside: [repo.unparkSegments(draftId)] }, now);
    return loadDraftView(tx, draft);
  });
}

/** A segment's versions, newest first (the current one included); still readable after it was deleted. */
export async function segmentRevisions(
  deps: DraftsDeps,
  actor: AuthUser,
  draftId: string,
  segmentId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<SegmentRevisionPage> {
  assertMember(await findMember(deps.db, draftId, actor.id));
  const before = page.cursor ? decodeNumberCursor(page.cursor) : null;
  const rows = await repo.listRevisions(deps.db, draftId, segmentId, page.limit + 1, before);
  if (rows.length === 0 && !(await repo.segmentEverIn(deps.db, draftId, segmentId))) throw errors.segmentNotFound();
  return pageOf(rows, page.limit, (r) => r.revision, presentRevision);
}
