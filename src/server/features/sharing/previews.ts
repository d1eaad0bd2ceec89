import { v7 as uuidv7 } from 'uuid';
import type { CreatedPreviewLink, PreviewDraft, PreviewLink } from '../../../contract/analytics.js';
import type { Db } from '../../db/client.js';
import type { PreviewLinkRow } from '../../db/schema/index.js';
import type { AuthUser } from '../../platform/auth.js';
import { decodeCursor, pageOf } from '../../platform/cursor.js';
import { transaction } from '../../platform/unit-of-work.js';
import { hashToken, randomToken } from '../auth/secrets.js';
import { draftNotFound } from '../drafts/errors.js';
import { assertMember, assertOwner } from '../drafts/policy.js';
import * as draftRepo from '../drafts/repo.js';
import { previewLinkNotFound } from './errors.js';
import * as repo from './repo.js';
import { membersOf, readableDraft, viewerOf, type SharingDeps, type Visitor } from './service.js';
import { recordShare } from './share-events.js';

/** The web address of a preview link. */
export const previewUrl = (publicUrl: string, token: string) => `${publicUrl}/s/${token}`;

export function presentPreviewLink(row: PreviewLinkRow): PreviewLink {
  return {
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    opens: row.opens,
    lastOpenedAt: row.lastOpenedAt?.toISOString() ?? null,
  };
}

/** Preview links are the owner's to manage: 404 for people off the draft, 403 for its collaborators. */
async function assertLinkOwner(db: Db, draftId: string, actor: AuthUser): Promise<void> {
  const member = await draftRepo.findMember(db, draftId, actor.id);
  assertMember(member);
  assertOwner(member);
}

/** Creates a secret read-only link to the draft; the token is answered this once and stored only as a hash. */
export async function createPreviewLink(deps: SharingDeps, actor: AuthUser, draftId: string): Promise<CreatedPreviewLink> {
  const transact = deps.transact ?? transaction(deps.db);
  return transact(async ({ tx }) => {
    await assertLinkOwner(tx, draftId, actor);
    const token = randomToken(24);
    const row: PreviewLinkRow = {
      id: uuidv7(),
      draftId,
      tokenHash: hashToken(token),
      createdBy: actor.id,
      createdAt: deps.clock.now(),
      revokedAt: null,
      opens: 0,
      lastOpenedAt: null,
    };
    await repo.insertPreviewLink(tx, row);
    return { ...presentPreviewLink(row), token, url: previewUrl(deps.publicUrl, token) };
  });
}

/** The draft's preview links, newest first, with how often each was opened (never their tokens). */
export async function listPreviewLinks(deps: SharingDeps, actor: AuthUser, draftId: string, page: { limit: number; cursor?: string | undefined }) {
  await assertLinkOwner(deps.db, draftId, actor);
  const rows = await repo.listPreviewLinks(deps.db, draftId, page.limit + 1, page.cursor ? decodeCursor(page.cursor) : null);
  return pageOf(rows, page.limit, (l) => ({ at: l.createdAt, id: l.id }), presentPreviewLink);
}

/** Withdraws a link for good; revoking it again changes nothing. */
export async function revokePreviewLink(deps: SharingDeps, actor: AuthUser, draftId: string, linkId: string): Promise<void> {
  const transact = deps.transact ?? transaction(deps.db);
  await transact(async ({ tx }) => {
    await assertLinkOwner(tx, draftId, actor);
    if (!(await repo.revokePreviewLink(tx, draftId, linkId, deps.clock.now()))) throw previewLinkNotFound();
  });
}

/**
 * Opens a preview link: counts the open, records a share when the visitor is not a member, and answers the
 * draft read-only; null for an unknown or revoked token.
 */
export async function openPreview(deps: SharingDeps, visitor: Visitor, token: string): Promise<PreviewDraft | null> {
  return transaction(deps.db)(async ({ tx }) => {
    const now = deps.clock.now();
    const draftId = await repo.openPreviewLink(tx, hashToken(token), now);
    if (!draftId) return null;
    const draft = await draftRepo.findDraft(tx, draftId);
    if (!draft) throw draftNotFound();
    const member = visitor.user ? await draftRepo.findMember(tx, draftId, visitor.user.id) : undefined;
    if (!member) await recordShare(tx, draftId, 'preview_link', viewerOf(visitor), now);
    return readableDraft(tx, draft, await membersOf(tx, draftId));
  });
}
