import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DraftEvent } from '../../contract/events.js';
import { api } from './client.js';
import { DraftCache, draftKeys } from './draft-cache.js';
import { openLiveChannel, type LiveStatus } from './live-channel.js';

export type { LiveStatus } from './live-channel.js';
export type PresenceUser = { userId: string; displayName: string; state: 'viewing' | 'typing'; position: number | null };
export type LiveDraft = {
  status: LiveStatus;
  users: PresenceUser[];
  /** Tells the others what this user is doing; repeated as a heartbeat while the page is open. */
  setPresence(state: 'viewing' | 'typing', position?: number): void;
};

const HEARTBEAT_MS = 10_000;
/** The server turns typing back into viewing 5 s after the last typing frame: while keys are pressed, repeat it. */
const TYPING_REPEAT_MS = 2_000;
const TYPING_IDLE_MS = 5_000;
type Presence = { state: 'viewing' | 'typing'; position?: number };

/**
 * Keeps a draft page current without reading it again: once the draft is `loaded`, `/v1/drafts/:id/live`
 * resumes after the `lastServerSeq` the page shows (at the first connect and after every reconnect), and each
 * event it replays or streams is folded into the page's queries by a `DraftCache`.
 */
export function useLiveDraft(draftId: string, loaded: boolean): LiveDraft {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [users, setUsers] = useState<PresenceUser[]>([]);
  const presence = useRef<Presence>({ state: 'viewing' });
  /** When a key was last pressed in the composer, and when a typing frame last went out (ms). */
  const typing = useRef({ pressedAt: 0, sentAt: 0 });
  const channel = useRef<ReturnType<typeof openLiveChannel> | null>(null);

  useEffect(() => {
    if (!loaded) return;
    const cache = new DraftCache(queryClient, draftId, api.draft);
    // An idle composer is not typing: neither the heartbeat nor a reconnect revives a typing state that lapsed.
    const current = () => {
      if (presence.current.state === 'typing' && performance.now() - typing.current.pressedAt >= TYPING_IDLE_MS) presence.current = { state: 'viewing' };
      return presence.current;
    };
    const live = openLiveChannel({
      path: `/v1/drafts/${draftId}/live`,
      hello: () => ({ since: cache.since() }),
      onStatus(next) {
        setStatus(next);
        if (next === 'offline') setUsers([]);
      },
      onFrame(frame) {
        if (frame.type === 'presence') return setUsers(frame.users as PresenceUser[]);
        if (frame.type === 'event') return cache.receive(frame.event as DraftEvent);
        if (frame.type === 'ready') {
          const here = current();
          if (here.state !== 'viewing') live.send({ type: 'presence', ...here });
        }
      },
      // Removed from the draft, or it is gone: reading it again shows the page why.
      onFinal: () => void queryClient.invalidateQueries({ queryKey: draftKeys.draft(draftId) }),
      onRefused(reason) {
        // The server's log ends before what this page saw (a restored database): take the draft as it is now.
        if (reason === 'since_ahead') cache.resync(undefined, true);
      },
    });
    channel.current = live;
    const heartbeat = setInterval(() => live.send({ type: 'presence', ...current() }), HEARTBEAT_MS);
    return () => {
      clearInterval(heartbeat);
      live.stop();
      cache.stop();
    };
  }, [draftId, loaded, queryClient]);

  const setPresence = useCallback((state: 'viewing' | 'typing', position?: number) => {
    const next: Presence = position === undefined ? { state } : { state, position };
    const now = performance.now();
    if (state === 'typing') typing.current.pressedAt = now;
    const same = presence.current.state === next.state && presence.current.position === next.position;
    if (same && (state === 'viewing' || now - typing.current.sentAt < TYPING_REPEAT_MS)) return;
    presence.current = next;
    if (state === 'typing') typing.current.sentAt = now;
    channel.current?.send({ type: 'presence', ...next });
  }, []);

  return { status, users, setPresence };
}

/**
 * Keeps the drafts list current: `/v1/me/live` says when one of the user's drafts changed, was joined or
 * left, and the list is read again (also after every reconnect, which covers whatever was missed).
 */
export function useLiveDraftList(): LiveStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  useEffect(() => {
    const live = openLiveChannel({
      path: '/v1/me/live',
      hello: () => ({}),
      onStatus: setStatus,
      onFrame: () => void queryClient.invalidateQueries({ queryKey: ['drafts'] }),
    });
    return () => live.stop();
  }, [queryClient]);
  return status;
}
