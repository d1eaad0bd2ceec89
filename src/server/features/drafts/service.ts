import { v7 as uuidv7 } from 'uuid';
import { PLATFORMS, type Platform } from '../../../contract/constants.js';
import type { Attribution, CreateDraftBody, Draft, DraftSummaryPage, RingHistory, RingMoveKind, Segment } from '../../../contract/drafts.js';
import type { Database, Db } from '../../db/client.js';
import type { DraftMemberRow, DraftRow } from '../../db/schema/index.js';
import type { AuthUser } from '../../platform/auth.js';
import type { Bus } from '../../platform/bus.js';
import type { Clock } from '../../platform/clock.js';
import { decodeCursor, pageOf } from '../../platform/cursor.js';
import { autocommit, transaction, type Transact } from '../../platform/unit-of-work.js';
import { recordDraftView } from '../analytics/views.js';
import { recordEvent } from '../events/log.js';
import type { Enforce } from '../plans/enforce.js';
import { displayNameOf } from '../users/present.js';
import { contributions } from './attribution-repo.js';
import { checkTitle, segmentProblem, segmentProblems } from './content.js';
import * as errors from './errors.js';
import { assertEditable, assertHoldsRing, assertMember, assertOwner } from './policy.js';
import { presentAttribution, presentDraft, presentDraftSummary, presentRingPass, presentSegment } from './present.js';
import * as repo from './repo.js';

/**
 * `transact`, when given, runs the change (an Idempotency-Key's runner); else each change commits on its own.
 * `enforce` gates the uses a plan limits (creating drafts, adding collaborators).
 */
export type DraftsDeps = { database: Database; db: Db; clock: Clock; bus: Bus; enforce: Enforce; transact?: Transact };

/** The bus topic on which a draft's committed changes are announced (message: its `lastServerSeq`). */
export const draftTopic = (draftId: string) => `draft:${draftId}`;

/**
 * Announces that a draft's log now reaches `lastServerSeq`. Only a doorbell: listeners read the log itself,
 * so a failed publish delays live updates until the next one and loses nothing.
 */
async function announceChange(deps: Pick<DraftsDeps, 'bus'>, draftId: string, lastServerSeq: number): Promise<void> {
  await deps.bus.publish(draftTopic(draftId), String(lastServerSeq)).catch(() => undefined);
}

/** The bus topic on which a user hears that they joined or left a draft (message: the draft id). */
export const userTopic = (userId: string) => `user:${userId}`;

/** After a commit: rings the draft's doorbell and tells each user who joined or left it. */
export async function announceCommitted(
  deps: Pick<DraftsDeps, 'bus'>,
  draftId: string,
  lastServerSeq: number,
  membershipChanges: string[] = [],
): Promise<void> {
  await announceChange(deps, draftId, lastServerSeq);
  await Promise.all(membershipChanges.map((userId) => deps.bus.publish(userTopic(userId), draftId).catch(() => undefined)));
}

/**
 * A locked draft and the actor's membership, inside one transaction; `membershipChanges` collects the users
 * who joined or left, to be told once the transaction commits.
 */
export type DraftScope = { tx: Db; draft: DraftRow; member: Pick<DraftMemberRow, 'role'>; now: Date; membershipChanges: string[] };

/**
 * Runs a change to one draft: locks its row (so positions and server sequence numbers are assigned one
 * change at a time), checks the actor belongs to it (404 otherwise), and commits or rolls back as a whole.
 */
export async function changeDraft<T>(deps: DraftsDeps, actor: AuthUser, draftId: string, work: (scope: DraftScope) => Promise<T>): Promise<T> {
  const transact = deps.transact ?? transaction(deps.db);
  return transact(async ({ tx, afterCommit }) => {
    const locked = await repo.lockDraftFor(tx, draftId, actor.id);
    if (!locked) throw errors.draftNotFound();
    const member = locked.role ? { role: locked.role } : null;
    assertMember(member);
    const { draft } = locked;
    const membershipChanges: string[] = [];
    const result = await work({ tx, draft, member, now: deps.clock.now(), membershipChanges });
    afterCommit(() => announceCommitted(deps, draftId, draft.lastServerSeq, membershipChanges));
    return result;
  });
}

function requireTitle(raw: string): string {
  const checked = checkTitle(raw);
  if (!checked.ok) throw errors.invalidField('body.title', checked.message);
  return checked.value;
}

