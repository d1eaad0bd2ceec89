import type { QueryClient } from '@tanstack/react-query';
import { applyEvent, type DraftEventPayloads } from '../../contract/apply-event.js';
import type { Draft, Invite, RingHistory, Segment } from '../../contract/drafts.js';
import type { DraftEvent, EventList } from '../../contract/events.js';
import { renumber } from '../../contract/thread-order.js';

/** The query keys of what the draft page shows; every one of them is kept current by the draft's events. */
export const draftKeys = {
  draft: (id: string) => ['draft', id] as const,
  comments: (id: string) => ['comments', id] as const,
  ring: (id: string) => ['ring', id] as const,
  invites: (id: string) => ['invites', id] as const,
  /** Counted by the server from its analytics events: read again after the events that change it. */
  analytics: (id: string) => ['analytics', id] as const,
};

export type InviteList = { items: Invite[]; nextCursor: string | null };

const payload = <T extends keyof DraftEventPayloads>(event: DraftEvent, _type: T) => event.payload as DraftEventPayloads[T];

/**
 * `applyEvent`, reconciled with what this page already showed from its own answers: the post it appended
 * (shown from the answer, before its event came) is moved to where the log puts it rather than doubled,
 * and an older edit's event does not undo a newer revision this page already shows.
 */
export function applyLiveEvent(draft: Draft, event: DraftEvent): Draft {
  if (event.serverSeq <= draft.lastServerSeq) return draft;
  if (event.type === 'segment.appended') {
    const { segment } = payload(event, 'segment.appended');
    return applyEvent({ ...draft, segments: draft.segments.filter((s) => s.id !== segment.id) }, event);
  }
  const next = applyEvent(draft, event);
  if (event.type !== 'segment.edited') return next;
  const { segmentId, after } = payload(event, 'segment.edited');
  const shown = draft.segments.find((s) => s.id === segmentId);
  if (!shown || shown.revision <= after.revision) return next;
  return { ...next, segments: next.segments.map((s) => (s.id === segmentId ? shown : s)) };
}

/**
 * What this page's own answers change at once, before their events arrive. None of them moves
 * `lastServerSeq`: only the log does, so `since` and the gap check stay exact.
 */
export const localChange = {
  appended: (draft: Draft, segment: Segment): Draft =>
    draft.segments.some((s) => s.id === segment.id) ? draft : { ...draft, segments: [...draft.segments, { ...segment, position: draft.segments.length }] },
  edited: (draft: Draft, segment: Segment): Draft => ({
    ...draft,
    segments: draft.segments.map((s) => (s.id === segment.id && s.revision < segment.revision ? { ...segment, position: s.position } : s)),
  }),
  deleted: (draft: Draft, segmentId: string): Draft => ({ ...draft, segments: renumber(draft.segments.filter((s) => s.id !== segmentId)) }),
  ringMoved: (draft: Draft, ringHolderId: string): Draft => ({ ...draft, ringHolderId }),
  left: (draft: Draft, userId: string): Draft => ({ ...draft, collaborators: draft.collaborators.filter((c) => c.userId !== userId) }),
  /** A whole draft answered by the server, taken unless the page already shows a later point of the log. */
  answered: (draft: Draft | undefined, answer: Draft): Draft => (!draft || answer.lastServerSeq >= draft.lastServerSeq ? answer : draft),
};

/** Comments in log order, each once however often it arrives (the load, a replay, the answer to its send). */
export function withComment(list: EventList, event: DraftEvent): EventList {
  if (list.events.some((e) => e.serverSeq === event.serverSeq)) return list;
  const events = [...list.events, event].sort((a, b) => a.serverSeq - b.serverSeq);
  return { events, lastServerSeq: Math.max(list.lastServerSeq, event.serverSeq) };
}

/** The ring history with one more move (oldest first, as the API lists it), unless it is already there. */
export function withRingMove(history: RingHistory, event: DraftEvent, draft: Draft): RingHistory {
  const { fromUserId, toUserId, passedAt } = payload(event, 'ring.passed');
  if (history.items.some((m) => m.passedAt === passedAt && m.to.userId === toUserId)) return history;
  const person = (userId: string) => ({ userId, displayName: draft.collaborators.find((c) => c.userId === userId)?.displayName ?? 'Someone' });
  const move = { from: fromUserId ? person(fromUserId) : null, to: person(toUserId), passedAt, kind: event.type === 'ring.taken' ? ('take' as const) : ('pass' as const) };
  return { ...history, items: [...history.items, move] };
}

/** The invites (newest first) after an invite was created or revoked. */
export function withInviteEvent(list: InviteList, event: DraftEvent): InviteList {
  if (event.type === 'invite.revoked') {
    const { inviteId } = payload(event, 'invite.revoked');
    return { ...list, items: list.items.map((i) => (i.id === inviteId ? { ...i, status: 'revoked' as const } : i)) };
  }
  const { inviteId, expiresAt } = payload(event, 'invite.created');
  if (list.items.some((i) => i.id === inviteId)) return list;
  return { ...list, items: [{ id: inviteId, createdAt: event.createdAt, expiresAt, status: 'pending' }, ...list.items] };
}

