import { createHash, randomBytes } from 'node:crypto';

/** An opaque random token for URLs and cookies (`bytes` of entropy, base64url). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** The stored form of a token: only its SHA-256, so a database leak yields nothing usable. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
