import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './client.js';

export type LiveStatus = 'connecting' | 'live' | 'offline';
export type PresenceUser = { userId: string; displayName: string; state: 'viewing' | 'typing'; position: number | null };
export type LiveDraft = {
  status: LiveStatus;
  users: PresenceUser[];
  /** Tells the others what this user is doing; repeated as a heartbeat while the page is open. */
  setPresence(state: 'viewing' | 'typing', position?: number): void;
};

const HEARTBEAT_MS = 10_000;

// Close codes after which reconnecting cannot help (see the server's close-codes.ts).
const FINAL = new Set([4403, 4404]);
const UNAUTHORIZED = 4401;

/**
 * Keeps a draft page current: a WebSocket to `/v1/drafts/:id/live` that refreshes the page's queries on
 * every event, reconnects with backoff and resumes from the last `serverSeq` it saw, so nothing is missed.
 */
export function useLiveDraft(draftId: string): LiveDraft {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [users, setUsers] = useState<PresenceUser[]>([]);
  const presence = useRef<{ state: 'viewing' | 'typing'; position?: number }>({ state: 'viewing' });
  const socketRef = useRef<WebSocket | null>(null);

  useEffect(() => {
    let socket: WebSocket | null = null;
    let since = 0;
    let attempt = 0;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const heartbeat = setInterval(() => sendPresence(), HEARTBEAT_MS);

    function sendPresence(): void {
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'presence', ...presence.current }));
    }

    const refresh = () => {
      for (const key of ['draft', 'events', 'ring', 'invites']) void queryClient.invalidateQueries({ queryKey: [key, draftId] });
      void queryClient.invalidateQueries({ queryKey: ['drafts'] });
    };

    async function connect(): Promise<void> {
      if (stopped) return;
      setStatus('connecting');
      const token = await api.currentAccessToken();
      if (stopped || !token) return setStatus('offline');
      const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/drafts/${draftId}/live`;
      const ws = new WebSocket(url);
      socket = ws;
      socketRef.current = ws;
      ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', accessToken: token, since }));
      ws.onmessage = (message) => {
        const frame = JSON.parse(String(message.data)) as {
          type: string;
          lastServerSeq?: number;
          event?: { serverSeq: number };
          users?: PresenceUser[];
        };
        if (frame.type === 'presence' && frame.users) return setUsers(frame.users);
        if (frame.type === 'ready') {
          attempt = 0;
          setStatus('live');
          if (presence.current.state !== 'viewing') sendPresence();
          if ((frame.lastServerSeq ?? 0) > since) refresh();
        } else if (frame.type === 'event' && frame.event) {
          since = frame.event.serverSeq;
          refresh();
        }
      };
      ws.onclose = (event) => {
        if (stopped) return;
        setStatus('offline');
        setUsers([]);
        if (FINAL.has(event.code)) return refresh();
        if (event.code === UNAUTHORIZED) void api.refresh();
        const delay = Math.min(30_000, 500 * 2 ** attempt++) * (0.5 + Math.random() / 2);
        timer = setTimeout(() => void connect(), delay);
      };
    }

    void connect();
    return () => {
      stopped = true;
      clearInterval(heartbeat);
      if (timer) clearTimeout(timer);
      socket?.close(1000, 'page closed');
    };
  }, [draftId, queryClient]);

  const setPresence = useCallback((state: 'viewing' | 'typing', position?: number) => {
    const next = position === undefined ? { state } : { state, position };
    if (presence.current.state === next.state && presence.current.position === next.position) return;
    presence.current = next;
    if (socketRef.current?.readyState === WebSocket.OPEN) socketRef.current.send(JSON.stringify({ type: 'presence', ...next }));
  }, []);

  return { status, users, setPresence };
}
