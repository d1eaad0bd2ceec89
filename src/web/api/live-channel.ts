import { api } from './client.js';

export type LiveStatus = 'connecting' | 'live' | 'offline';
export type LiveFrame = { type: string; [key: string]: unknown };

// Close codes after which reconnecting cannot help (see the server's close-codes.ts).
const FINAL = new Set([4403, 4404]);
const UNAUTHORIZED = 4401;
const BAD_FRAME = 4400;
const MAX_BACKOFF_MS = 30_000;

export type LiveChannelOptions = {
  /** Path of the channel, such as `/v1/me/live`. */
  path: string;
  /** Extra fields of each `hello` (such as `since`), read at every (re)connect. */
  hello(): Record<string, unknown>;
  onFrame(frame: LiveFrame): void;
  onStatus(status: LiveStatus): void;
  /** The server closed for good (removed from the draft, or it is gone). */
  onFinal?(code: number): void;
  /** The server refused the `hello` as sent (4400, such as `since_ahead`); called before reconnecting. */
  onRefused?(reason: string): void;
};

/**
 * A live WebSocket that stays open: it sends `hello` with a current access token, reconnects with
 * jittered exponential backoff (refreshing the token after a 4401), and reports `live` once the server
 * answered `ready`. Answers a function that closes it for good.
 */
export function openLiveChannel(options: LiveChannelOptions): { send(frame: unknown): void; stop(): void } {
  let socket: WebSocket | null = null;
  let attempt = 0;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;

  async function connect(): Promise<void> {
    if (stopped) return;
    options.onStatus('connecting');
    // A token that could not be had (the server unreachable) is tried again, like a dropped socket.
    const token = await api.currentAccessToken().catch(() => undefined);
    if (stopped || !token) options.onStatus('offline');
    if (stopped || token === null) return;
    if (token === undefined) return retryLater(false);
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${options.path}`);
    socket = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', accessToken: token, ...options.hello() }));
    ws.onmessage = (message) => {
      const frame = JSON.parse(String(message.data)) as LiveFrame;
      if (frame.type === 'ready') {
        attempt = 0;
        options.onStatus('live');
      }
      options.onFrame(frame);
    };
    ws.onclose = (event) => {
      if (stopped || socket !== ws) return;
      options.onStatus('offline');
      if (FINAL.has(event.code)) return options.onFinal?.(event.code);
      if (event.code === BAD_FRAME) options.onRefused?.(event.reason);
      retryLater(event.code === UNAUTHORIZED);
    };
  }

  /** Connects again after a jittered, growing delay; `renew` refreshes the access token first. */
  function retryLater(renew: boolean): void {
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempt++) * (0.5 + Math.random() / 2);
    timer = setTimeout(() => void (renew ? api.refresh().catch(() => null).then(connect) : connect()), delay);
  }

  void connect();
  return {
    send(frame) {
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      socket?.close(1000, 'page closed');
    },
  };
}
