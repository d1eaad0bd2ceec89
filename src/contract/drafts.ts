import { z } from 'zod';
import { pageOf } from './common.js';
import { INVITE_MAX_HOURS, INVITE_MIN_HOURS, PLATFORMS, type Platform } from './constants.js';

export const PlatformSchema = z.enum(PLATFORMS as [Platform, ...Platform[]]);
export const DraftStatusSchema = z.enum(['draft', 'published', 'archived']);
export const DraftRoleSchema = z.enum(['owner', 'collaborator']);

export const PersonSchema = z.object({ userId: z.uuid(), displayName: z.string() });
export type Person = z.infer<typeof PersonSchema>;

export const CollaboratorSchema = z.object({
  userId: z.uuid(),
  displayName: z.string(),
  role: DraftRoleSchema,
  joinedAt: z.iso.datetime(),
});
export type Collaborator = z.infer<typeof CollaboratorSchema>;

export const SegmentSchema = z.object({
  id: z.uuid(),
  position: z.number().int(),
  content: z.string(),
  authorId: z.uuid(),
  authorDisplay: z.string(),
  createdAt: z.iso.datetime(),
  /** 1 when written, +1 per edit: what `If-Match` names to edit or delete it. */
  revision: z.number().int().min(1),
  /** When the text last changed after it was written; null while it never has. */
  editedAt: z.iso.datetime().nullable(),
});
export type Segment = z.infer<typeof SegmentSchema>;

export const DraftSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  platform: PlatformSchema,
  status: DraftStatusSchema,
  ownerId: z.uuid(),
  ringHolderId: z.uuid(),
  collaborators: z.array(CollaboratorSchema),
  segments: z.array(SegmentSchema),
  lastServerSeq: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Draft = z.infer<typeof DraftSchema>;

/** A draft as `GET /v1/drafts` lists it: enough for a list row, without the segments. */
export const DraftSummarySchema = z.object({
  id: z.uuid(),
  title: z.string(),
  platform: PlatformSchema,
  status: DraftStatusSchema,
  /** The caller's role in this draft. */
  role: DraftRoleSchema,
  ringHolder: PersonSchema,
  segmentCount: z.number().int(),
  memberCount: z.number().int(),
  /** The first segment on one line, cut after a whole word and ended with "…" past 140 characters; "" with no segment. */
  openingWords: z.string(),
  lastServerSeq: z.number().int(),
  lastActivityAt: z.iso.datetime(),
});
export type DraftSummary = z.infer<typeof DraftSummarySchema>;
export const DraftSummaryPageSchema = pageOf(DraftSummarySchema);
export type DraftSummaryPage = z.infer<typeof DraftSummaryPageSchema>;

const TitleSchema = z.string().max(1000);
const ContentSchema = z.string().max(20_000);

export const CreateDraftBodySchema = z
  .object({ title: TitleSchema, platform: PlatformSchema, initialSegment: ContentSchema.optional() })
  .strict();
export type CreateDraftBody = z.infer<typeof CreateDraftBodySchema>;

export const RenameDraftBodySchema = z.object({ title: TitleSchema }).strict();
export const AppendSegmentBodySchema = z.object({ content: ContentSchema }).strict();
export const EditSegmentBodySchema = z.object({ content: ContentSchema }).strict();
/** Every segment id of the draft, once each, in the new order. */
export const ReorderSegmentsBodySchema = z.object({ order: z.array(z.uuid()) }).strict();

/** The thread's order as a stale reorder's `412` names it (`current`). */
export const ThreadOrderSchema = z.object({ lastServerSeq: z.number().int(), order: z.array(z.uuid()) });
export type ThreadOrder = z.infer<typeof ThreadOrderSchema>;

/** One version of a segment's text: who wrote it and when (revision 1 is the text as appended). */
export const SegmentRevisionSchema = z.object({
  revision: z.number().int().min(1),
  content: z.string(),
  author: PersonSchema,
  writtenAt: z.iso.datetime(),
});
export type SegmentRevision = z.infer<typeof SegmentRevisionSchema>;
export const SegmentRevisionPageSchema = pageOf(SegmentRevisionSchema);
export type SegmentRevisionPage = z.infer<typeof SegmentRevisionPageSchema>;
export const PassRingBodySchema = z.object({ toUserId: z.uuid() }).strict();
export const PassRingResultSchema = z.object({ ringHolderId: z.uuid(), passedAt: z.iso.datetime() });
export const AddCollaboratorBodySchema = z.object({ userId: z.uuid() }).strict();

/** `pass`: the holder handed it on; `take`: the owner took it back; `return`: it went back to the owner when its holder left. */
export const RingMoveKindSchema = z.enum(['pass', 'take', 'return']);
export type RingMoveKind = z.infer<typeof RingMoveKindSchema>;
export const RingPassSchema = z.object({ from: PersonSchema.nullable(), to: PersonSchema, passedAt: z.iso.datetime(), kind: RingMoveKindSchema });
export const RingHistorySchema = pageOf(RingPassSchema);
export type RingHistory = z.infer<typeof RingHistorySchema>;

export const AttributionSchema = z.object({
  contributors: z.array(
    z.object({
      userId: z.uuid(),
      displayName: z.string(),
      /** Segments of the thread as it stands that they appended. */
      segments: z.number().int(),
      /** Edits they made to segments of the thread as it stands (the author keeps the segment). */
      edits: z.number().int(),
      firstContributionAt: z.iso.datetime(),
      lastContributionAt: z.iso.datetime(),
    }),
  ),
});
export type Attribution = z.infer<typeof AttributionSchema>;

export const CreateInviteBodySchema = z
  .object({ expiresInHours: z.number().int().min(INVITE_MIN_HOURS).max(INVITE_MAX_HOURS).optional() })
  .strict();
export const CreatedInviteSchema = z.object({ id: z.uuid(), token: z.string(), url: z.string(), expiresAt: z.iso.datetime() });
export const InviteStatusSchema = z.enum(['pending', 'accepted', 'revoked', 'expired']);
export const InviteSchema = z.object({ id: z.uuid(), createdAt: z.iso.datetime(), expiresAt: z.iso.datetime(), status: InviteStatusSchema });
export type Invite = z.infer<typeof InviteSchema>;
export const InvitePageSchema = pageOf(InviteSchema);
export const InvitePreviewSchema = z.object({ title: z.string(), inviterDisplayName: z.string() });
export type InvitePreview = z.infer<typeof InvitePreviewSchema>;
export const AcceptInviteBodySchema = z.object({ token: z.string().min(1).max(200) }).strict();