/** The draft events that record an analytics event (posts, edits, ring moves, publishing), so change its figures. */
const COUNTED = new Set<string>([
  'segment.appended',
  'segment.edited',
  'segment.deleted',
  'ring.passed',
  'ring.taken',
  'collaborator.left',
  'draft.published',
]);

/**
 * Folds the draft's events into the page's queries, without reading any of them again, except where an
 * event cannot say enough: who left with the ring (its move is a `return`) and which invite a joiner used.
 */
export class DraftCache {
  private resyncing = false;
  /** The server's log was found behind this page's copy: until the draft is read again, resume from its start. */
  private restarting = false;
  private held: DraftEvent[] = [];
  private stale = new Set<'ring' | 'invites' | 'analytics'>();
  private staleTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly queryClient: QueryClient,
    private readonly draftId: string,
    private readonly readDraft: (id: string) => Promise<Draft>,
  ) {}

  /** Where the page's draft stands in the log: what the live channel resumes after. */
  since(): number {
    if (this.restarting) return 0;
    return this.queryClient.getQueryData<Draft>(draftKeys.draft(this.draftId))?.lastServerSeq ?? 0;
  }

  /**
   * Takes one event of the log (live, replayed, or the answer to this page's own request). Events come
   * in order; one that skips past the next expected number means something was missed, and the draft is
   * read again (the events that arrive meanwhile are held and applied after).
   */
  receive(event: DraftEvent): void {
    if (this.resyncing) return void this.held.push(event);
    const draft = this.queryClient.getQueryData<Draft>(draftKeys.draft(this.draftId));
    if (!draft || event.serverSeq > draft.lastServerSeq + 1) return this.resync(event);
    this.queryClient.setQueryData(draftKeys.draft(this.draftId), applyLiveEvent(draft, event));
    this.updateLists(event, draft);
  }

  /**
   * Reads the draft again, then applies what arrived meanwhile; `force` takes it even when it is behind this
   * page's copy (the server's log was restored to an earlier point). If the read fails, the held events are
   * dropped: the next event finds the same gap and tries again, and a reconnect replays them anyway.
   */
  resync(first?: DraftEvent, force = false): void {
    this.resyncing = true;
    this.restarting ||= force;
    if (first) this.held.push(first);
    const key = draftKeys.draft(this.draftId);
    void this.readDraft(this.draftId)
      .then((draft) => {
        this.queryClient.setQueryData<Draft>(key, (shown) => (force ? draft : localChange.answered(shown, draft)));
        if (force) for (const list of [draftKeys.comments, draftKeys.ring, draftKeys.invites, draftKeys.analytics]) void this.queryClient.invalidateQueries({ queryKey: list(this.draftId) });
        return true;
      })
      .catch(() => false)
      .then((read) => {
        const held = this.held.sort((a, b) => a.serverSeq - b.serverSeq);
        this.held = [];
        this.resyncing = false;
        if (read) this.restarting = false;
        const draft = this.queryClient.getQueryData<Draft>(key);
        if (!read || !draft) return;
        for (const event of held) {
          if (event.serverSeq <= draft.lastServerSeq) this.updateLists(event, draft);
          else this.receive(event);
        }
      });
  }

  /** Comments, ring moves and invites: each list takes the event whatever the draft's copy already shows. */
  private updateLists(event: DraftEvent, draft: Draft): void {
    const id = this.draftId;
    if (COUNTED.has(event.type)) this.markStale('analytics');
    if (event.type === 'comment.added') this.update<EventList>(draftKeys.comments(id), (list) => withComment(list, event));
    else if (event.type === 'ring.passed' || event.type === 'ring.taken') this.update<RingHistory>(draftKeys.ring(id), (h) => withRingMove(h, event, draft));
    else if (event.type === 'invite.created' || event.type === 'invite.revoked') this.update<InviteList>(draftKeys.invites(id), (l) => withInviteEvent(l, event));
    else if (event.type === 'collaborator.left') this.markStale('ring');
    else if (event.type === 'collaborator.joined' && payload(event, 'collaborator.joined').via === 'invite') this.markStale('invites');
  }

  /** A list still loading may have been read before the event: it is read again rather than missing it. */
  private update<T>(key: readonly unknown[], change: (value: T) => T): void {
    if (this.queryClient.getQueryData<T>(key) === undefined) void this.queryClient.invalidateQueries({ queryKey: key });
    else this.queryClient.setQueryData<T>(key, (value) => (value === undefined ? value : change(value)));
  }

  /** A replay may bring many such events at once: the list is read once after them. */
  private markStale(list: 'ring' | 'invites' | 'analytics'): void {
    this.stale.add(list);
    this.staleTimer ??= setTimeout(() => {
      this.staleTimer = null;
      for (const name of this.stale) void this.queryClient.invalidateQueries({ queryKey: draftKeys[name](this.draftId) });
      this.stale.clear();
    }, 100);
  }

  stop(): void {
    if (this.staleTimer) clearTimeout(this.staleTimer);
  }
}
