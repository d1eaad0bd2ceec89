import { LRUCache } from 'lru-cache';
import type { AuthUser, PrincipalLoader } from './auth.js';

/** The channel on which session revocations and account changes are announced to every instance. */
export const PRINCIPAL_CHANNEL = 'onering_principals';
export const sessionChanged = (sessionId: string) => `s:${sessionId}`;
export const userChanged = (userId: string) => `u:${userId}`;

/**
 * Remembers the user behind each live session so most authenticated requests need no query. It is only
 * trusted while change notifications are flowing: every revocation and account change is announced in
 * the same transaction (see `notify`), each instance evicts on receipt, and a lost notification channel
 * empties and disables the cache until it is back.
 */
export class PrincipalCache {
  private readonly entries = new LRUCache<string, AuthUser>({ max: 50_000, ttl: 60_000 });
  // Bumped on every eviction: a load that started before it must not store what it read.
  private generation = 0;
  private trusted = false;

  private readonly watchers = new Set<(payload: string) => void>();

  constructor(private readonly load: PrincipalLoader) {}

  /** Hears every announcement after the cache applied it (live connections re-check their session). */
  watch(handler: (payload: string) => void): () => void {
    this.watchers.add(handler);
    return () => this.watchers.delete(handler);
  }

  readonly loader: PrincipalLoader = async (userId, sessionId) => {
    const hit = this.trusted ? this.entries.get(sessionId) : undefined;
    if (hit && hit.id === userId) return hit;
    const generation = this.generation;
    const user = await this.load(userId, sessionId);
    if (user && this.trusted && generation === this.generation) this.entries.set(sessionId, user);
    return user;
  };

  /** Applies one announcement: `s:<sessionId>` or `u:<userId>`. */
  onMessage(payload: string): void {
    this.generation++;
    const [kind, id] = [payload.slice(0, 2), payload.slice(2)];
    if (kind === 's:') this.entries.delete(id);
    else if (kind === 'u:') {
      for (const [sessionId, user] of this.entries.entries()) if (user.id === id) this.entries.delete(sessionId);
    } else this.entries.clear();
    for (const watcher of this.watchers) watcher(payload);
  }

  onGap(): void {
    this.trusted = false;
    this.generation++;
    this.entries.clear();
  }

  onReady(): void {
    this.generation++;
    this.entries.clear();
    this.trusted = true;
  }
}
