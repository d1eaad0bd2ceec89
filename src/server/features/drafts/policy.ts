import type { DraftMemberRow, DraftRow } from '../../db/schema/index.js';
import * as errors from './errors.js';

export type Membership = Pick<DraftMemberRow, 'role'>;

/** Only members see a draft; everyone else gets the same 404 as for a draft that does not exist. */
export function assertMember(member: Membership | null | undefined): asserts member is Membership {
  if (!member) throw errors.draftNotFound();
}

export function isOwner(member: Membership): boolean {
  return member.role === 'owner';
}

export function assertOwner(member: Membership): void {
  if (!isOwner(member)) throw errors.ownerRequired();
}

/** Published and archived drafts are read-only. */
export function assertEditable(draft: Pick<DraftRow, 'status'>): void {
  if (draft.status !== 'draft') throw errors.draftNotEditable(draft.status);
}

/** Appending (by a member) needs an editable draft and the ring. */
export function assertHoldsRing(draft: Pick<DraftRow, 'status' | 'ringHolderId'>, userId: string): void {
  assertEditable(draft);
  if (draft.ringHolderId !== userId) throw errors.ringRequired();
}
