/**
 * Usage counted from the collaboration log (`draft_events`) by pure reducers. The tables that project the
 * log (`drafts.status`, `drafts.owner_id`, `draft_members`) serve the reads in repo.ts; a test replays real
 * histories and checks both agree.
 */

/** A logged draft event, as far as usage needs it. */
export type UsageEvent = { draftId: string; type: string; payload: Record<string, unknown>; actorId: string | null };

/** One draft as its log tells it: who owns it, whether it is archived, who writes with its owner. */
export type DraftUsage = { ownerId: string; archived: boolean; collaborators: ReadonlySet<string> };

/** Applies one event to the drafts seen so far (a draft's events come in log order). */
function apply(drafts: Map<string, DraftUsage>, event: UsageEvent): void {
  if (event.type === 'draft.created') {
    if (event.actorId !== null) drafts.set(event.draftId, { ownerId: event.actorId, archived: false, collaborators: new Set() });
    return;
  }
  const draft = drafts.get(event.draftId);
  if (!draft) return;
  if (event.type === 'draft.archived') drafts.set(event.draftId, { ...draft, archived: true });
  const userId = typeof event.payload.userId === 'string' ? event.payload.userId : null;
  if (userId === null || userId === draft.ownerId) return;
  if (event.type !== 'collaborator.joined' && event.type !== 'collaborator.left') return;
  const collaborators = new Set(draft.collaborators);
  if (event.type === 'collaborator.joined') collaborators.add(userId);
  else collaborators.delete(userId);
  drafts.set(event.draftId, { ...draft, collaborators });
}

/** Every draft of a log (each draft's events in order; drafts may interleave). */
export function reduceUsage(events: Iterable<UsageEvent>): Map<string, DraftUsage> {
  const drafts = new Map<string, DraftUsage>();
  for (const event of events) apply(drafts, event);
  return drafts;
}

/** `drafts.max`: the drafts a user owns that are not archived. */
export function draftsInUse(drafts: ReadonlyMap<string, DraftUsage>, ownerId: string): number {
  let count = 0;
  for (const draft of drafts.values()) if (draft.ownerId === ownerId && !draft.archived) count++;
  return count;
}

/** `collaborators.max` on one draft: the people writing on it besides its owner. */
export function collaboratorsOn(drafts: ReadonlyMap<string, DraftUsage>, draftId: string): number {
  return drafts.get(draftId)?.collaborators.size ?? 0;
}

/** `collaborators.max` as a user's status shows it: the most on any one of their drafts in use. */
export function mostCollaborators(drafts: ReadonlyMap<string, DraftUsage>, ownerId: string): number {
  let most = 0;
  for (const draft of drafts.values()) if (draft.ownerId === ownerId && !draft.archived) most = Math.max(most, draft.collaborators.size);
  return most;
}
