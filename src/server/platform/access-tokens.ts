import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Role } from '../../contract/auth.js';
import type { Clock } from './clock.js';
import type { SigningKeys } from './signing-keys.js';

const ISSUER = 'onering';
const AUDIENCE = 'onering-api';

export type AccessClaims = { userId: string; role: Role; sessionId: string };

export type AccessTokenOutcome =
  | { ok: true; claims: AccessClaims; expiresAtMs: number }
  | { ok: false; reason: 'expired' | 'invalid' };

/** Short-lived EdDSA JWTs carrying `sub`, `role` and `sid`; time comes from the injected clock. */
export class AccessTokens {
  /**
   * Signature checks are the costliest step of a request, and a client sends the same token for its whole
   * lifetime, so verified claims are remembered by exact token string; expiry is still checked every time.
   */
  private readonly verified = new LRUCache<string, { claims: AccessClaims; expiresAtMs: number }>({ max: 50_000 });

  constructor(
    private readonly keys: SigningKeys,
    private readonly clock: Clock,
    readonly ttlSeconds: number,
  ) {}

  async issue(claims: AccessClaims): Promise<{ token: string; expiresAt: Date }> {
    const issuedAt = Math.floor(this.clock.now().getTime() / 1000);
    const expiresAt = new Date((issuedAt + this.ttlSeconds) * 1000);
    const token = await new SignJWT({ role: claims.role, sid: claims.sessionId })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.ttlSeconds)
      .sign(this.keys.privateKey);
    return { token, expiresAt };
  }

  async verify(token: string): Promise<AccessTokenOutcome> {
    const known = this.verified.get(token);
    if (known) {
      if (this.clock.now().getTime() >= known.expiresAtMs) return { ok: false, reason: 'expired' };
      return { ok: true, claims: known.claims, expiresAtMs: known.expiresAtMs };
    }
    try {
      const { payload } = await jwtVerify(token, this.keys.publicKey, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['EdDSA'],
        currentDate: this.clock.now(),
        requiredClaims: ['sub', 'sid', 'exp'],
        clockTolerance: 0,
      });
      const { sub, sid, role, exp } = payload;
      if (typeof sub !== 'string' || typeof sid !== 'string' || (role !== 'user' && role !== 'admin') || !exp) {
        return { ok: false, reason: 'invalid' };
      }
      const claims: AccessClaims = { userId: sub, sessionId: sid, role };
      this.verified.set(token, { claims, expiresAtMs: exp * 1000 });
      return { ok: true, claims, expiresAtMs: exp * 1000 };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) return { ok: false, reason: 'expired' };
      return { ok: false, reason: 'invalid' };
    }
  }
}
