import type { Redis } from 'ioredis';

/** Presence expires this long after a connection's last heartbeat. */
export const PRESENCE_TTL_MS = 30_000;
/** `typing` turns back into `viewing` this long after the connection's last typing frame. */
export const TYPING_TTL_MS = 5_000;

export type PresenceState = 'viewing' | 'typing';
export type PresenceEntry = { userId: string; displayName: string; state: PresenceState; position: number | null };
type Stored = PresenceEntry & { expiresAt: number };

/** Who is on a draft, per connection; ephemeral (memory or Redis), never in the event log. */
export interface PresenceStore {
  set(draftId: string, connectionId: string, entry: PresenceEntry, expiresAt: number): Promise<void>;
  remove(draftId: string, connectionId: string): Promise<void>;
  /** Live entries by connection, dropping those expired at `now`; answers whether any were dropped. */
  entries(draftId: string, now: number): Promise<{ live: Stored[]; dropped: boolean }>;
}

export class MemoryPresenceStore implements PresenceStore {
  private readonly drafts = new Map<string, Map<string, Stored>>();

  async set(draftId: string, connectionId: string, entry: PresenceEntry, expiresAt: number): Promise<void> {
    let draft = this.drafts.get(draftId);
    if (!draft) this.drafts.set(draftId, (draft = new Map()));
    draft.set(connectionId, { ...entry, expiresAt });
  }

  async remove(draftId: string, connectionId: string): Promise<void> {
    const draft = this.drafts.get(draftId);
    draft?.delete(connectionId);
    if (draft?.size === 0) this.drafts.delete(draftId);
  }

  async entries(draftId: string, now: number): Promise<{ live: Stored[]; dropped: boolean }> {
    const draft = this.drafts.get(draftId);
    if (!draft) return { live: [], dropped: false };
    let dropped = false;
    for (const [id, entry] of draft) {
      if (entry.expiresAt <= now) {
        draft.delete(id);
        dropped = true;
      }
    }
    return { live: [...draft.values()], dropped };
  }
}

/** One Redis hash per draft (field: connection id), shared by every instance. */
export class RedisPresenceStore implements PresenceStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'onering:presence:',
  ) {}

  async set(draftId: string, connectionId: string, entry: PresenceEntry, expiresAt: number): Promise<void> {
    const key = this.prefix + draftId;
    // The key's own expiry only cleans up drafts nobody has looked at for a while.
    await this.redis.multi().hset(key, connectionId, JSON.stringify({ ...entry, expiresAt })).pexpire(key, PRESENCE_TTL_MS * 4).exec();
  }

  async remove(draftId: string, connectionId: string): Promise<void> {
    await this.redis.hdel(this.prefix + draftId, connectionId);
  }

  async entries(draftId: string, now: number): Promise<{ live: Stored[]; dropped: boolean }> {
    const key = this.prefix + draftId;
    const all = await this.redis.hgetall(key);
    const live: Stored[] = [];
    const expired: string[] = [];
    for (const [id, raw] of Object.entries(all)) {
      const entry = JSON.parse(raw) as Stored;
      if (entry.expiresAt <= now) expired.push(id);
      else live.push(entry);
    }
    if (expired.length > 0) await this.redis.hdel(key, ...expired);
    return { live, dropped: expired.length > 0 };
  }
}

/** One line per user: typing wins over viewing (at that position); sorted by name, then id. */
export function presenceByUser(entries: PresenceEntry[]): PresenceEntry[] {
  const byUser = new Map<string, PresenceEntry>();
  for (const e of entries) {
    const seen = byUser.get(e.userId);
    if (!seen || (seen.state === 'viewing' && e.state === 'typing')) byUser.set(e.userId, { ...e });
  }
  return [...byUser.values()]
    .map(({ userId, displayName, state, position }) => ({ userId, displayName, state, position: state === 'typing' ? position : null }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.userId.localeCompare(b.userId));
}
