import { v7 as uuidv7 } from 'uuid';
import { INVITE_DEFAULT_HOURS } from '../../../contract/constants.js';
import type { Draft, Invite, InvitePreview } from '../../../contract/drafts.js';
import type { DraftRow, InviteRow } from '../../db/schema/index.js';
import type { AuthUser } from '../../platform/auth.js';
import { decodeCursor, pageOf } from '../../platform/cursor.js';
import { transaction, type Unit } from '../../platform/unit-of-work.js';
import { AppError, ConflictError, NotFoundError } from '../../platform/errors.js';
import { hashToken, randomToken } from '../auth/secrets.js';
import * as draftErrors from '../drafts/errors.js';
import { assertEditable, assertOwner } from '../drafts/policy.js';
import * as draftRepo from '../drafts/repo.js';
import { announceCommitted, changeDraft, joinDraft, loadDraftView, type DraftsDeps } from '../drafts/service.js';
import { recordEvent } from '../events/log.js';
import { findUserById } from '../users/repo.js';
import { displayNameOf } from '../users/present.js';
import * as repo from './repo.js';

export type InvitesDeps = DraftsDeps & { publicUrl: string };

export const inviteNotFound = () => new NotFoundError('invite_not_found', 'This invite link is not valid.');
export const inviteExpired = () => new AppError(410, 'invite_expired', 'This invite has expired; ask for a new one.');
export const inviteUsed = () => new AppError(410, 'invite_used', 'This invite was already used or withdrawn; ask for a new one.');
export const inviteNotPending = () => new ConflictError('invite_not_pending', 'Only a pending invite can be revoked.');

export function inviteStatus(invite: InviteRow, now: Date): Invite['status'] {
  if (invite.acceptedBy) return 'accepted';
  if (invite.revokedAt) return 'revoked';
  if (invite.expiresAt <= now) return 'expired';
  return 'pending';
}

function presentInvite(invite: InviteRow, now: Date): Invite {
  return { id: invite.id, createdAt: invite.createdAt.toISOString(), expiresAt: invite.expiresAt.toISOString(), status: inviteStatus(invite, now) };
}

/** Creates a one-time invite (owner only); the token is answered this once and stored only as a hash. */
export async function createInvite(deps: InvitesDeps, actor: AuthUser, draftId: string, expiresInHours = INVITE_DEFAULT_HOURS) {
  return changeDraft(deps, actor, draftId, async ({ tx, draft, member, now }) => {
    assertOwner(member);
    assertEditable(draft);
    const token = randomToken(24);
    const invite: InviteRow = {
      id: uuidv7(),
      draftId,
      tokenHash: hashToken(token),
      createdBy: actor.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + expiresInHours * 60 * 60 * 1000),
      revokedAt: null,
      acceptedBy: null,
      acceptedAt: null,
    };
    await repo.insertInvite(tx, invite);
    await recordEvent(tx, draft, { type: 'invite.created', payload: { inviteId: invite.id, expiresAt: invite.expiresAt.toISOString() }, actorId: actor.id }, now);
    return { id: invite.id, token, url: `${deps.publicUrl}/ref/${token}`, expiresAt: invite.expiresAt.toISOString() };
  });
}

export async function listInvites(deps: InvitesDeps, actor: AuthUser, draftId: string, page: { limit: number; cursor?: string | undefined }) {
  const member = await draftRepo.findMember(deps.db, draftId, actor.id);
  if (!member) throw draftErrors.draftNotFound();
  assertOwner(member);
  const rows = await repo.listInvites(deps.db, draftId, page.limit + 1, page.cursor ? decodeCursor(page.cursor) : null);
  const now = deps.clock.now();
  return pageOf(
    rows,
    page.limit,
    (i) => ({ at: i.createdAt, id: i.id }),
    (i) => presentInvite(i, now),
  );
}

export async function revokeInvite(deps: InvitesDeps, actor: AuthUser, draftId: string, inviteId: string): Promise<void> {
  await changeDraft(deps, actor, draftId, async ({ tx, draft, member, now }) => {
    assertOwner(member);
    const invite = await repo.findInvite(tx, draftId, inviteId);
    if (!invite) throw inviteNotFound();
    if (inviteStatus(invite, now) !== 'pending') throw inviteNotPending();
    await repo.revokeInvite(tx, inviteId, now);
    await recordEvent(tx, draft, { type: 'invite.revoked', payload: { inviteId }, actorId: actor.id }, now);
  });
}

function assertUsable(invite: InviteRow, now: Date): void {
  const status = inviteStatus(invite, now);
  if (status === 'accepted' || status === 'revoked') throw inviteUsed();
  if (status === 'expired') throw inviteExpired();
}

/** What a visitor may see before accepting: the draft title and who invited them, nothing else. */
export async function previewInvite(deps: InvitesDeps, token: string): Promise<InvitePreview> {
  const invite = await repo.findInviteByHash(deps.db, hashToken(token));
  if (!invite) throw inviteNotFound();
  assertUsable(invite, deps.clock.now());
  const [draft, inviter] = await Promise.all([draftRepo.findDraft(deps.db, invite.draftId), findUserById(deps.db, invite.createdBy)]);
  if (!draft || !inviter) throw inviteNotFound();
  return { title: draft.title, inviterDisplayName: displayNameOf(inviter) };
}

/** Consumes the invite and adds the actor, unless they accepted it before or are a member anyway. */
async function joinThrough(deps: InvitesDeps, { tx, afterCommit }: Unit, invite: InviteRow, draft: DraftRow, actor: AuthUser): Promise<void> {
  const now = deps.clock.now();
  const isMember = (await draftRepo.findMember(tx, draft.id, actor.id)) !== undefined;
  // Accepting again answers the draft again only while the person is still on it: someone removed since
  // cannot read the draft through the invite they once used.
  if (invite.acceptedBy === actor.id) {
    if (!isMember) throw inviteUsed();
    return;
  }
  assertUsable(invite, now);
  if (isMember) return;
  assertEditable(draft);
  await deps.enforce(tx, draft.ownerId, 'collaborators.max', now, { scope: { draftId: draft.id, joiningUserId: actor.id }, holder: 'draft owner' });
  if (!(await repo.markAccepted(tx, invite.id, actor.id, now))) throw inviteUsed();
  const membershipChanges: string[] = [];
  await joinDraft({ tx, draft, member: { role: 'collaborator' }, now, membershipChanges }, actor, actor.id);
  afterCommit(() => announceCommitted(deps, draft.id, draft.lastServerSeq, membershipChanges));
}

/**
 * Joins the draft through an invite and consumes it. Accepting again as the same person answers the draft
 * again; a member (such as the owner) following the link changes nothing and leaves the invite pending.
 */
export async function acceptInvite(deps: InvitesDeps, actor: AuthUser, token: string): Promise<Draft> {
  const transact = deps.transact ?? transaction(deps.db);
  return transact(async (unit) => {
    const found = await repo.findInviteByHash(unit.tx, hashToken(token));
    if (!found) throw inviteNotFound();
    const draft = await draftRepo.lockDraft(unit.tx, found.draftId);
    if (!draft) throw inviteNotFound();
    const invite = (await repo.findInvite(unit.tx, draft.id, found.id))!;
    await joinThrough(deps, unit, invite, draft, actor);
    return loadDraftView(unit.tx, draft);
  });
}
