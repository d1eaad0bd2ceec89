import type { Attribution, Collaborator, Draft, DraftSummary, RingHistory, Segment, SegmentRevision } from '../../../contract/drafts.js';
import type { DraftEvent } from '../../../contract/events.js';
import type { DraftRow } from '../../db/schema/index.js';
import { displayNameOf } from '../users/present.js';
import type { EventView } from '../events/log.js';
import { openingWords } from './content.js';
import type { RevisionView } from './edits-repo.js';
import type { ContributionRow } from './attribution-repo.js';
import type { DraftSummaryRow, MemberView, RingPassView, SegmentView } from './repo.js';

export function presentCollaborator(m: MemberView): Collaborator {
  return {
    userId: m.userId,
    displayName: displayNameOf({ id: m.userId, displayName: m.displayName }),
    role: m.role as Collaborator['role'],
    joinedAt: m.joinedAt.toISOString(),
  };
}

export function presentSegment(s: SegmentView): Segment {
  return {
    id: s.id,
    position: s.position,
    content: s.content,
    authorId: s.authorId,
    authorDisplay: displayNameOf({ id: s.authorId, displayName: s.authorName }),
    createdAt: s.createdAt.toISOString(),
    revision: s.revision,
    editedAt: s.editedAt?.toISOString() ?? null,
  };
}

export function presentRevision(r: RevisionView): SegmentRevision {
  return {
    revision: r.revision,
    content: r.content,
    author: { userId: r.writtenBy, displayName: displayNameOf({ id: r.writtenBy, displayName: r.writtenByName }) },
    writtenAt: r.writtenAt.toISOString(),
  };
}

export function presentDraft(draft: DraftRow, members: MemberView[], segments: SegmentView[]): Draft {
  return {
    id: draft.id,
    title: draft.title,
    platform: draft.platform as Draft['platform'],
    status: draft.status as Draft['status'],
    ownerId: draft.ownerId,
    ringHolderId: draft.ringHolderId,
    collaborators: members.map(presentCollaborator),
    segments: segments.map(presentSegment),
    lastServerSeq: draft.lastServerSeq,
    createdAt: draft.createdAt.toISOString(),
    updatedAt: draft.updatedAt.toISOString(),
  };
}

export function presentDraftSummary(row: DraftSummaryRow): DraftSummary {
  return {
    id: row.id,
    title: row.title,
    platform: row.platform as DraftSummary['platform'],
    status: row.status as DraftSummary['status'],
    role: row.role as DraftSummary['role'],
    ringHolder: { userId: row.ringHolderId, displayName: displayNameOf({ id: row.ringHolderId, displayName: row.ringHolderName }) },
    segmentCount: row.segmentCount,
    memberCount: row.memberCount,
    openingWords: row.opening === null ? '' : openingWords(row.opening, row.openingCutShort),
    lastServerSeq: row.lastServerSeq,
    lastActivityAt: row.lastActivityAt.toISOString(),
  };
}

export function presentEvent(e: EventView): DraftEvent {
  return {
    serverSeq: e.serverSeq,
    type: e.type,
    payload: e.payload as Record<string, unknown>,
    actor: e.actorId ? { userId: e.actorId, displayName: displayNameOf({ id: e.actorId, displayName: e.actorName }) } : null,
    ...(e.clientId !== null ? { clientId: e.clientId } : {}),
    ...(e.clientSeq !== null ? { clientSeq: e.clientSeq } : {}),
    createdAt: e.createdAt.toISOString(),
  };
}

export function presentRingPass(p: RingPassView): RingHistory['items'][number] {
  return {
    from: p.fromUserId ? { userId: p.fromUserId, displayName: displayNameOf({ id: p.fromUserId, displayName: p.fromName }) } : null,
    to: { userId: p.toUserId, displayName: displayNameOf({ id: p.toUserId, displayName: p.toName }) },
    passedAt: p.passedAt.toISOString(),
    kind: p.kind as RingHistory['items'][number]['kind'],
  };
}

export function presentAttribution(rows: ContributionRow[]): Attribution {
  return {
    contributors: rows.map((r) => ({
      userId: r.userId,
      displayName: displayNameOf({ id: r.userId, displayName: r.displayName }),
      segments: r.segments,
      edits: r.edits,
      firstContributionAt: r.first.toISOString(),
      lastContributionAt: r.last.toISOString(),
    })),
  };
}
