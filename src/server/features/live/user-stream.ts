import type { AuthUser } from '../../platform/auth.js';
import { findDraft, findMember, listMemberDraftIds } from '../drafts/repo.js';
import { draftTopic, userTopic } from '../drafts/service.js';
import { CLOSE } from './close-codes.js';
import { LiveSocket } from './socket.js';

/**
 * One client on `/v1/me/live`, the drafts list's channel. It tells the client *that* one of its drafts
 * changed (`changed`, with the new end of its log) or that it left one (`removed`); the list itself is read
 * over HTTP, so a client that reconnects only has to read it again. It follows the doorbell of every draft
 * the user belongs to, and the user's own topic for drafts joined or left while connected.
 */
export class UserStream extends LiveSocket {
  private readonly followed = new Map<string, () => Promise<void>>();
  /** The end of each draft's log last told to the client. */
  private readonly lastSent = new Map<string, number>();
  private unsubscribeUser: (() => Promise<void>) | null = null;
  /** Changes before `ready` are in the list the client reads after it. */
  private ready = false;

  protected async start(user: AuthUser): Promise<void> {
    const unsubscribeUser = await this.deps.bus.subscribe(userTopic(user.id), (draftId) => {
      void this.recheck(draftId).catch((error: unknown) => this.fail(error));
    });
    if (this.closed) return unsubscribeUser();
    this.unsubscribeUser = unsubscribeUser;
    const draftIds = await listMemberDraftIds(this.deps.db, user.id);
    await Promise.all(draftIds.map((draftId) => this.follow(draftId)));
    this.send({ type: 'ready' });
    this.ready = true;
  }

  protected async onMessage(): Promise<void> {
    // The channel only speaks; anything but `auth` is ignored (and counted against the frame rate).
  }

  protected async release(): Promise<void> {
    const unsubscribes = [this.unsubscribeUser, ...this.followed.values()];
    this.unsubscribeUser = null;
    this.followed.clear();
    await Promise.all(unsubscribes.map((u) => u?.()));
  }

  private async follow(draftId: string): Promise<void> {
    if (this.followed.has(draftId)) return;
    const unsubscribe = await this.deps.bus.subscribe(draftTopic(draftId), (lastServerSeq) =>
      this.notify({ type: 'changed', draftId, lastServerSeq: Number(lastServerSeq) }),
    );
    if (this.closed || this.followed.has(draftId)) return unsubscribe();
    this.followed.set(draftId, unsubscribe);
  }

  /** The user joined or left `draftId` (or created it): follow it or stop, and say so. */
  private async recheck(draftId: string): Promise<void> {
    if (await findMember(this.deps.db, draftId, this.user!.id)) {
      // Follow before reading where the log ends, so a change committed in between is heard either way.
      await this.follow(draftId);
      const draft = await findDraft(this.deps.db, draftId);
      if (draft) this.notify({ type: 'changed', draftId, lastServerSeq: draft.lastServerSeq });
      return;
    }
    const unsubscribe = this.followed.get(draftId);
    if (!unsubscribe) return;
    this.followed.delete(draftId);
    await unsubscribe();
    this.notify({ type: 'removed', draftId });
  }

  private notify(frame: { type: 'changed' | 'removed'; draftId: string; lastServerSeq?: number }): void {
    if (!this.ready) return;
    // The doorbell and a recheck's read may report the same change, in either order: never step back.
    if (frame.lastServerSeq !== undefined) {
      if (frame.lastServerSeq <= (this.lastSent.get(frame.draftId) ?? 0)) return;
      this.lastSent.set(frame.draftId, frame.lastServerSeq);
    } else {
      this.lastSent.delete(frame.draftId);
    }
    this.send(frame);
    if (this.overflowing()) void this.close(CLOSE.TOO_FAST, 'reading too slowly; reconnect and read the list again');
  }
}