/** 400 unless the platform takes this text as a segment. */
export function requireContent(content: string, platform: Platform, field = 'body.content'): void {
  const problem = segmentProblem(content, platform);
  if (problem) throw errors.invalidField(field, problem);
}

/** The draft as members see it. */
export async function loadDraftView(db: Db, draft: DraftRow): Promise<Draft> {
  const [members, segments] = await Promise.all([repo.listMembers(db, [draft.id]), repo.listSegments(db, [draft.id])]);
  return presentDraft(draft, members, segments);
}

/** A segment as appended: its first revision, never edited. */
export function newSegment(draftId: string, authorId: string, content: string, now: Date) {
  return { id: uuidv7(), draftId, content, authorId, createdAt: now, revision: 1, editedAt: null, editedBy: null };
}

async function insertSegmentWithEvent(tx: Db, draft: DraftRow, author: AuthUser, content: string, now: Date) {
  const segment = { ...newSegment(draft.id, author.id, content, now), position: draft.segmentCount };
  const view = presentSegment({ ...segment, authorName: author.displayName });
  await recordEvent(
    tx,
    draft,
    {
      type: 'segment.appended',
      payload: { segment: view },
      actorId: author.id,
      draftChanges: { segmentCount: draft.segmentCount + 1 },
      alongside: [repo.segmentsInsert([segment])],
    },
    now,
  );
  return view;
}

/**
 * Writes a new draft in `tx`, its creator owner and ring holder, and logs `draft.created`; answers the row,
 * which later events in the same transaction advance. `title` must be checked already.
 */
export async function openDraft(tx: Db, actor: AuthUser, title: string, platform: Platform, now: Date): Promise<DraftRow> {
  const draft: DraftRow = {
    id: uuidv7(),
    title,
    platform,
    status: 'draft',
    ownerId: actor.id,
    ringHolderId: actor.id,
    segmentCount: 0,
    lastServerSeq: 0,
    createdAt: now,
    updatedAt: now,
    lastActivityAt: now,
  };
  await repo.insertDraft(tx, draft);
  await repo.insertMember(tx, { draftId: draft.id, userId: actor.id, role: 'owner', joinedAt: now });
  await recordEvent(tx, draft, { type: 'draft.created', payload: { title, platform }, actorId: actor.id }, now);
  return draft;
}

/** Creates a draft whose creator is owner and ring holder, with an optional first segment. */
export async function createDraft(deps: DraftsDeps, actor: AuthUser, input: CreateDraftBody): Promise<Draft> {
  const title = requireTitle(input.title);
  if (input.initialSegment !== undefined) requireContent(input.initialSegment, input.platform, 'body.initialSegment');
  const now = deps.clock.now();
  const transact = deps.transact ?? transaction(deps.db);
  return transact(async ({ tx, afterCommit }) => {
    await deps.enforce(tx, actor.id, 'drafts.max', now);
    const draft = await openDraft(tx, actor, title, input.platform, now);
    if (input.initialSegment !== undefined) {
      await insertSegmentWithEvent(tx, draft, actor, input.initialSegment, now);
    }
    afterCommit(() => announceCommitted(deps, draft.id, draft.lastServerSeq, [actor.id]));
    return loadDraftView(tx, draft);
  });
}

/** The draft's row, for a member of it; 404 otherwise. */
async function memberDraft(deps: DraftsDeps, actor: AuthUser, draftId: string): Promise<DraftRow> {
  const draft = await repo.findDraft(deps.db, draftId);
  if (!draft) throw errors.draftNotFound();
  assertMember(await repo.findMember(deps.db, draftId, actor.id));
  return draft;
}

export async function getDraft(deps: DraftsDeps, actor: AuthUser, draftId: string): Promise<Draft> {
  return loadDraftView(deps.db, await memberDraft(deps, actor, draftId));
}

/** The draft as a member opens it (`GET /v1/drafts/:id`), counted as a view at most once per 30 minutes. */
export async function viewDraft(deps: DraftsDeps, actor: AuthUser, draftId: string): Promise<Draft> {
  const draft = await memberDraft(deps, actor, draftId);
  const [view] = await Promise.all([loadDraftView(deps.db, draft), recordDraftView(deps.db, draftId, actor.id, deps.clock.now())]);
  return view;
}

/** 404 unless the user is an owner or collaborator of the draft (or when there is no such draft). */
export async function requireMember(deps: Pick<DraftsDeps, 'db'>, actor: AuthUser, draftId: string): Promise<void> {
  assertMember(await repo.findMember(deps.db, draftId, actor.id));
}

