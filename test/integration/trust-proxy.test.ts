import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.js';
import { GOOD_PASSWORD, uniqueEmail } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();
const listening: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(listening.splice(0).map((app) => app.close()));
});

/** The app with rate limits on and TRUST_PROXY as an operator writes it, on a real port of 127.0.0.1. */
async function serve(trustProxy: string): Promise<string> {
  const { app } = await t.build({ config: { trustProxy: loadConfig({ TRUST_PROXY: trustProxy }).trustProxy, rateLimitsEnabled: true } });
  listening.push(app);
  return app.listen({ host: '127.0.0.1', port: 0 });
}

function post(base: string, path: string, body: unknown, forwardedFor: string): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify(body),
  });
}

/** Sixty wrong guesses on sixty accounts, each claiming another address in X-Forwarded-For. */
async function guessesRotatingForwardedFor(base: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < 60; i++) {
    const res = await post(base, '/v1/auth/login', { email: uniqueEmail('guess'), password: 'not the password' }, `203.0.113.${i + 1}`);
    await res.arrayBuffer();
    statuses.push(res.status);
  }
  return statuses;
}

/** The address the server recorded for a new session, as its owner sees it. */
async function sessionIpAfterRegistering(base: string, forwardedFor: string): Promise<string> {
  const registered = await post(base, '/v1/auth/register', { email: uniqueEmail(), password: GOOD_PASSWORD }, forwardedFor);
  expect(registered.status).toBe(201);
  const { accessToken } = (await registered.json()) as { accessToken: string };
  const sessions = await fetch(`${base}/v1/auth/sessions`, { headers: { authorization: `Bearer ${accessToken}` } });
  return ((await sessions.json()) as { items: Array<{ ip: string }> }).items[0]!.ip;
}

describe('TRUST_PROXY', () => {
  it('ignores X-Forwarded-For from a peer that is not a trusted proxy, so rotating it lifts no limit', async () => {
    const base = await serve('10.0.0.0/8');
    const statuses = await guessesRotatingForwardedFor(base);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses).toContain(429);
    expect(await sessionIpAfterRegistering(base, '203.0.113.99')).toBe('127.0.0.1');
  });

  it('ignores X-Forwarded-For entirely when no proxy is trusted', async () => {
    const base = await serve('false');
    expect(await guessesRotatingForwardedFor(base)).toContain(429);
    expect(await sessionIpAfterRegistering(base, '203.0.113.99')).toBe('127.0.0.1');
  });

  it('uses the forwarded address when the peer is a trusted proxy', async () => {
    const base = await serve('127.0.0.1');
    expect(await guessesRotatingForwardedFor(base)).not.toContain(429);
    expect(await sessionIpAfterRegistering(base, '203.0.113.99')).toBe('203.0.113.99');
  });

  it('takes the address the trusted proxy appended, not the one the client wrote before it', async () => {
    const base = await serve('10.0.0.0/8, 127.0.0.1');
    expect(await sessionIpAfterRegistering(base, 'spoofed-by-client, 203.0.113.42')).toBe('203.0.113.42');
  });
});
