import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { AccessTokens } from './access-tokens.js';
import { ManualClock } from './clock.js';
import { generateSigningKeys } from './signing-keys.js';

const claims = { userId: 'u-1', role: 'user' as const, sessionId: 's-1' };

describe('AccessTokens', () => {
  it('issues EdDSA tokens with sub, role, sid and a 15 minute expiry from the clock', async () => {
    const clock = new ManualClock('2026-05-01T12:00:00.000Z');
    const tokens = new AccessTokens(generateSigningKeys(), clock, 900);
    const { token, expiresAt } = await tokens.issue(claims);
    expect(decodeProtectedHeader(token).alg).toBe('EdDSA');
    expect(decodeJwt(token)).toMatchObject({ sub: 'u-1', role: 'user', sid: 's-1' });
    expect(expiresAt.toISOString()).toBe('2026-05-01T12:15:00.000Z');
    expect(await tokens.verify(token)).toEqual({ ok: true, claims, expiresAtMs: Date.parse('2026-05-01T12:15:00.000Z') });
    clock.advance(900_000);
    expect(await tokens.verify(token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses tokens signed by another key or tampered with', async () => {
    const clock = new ManualClock();
    const ours = new AccessTokens(generateSigningKeys(), clock, 900);
    const theirs = new AccessTokens(generateSigningKeys(), clock, 900);
    const foreign = (await theirs.issue(claims)).token;
    expect(await ours.verify(foreign)).toEqual({ ok: false, reason: 'invalid' });
    const token = (await ours.issue(claims)).token;
    const [h, p, s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...decodeJwt(token), role: 'admin' })).toString('base64url');
    expect(await ours.verify(`${h}.${forged}.${s}`)).toEqual({ ok: false, reason: 'invalid' });
    expect(await ours.verify(`${h}.${p}`)).toEqual({ ok: false, reason: 'invalid' });
  });
});
