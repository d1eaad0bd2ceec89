/** True when a query failed on a unique constraint (SQLSTATE 23505), on either driver. */
export function isUniqueViolation(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    if ((current as { code?: unknown }).code === '23505') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

// SQLSTATEs that mean the session is gone or cannot be had: connection exceptions (class 08), the server
// shutting down or terminating this backend (57P01–57P05), and too many connections.
const CONNECTION_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[1-5]|53300)$/;
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// pg and PGlite report a dead or closed connection with these messages and no code.
const CONNECTION_MESSAGE =
  /^(Connection terminated|Client has encountered a connection error|Client was closed|timeout exceeded when trying to connect|Cannot use a pool after calling end|PGlite is clos(ed|ing))/;

/**
 * True when a query failed because the database connection was lost or could not be opened (on either
 * driver), as opposed to the statement itself failing. Such a request may succeed when retried.
 */
export function isConnectionFailure(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const { code, severity, message } = current as { code?: unknown; severity?: unknown; message?: unknown };
    // PostgreSQL ends the session after every FATAL or PANIC error, whatever its SQLSTATE.
    if (severity === 'FATAL' || severity === 'PANIC') return true;
    if (typeof code === 'string' && (CONNECTION_SQLSTATE.test(code) || SOCKET_CODES.has(code))) return true;
    if (typeof message === 'string' && CONNECTION_MESSAGE.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
