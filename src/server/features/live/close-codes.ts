/** WebSocket close codes of the live channel, mirroring HTTP where one fits. */
export const CLOSE = {
  /** The server is going away (shutdown); reconnect, to any instance, with `since`. */
  GOING_AWAY: 1001,
  /** The server failed while serving the connection (logged); reconnect with `since`. */
  INTERNAL_ERROR: 1011,
  /** A frame that is not one of the protocol's JSON frames, or a `since` ahead of the log (reason `since_ahead`). */
  BAD_FRAME: 4400,
  /** Missing, bad or expired access token. */
  UNAUTHORIZED: 4401,
  /** The user was removed from the draft while connected. */
  FORBIDDEN: 4403,
  /** The draft does not exist or the user may not see it. */
  NOT_FOUND: 4404,
  /** No `hello` within the allowed time. */
  HELLO_TIMEOUT: 4408,
  /** The client sends faster than allowed, or reads slower than events arrive; reconnect with `since`. */
  TOO_FAST: 4429,
} as const;