/** Summaries of the drafts I own or collaborate on, most recent activity first. */
export async function listDrafts(deps: DraftsDeps, actor: AuthUser, page: { limit: number; cursor?: string | undefined }): Promise<DraftSummaryPage> {
  const after = page.cursor ? decodeCursor(page.cursor) : null;
  const rows = await repo.listDraftSummaries(deps.db, actor.id, page.limit + 1, after);
  return pageOf(rows, page.limit, (d) => ({ at: d.lastActivityAt, id: d.id }), presentDraftSummary);
}

export async function renameDraft(deps: DraftsDeps, actor: AuthUser, draftId: string, rawTitle: string): Promise<Draft> {
  return changeDraft(deps, actor, draftId, async ({ tx, draft, member, now }) => {
    assertOwner(member);
    assertEditable(draft);
    const title = requireTitle(rawTitle);
    await recordEvent(tx, draft, { type: 'draft.renamed', payload: { title }, actorId: actor.id, draftChanges: { title } }, now);
    return loadDraftView(tx, draft);
  });
}

/** Publishes or archives: both end editing for good. */
export async function closeDraft(deps: DraftsDeps, actor: AuthUser, draftId: string, status: 'published' | 'archived'): Promise<Draft> {
  return changeDraft(deps, actor, draftId, async ({ tx, draft, member, now }) => {
    assertOwner(member);
    assertEditable(draft);
    await recordEvent(tx, draft, { type: `draft.${status}`, payload: { status }, actorId: actor.id, draftChanges: { status } }, now);
    return loadDraftView(tx, draft);
  });
}

/** Appends the next segment; only the ring holder may, positions stay dense under any concurrency. */
export async function appendSegment(deps: DraftsDeps, actor: AuthUser, draftId: string, content: string): Promise<Segment> {
  const now = deps.clock.now();
  const segment = newSegment(draftId, actor.id, content, now);
  const authorDisplay = displayNameOf(actor);
  const problems = segmentProblems(content);
  const transact = deps.transact ?? autocommit(deps.db);
  return transact(async ({ tx, afterCommit }) => {
    const outcome = await repo.appendSegmentAtomically(deps.database, tx, {
      segmentId: segment.id,
      draftId,
      authorId: actor.id,
      authorDisplay,
      content,
      acceptingPlatforms: PLATFORMS.filter((p) => problems[p] === null),
      now,
    });
    if (!outcome.found) throw errors.draftNotFound();
    if (!outcome.written) {
      // Nothing was written: explain why, in the order a reader expects.
      assertMember(outcome.role ? { role: outcome.role } : null);
      assertHoldsRing(outcome, actor.id);
      requireContent(content, outcome.platform as Platform);
      throw new Error('the append was refused for a reason the checks above do not know');
    }
    afterCommit(() => announceChange(deps, draftId, outcome.serverSeq));
    return presentSegment({ ...segment, position: outcome.position, authorName: actor.displayName });
  });
}

/** How the ring moves: `pass` (by its holder), `take` (by the owner) or `return` (to the owner when its holder leaves). */
type RingMove = { kind: RingMoveKind; fromUserId: string; toUserId: string };

async function moveRing(scope: DraftScope, move: RingMove, actorId: string): Promise<void> {
  const { tx, draft, now } = scope;
  const { kind, fromUserId, toUserId } = move;
  const lastMove = await repo.insertRingPass(tx, { id: uuidv7(), draftId: draft.id, fromUserId, toUserId, passedAt: now, kind });
  await recordEvent(
    tx,
    draft,
    {
      type: kind === 'take' ? 'ring.taken' : 'ring.passed',
      payload: { fromUserId, toUserId, passedAt: now.toISOString() },
      actorId,
      facts: { ringMove: { kind, heldSince: lastMove ?? draft.createdAt } },
      draftChanges: { ringHolderId: toUserId },
    },
    now,
  );
}

/** Passes the ring from its holder to another owner or collaborator. */
export async function passRing(deps: DraftsDeps, actor: AuthUser, draftId: string, toUserId: string) {
  return changeDraft(deps, actor, draftId, async (scope) => {
    assertHoldsRing(scope.draft, actor.id);
    if (toUserId === actor.id) throw errors.ringAlreadyHeld();
    if (!(await repo.findMember(scope.tx, draftId, toUserId))) throw errors.ringTargetNotMember();
    await moveRing(scope, { kind: 'pass', fromUserId: actor.id, toUserId }, actor.id);
    return { ringHolderId: toUserId, passedAt: scope.now.toISOString() };
  });
}

