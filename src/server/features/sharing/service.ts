import type { PreviewDraft, ShareCard } from '../../../contract/analytics.js';
import type { Platform } from '../../../contract/constants.js';
import type { Db } from '../../db/client.js';
import type { DraftRow } from '../../db/schema/index.js';
import type { AuthUser } from '../../platform/auth.js';
import type { Clock } from '../../platform/clock.js';
import type { Transact } from '../../platform/unit-of-work.js';
import { draftNotFound } from '../drafts/errors.js';
import * as draftRepo from '../drafts/repo.js';
import { displayNameOf } from '../users/present.js';
import { buildShareCard, last24hStart, orderContributors, type CardMember, type DraftStatus } from './card.js';
import type { CardImages } from './renderer.js';
import * as repo from './repo.js';
import { anonymousViewer, recordShare, type Viewer } from './share-events.js';

export type SharingDeps = { db: Db; clock: Clock; publicUrl: string; images: CardImages; transact?: Transact };

/** Who asks: the signed-in user, if any, and what tells an anonymous visitor apart. */
export type Visitor = { user: AuthUser | null; ip: string; userAgent: string | null };

export function viewerOf(visitor: Visitor): Viewer {
  return visitor.user ? { userId: visitor.user.id } : anonymousViewer(visitor.ip, visitor.userAgent);
}

/** Page paths take any text; an id that is no UUID is answered like an unknown one, without a query. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The draft behind a share card: members always see it, everyone once it is published. Anyone else gets the
 * answer of a draft that does not exist, so an unpublished draft's id tells them nothing.
 */
async function sharedDraft(db: Db, draftId: string, user: AuthUser | null): Promise<{ draft: DraftRow; isMember: boolean }> {
  const draft = await draftRepo.findDraft(db, draftId);
  if (!draft) throw draftNotFound();
  const member = user ? await draftRepo.findMember(db, draftId, user.id) : undefined;
  if (!member && draft.status !== 'published') throw draftNotFound();
  return { draft, isMember: member !== undefined };
}

/** The draft's members with the names everyone sees. */
export async function membersOf(db: Db, draftId: string): Promise<CardMember[]> {
  const rows = await draftRepo.listMembers(db, [draftId]);
  return rows.map((m) => ({ userId: m.userId, displayName: displayNameOf({ id: m.userId, displayName: m.displayName }), role: m.role }));
}

async function cardOf(deps: SharingDeps, draft: DraftRow, now: Date, known?: CardMember[]) {
  const [members, ring] = await Promise.all([known ?? membersOf(deps.db, draft.id), repo.ringStats(deps.db, draft.id, now, last24hStart(now))]);
  return buildShareCard({
    draft: { id: draft.id, title: draft.title, platform: draft.platform as Platform, status: draft.status as DraftStatus, segmentCount: draft.segmentCount },
    members,
    ring,
    now,
    publicUrl: deps.publicUrl,
  });
}

/** A draft's share card; a fetch by someone who is not a member counts as a share. */
export async function shareCard(deps: SharingDeps, visitor: Visitor, draftId: string, now: Date): Promise<ShareCard> {
  const { draft, isMember } = await sharedDraft(deps.db, draftId, visitor.user);
  if (!isMember) await recordShare(deps.db, draft.id, 'share_card', viewerOf(visitor), deps.clock.now());
  return (await cardOf(deps, draft, now)).card;
}

/** What the PNG route needs: the image's content hash, whether anyone may cache it, and the image itself on demand. */
export type CardImageAnswer = { hash: string; isPublic: boolean; png: () => Promise<Buffer> };

/** A draft's share card image (see `shareCard`): the PNG is drawn only when the client lacks this version. */
export async function shareCardImage(deps: SharingDeps, visitor: Visitor, draftId: string, now: Date): Promise<CardImageAnswer> {
  const { draft, isMember } = await sharedDraft(deps.db, draftId, visitor.user);
  if (!isMember) await recordShare(deps.db, draft.id, 'share_card_image', viewerOf(visitor), deps.clock.now());
  const { image, hash } = await cardOf(deps, draft, now);
  return { hash, isPublic: draft.status === 'published', png: () => deps.images.png(hash, image) };
}

/** A draft as read-only pages show it: names and posts, no ids of people. */
export async function readableDraft(db: Db, draft: DraftRow, members: CardMember[]): Promise<PreviewDraft> {
  const segments = await draftRepo.listSegments(db, [draft.id]);
  return {
    title: draft.title,
    platform: draft.platform as Platform,
    status: draft.status as DraftStatus,
    contributors: orderContributors(members).map((p) => p.displayName),
    segments: segments.map((s) => ({ position: s.position, content: s.content, authorDisplay: displayNameOf({ id: s.authorId, displayName: s.authorName }) })),
    updatedAt: draft.updatedAt.toISOString(),
  };
}

/**
 * The public page of a published draft, or null for anything else (a draft in progress, an unknown or malformed
 * id): pages answer those alike. Every visit counts as a share; pages carry no sign-in.
 */
export async function publicPage(deps: SharingDeps, visitor: Visitor, id: string, now: Date): Promise<{ draft: PreviewDraft; card: ShareCard } | null> {
  if (!UUID.test(id)) return null;
  const draft = await draftRepo.findDraft(deps.db, id.toLowerCase());
  if (!draft || draft.status !== 'published') return null;
  await recordShare(deps.db, draft.id, 'public_page', viewerOf(visitor), deps.clock.now());
  const members = await membersOf(deps.db, draft.id);
  const [readable, { card }] = await Promise.all([readableDraft(deps.db, draft, members), cardOf(deps, draft, now, members)]);
  return { draft: readable, card };
}
