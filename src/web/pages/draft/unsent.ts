import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import { useBlocker } from 'react-router';

/**
 * Text typed on a draft page and not sent yet, kept in localStorage as it is typed so a reload or a crash
 * loses nothing: the next post, and each post being edited (with the revision the edit started from, so a
 * restored edit still meets the conflict check). Keys name the user, so someone else signing in on this
 * browser never sees it. No token or server data is kept here.
 */
const PREFIX = 'onering.unsent';
const listeners = new Set<() => void>();

export const unsentKeys = {
  next: (userId: string, draftId: string) => `${PREFIX}:${userId}:${draftId}:next`,
  edit: (userId: string, draftId: string, segmentId: string) => `${PREFIX}:${userId}:${draftId}:edit:${segmentId}`,
};

/** An edit in progress: the text typed and the revision of the post it started from. */
export type UnsentEdit = { segmentId: string; revision: number; text: string };

/** What is kept under `key` right now (outside rendering: after a send, to see whether more was typed). */
export function readUnsent(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Saves (or, with null or only whitespace, forgets) what is typed under `key`. */
export function keepUnsent(key: string, value: string | null): void {
  try {
    if (value === null || value.trim() === '') localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Storage full or disabled (private mode): typing still works, it is only not kept across a reload.
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab of the same draft keeps its text under the same keys.
  window.addEventListener('storage', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', listener);
  };
}

/** The text kept under `key` ("" when none), current across components and tabs. */
export function useUnsent(key: string): string {
  return useSyncExternalStore(subscribe, () => readUnsent(key)) ?? '';
}

export const editValue = (revision: number, text: string) => JSON.stringify({ revision, text });

/** Every edit in progress on this draft, by segment id. */
export function useUnsentEdits(userId: string, draftId: string): Map<string, UnsentEdit> {
  const prefix = unsentKeys.edit(userId, draftId, '');
  // A snapshot must be a stable value: the kept entries joined into one string, parsed once per change.
  const snapshot = useSyncExternalStore(subscribe, () => {
    const entries: string[] = [];
    try {
      for (let i = 0; i < localStorage.length; i++) {
        const key = localStorage.key(i);
        if (key?.startsWith(prefix)) entries.push(`${key.slice(prefix.length)}\u0000${readUnsent(key)}`);
      }
    } catch {
      return '';
    }
    return entries.sort().join('\u0001');
  });
  return useMemo(() => {
    const edits = new Map<string, UnsentEdit>();
    for (const entry of snapshot ? snapshot.split('\u0001') : []) {
      const [segmentId = '', value = ''] = entry.split('\u0000');
      try {
        const { revision, text } = JSON.parse(value) as { revision: number; text: string };
        if (typeof revision === 'number' && typeof text === 'string') edits.set(segmentId, { segmentId, revision, text });
      } catch {
        // Not ours to read: written by another version of the app. Left alone.
      }
    }
    return edits;
  }, [snapshot]);
}

/**
 * While `dirty`, leaving the page asks first: the browser's own prompt on reload or close, and `ask` on a
 * move inside the app (a link, the back button).
 */
export function useLeaveGuard(dirty: boolean, ask: () => Promise<boolean>): void {
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  const asking = useRef(ask);
  useEffect(() => {
    asking.current = ask;
  }, [ask]);
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    void asking.current().then((leave) => (leave ? blocker.proceed() : blocker.reset()));
  }, [blocker]);
}