/** The owner takes the ring back from whoever holds it. */
export async function takeRing(deps: DraftsDeps, actor: AuthUser, draftId: string) {
  return changeDraft(deps, actor, draftId, async (scope) => {
    assertOwner(scope.member);
    assertEditable(scope.draft);
    if (scope.draft.ringHolderId === actor.id) throw errors.ringAlreadyYours();
    await moveRing(scope, { kind: 'take', fromUserId: scope.draft.ringHolderId, toUserId: actor.id }, actor.id);
    return { ringHolderId: actor.id, passedAt: scope.now.toISOString() };
  });
}

export async function ringHistory(
  deps: DraftsDeps,
  actor: AuthUser,
  draftId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<RingHistory> {
  assertMember(await repo.findMember(deps.db, draftId, actor.id));
  const after = page.cursor ? decodeCursor(page.cursor) : null;
  const rows = await repo.listRingPasses(deps.db, draftId, page.limit + 1, after);
  return pageOf(rows, page.limit, (p) => ({ at: p.passedAt, id: p.id }), presentRingPass);
}

/** Makes a user a collaborator of the scope's draft: through an invite accepted by them. */
export async function joinDraft(scope: DraftScope, user: { id: string; displayName: string | null }, actorId: string) {
  await repo.insertMember(scope.tx, { draftId: scope.draft.id, userId: user.id, role: 'collaborator', joinedAt: scope.now });
  return recordJoin(scope, user, actorId, 'invite');
}

/** Records a member who has just joined, and tells them once the transaction commits. */
async function recordJoin(scope: DraftScope, user: { id: string; displayName: string | null }, actorId: string, via: 'added' | 'invite') {
  const { tx, draft, now } = scope;
  scope.membershipChanges.push(user.id);
  await recordEvent(
    tx,
    draft,
    {
      type: 'collaborator.joined',
      payload: { userId: user.id, displayName: displayNameOf(user), role: 'collaborator', joinedAt: now.toISOString(), via },
      actorId,
    },
    now,
  );
  return { userId: user.id, displayName: displayNameOf(user), role: 'collaborator' as const, joinedAt: now.toISOString() };
}

/**
 * The owner adds someone directly, which needs no consent only from people who already share a draft with
 * them; everyone else joins through an invite they accept.
 */
export async function addCollaborator(deps: DraftsDeps, actor: AuthUser, draftId: string, userId: string) {
  return changeDraft(deps, actor, draftId, async (scope) => {
    assertOwner(scope.member);
    assertEditable(scope.draft);
    // Someone already on the draft is no new use: the count leaves them out, and the add answers 409.
    await deps.enforce(scope.tx, scope.draft.ownerId, 'collaborators.max', scope.now, { scope: { draftId, joiningUserId: userId } });
    const added = await repo.addAcquaintance(scope.tx, { draftId, actorId: actor.id, userId, now: scope.now });
    if (added.outcome !== 'added') throw added.outcome === 'already_member' ? errors.alreadyCollaborator() : errors.userNotFound();
    return recordJoin(scope, { id: userId, displayName: added.displayName }, actor.id, 'added');
  });
}

/** The owner removes a collaborator, or a collaborator leaves; a departing ring holder hands the ring back to the owner. */
export async function removeCollaborator(deps: DraftsDeps, actor: AuthUser, draftId: string, userId: string): Promise<void> {
  return changeDraft(deps, actor, draftId, async (scope) => {
    const { tx, draft, member, now } = scope;
    const leaving = userId === actor.id;
    if (!leaving) assertOwner(member);
    assertEditable(draft);
    const target = leaving ? member : await repo.findMember(tx, draftId, userId);
    if (!target) throw errors.collaboratorNotFound();
    if (target.role === 'owner') throw errors.ownerCannotLeave();
    await repo.deleteMember(tx, draftId, userId);
    scope.membershipChanges.push(userId);
    await recordEvent(tx, draft, { type: 'collaborator.left', payload: { userId, reason: leaving ? 'left' : 'removed' }, actorId: actor.id }, now);
    if (draft.ringHolderId === userId) await moveRing(scope, { kind: 'return', fromUserId: userId, toUserId: draft.ownerId }, actor.id);
  });
}

export async function attribution(deps: DraftsDeps, actor: AuthUser, draftId: string): Promise<Attribution> {
  assertMember(await repo.findMember(deps.db, draftId, actor.id));
  return presentAttribution(await contributions(deps.db, draftId));
}
