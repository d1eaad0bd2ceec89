import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { AuthResponse } from '../../src/contract/auth.js';
import type { Draft } from '../../src/contract/drafts.js';

export const GOOD_PASSWORD = 'ring bearer walks at dawn';

export function uniqueEmail(label = 'user'): string {
  return `${label}-${randomBytes(4).toString('hex')}@example.test`;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** Sends a request with a JSON body (when given) and answers the response. */
export function call(
  app: FastifyInstance,
  method: InjectOptions['method'],
  url: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string>; ip?: string } = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers: { ...(options.token ? bearer(options.token) : {}), ...options.headers },
    ...(options.body !== undefined ? { payload: options.body as InjectOptions['payload'] } : {}),
    ...(options.ip ? { remoteAddress: options.ip } : {}),
  });
}

export type Account = AuthResponse & { email: string; password: string };

/** Registers a new account (201 asserted) and answers its tokens. */
export async function registerUser(
  app: FastifyInstance,
  input: { email?: string; password?: string; displayName?: string; device?: { name?: string; platform?: string } } = {},
): Promise<Account> {
  const email = input.email ?? uniqueEmail();
  const password = input.password ?? GOOD_PASSWORD;
  const res = await call(app, 'POST', '/v1/auth/register', { body: { ...input, email, password } });
  expect(res.statusCode, res.body).toBe(201);
  return { ...(res.json() as AuthResponse), email, password };
}

export async function login(
  app: FastifyInstance,
  email: string,
  password: string,
  extra: { device?: { name?: string; platform?: string }; ip?: string; userAgent?: string } = {},
): Promise<LightMyRequestResponse> {
  return call(app, 'POST', '/v1/auth/login', {
    body: { email, password, ...(extra.device ? { device: extra.device } : {}) },
    ...(extra.ip ? { ip: extra.ip } : {}),
    ...(extra.userAgent ? { headers: { 'user-agent': extra.userAgent } } : {}),
  });
}

/** Asserts a problem+json answer with this status and code, and answers its body. */
export function expectProblem(res: LightMyRequestResponse, status: number, code: string): Record<string, unknown> {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json() as Record<string, unknown>;
  expect(body).toMatchObject({ status, code });
  expect(typeof body.type).toBe('string');
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  expect(body.requestId).toBe(res.headers['x-request-id']);
  return body;
}

/** Creates a draft as this account (201 asserted) and answers it. */
export async function createDraft(
  app: FastifyInstance,
  owner: Account,
  body: { title?: string; platform?: string; initialSegment?: string } = {},
): Promise<Draft> {
  const res = await call(app, 'POST', '/v1/drafts', { token: owner.accessToken, body: { title: 'A thread', platform: 'x', ...body } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Draft;
}

/**
 * Brings `member` onto the owner's draft the way anyone may join: the owner creates an invite (one
 * `invite.created` event) and the member accepts it (one `collaborator.joined` event).
 */
export async function addCollaborator(app: FastifyInstance, owner: Account, draftId: string, member: Account): Promise<void> {
  const invite = await call(app, 'POST', `/v1/drafts/${draftId}/invites`, { token: owner.accessToken, body: {} });
  expect(invite.statusCode, invite.body).toBe(201);
  const accepted = await call(app, 'POST', '/v1/invites/accept', { token: member.accessToken, body: { token: invite.json().token } });
  expect(accepted.statusCode, accepted.body).toBe(200);
}

export async function passRing(app: FastifyInstance, from: Account, draftId: string, to: Account): Promise<void> {
  const res = await call(app, 'POST', `/v1/drafts/${draftId}/ring/pass`, { token: from.accessToken, body: { toUserId: to.user.id } });
  expect(res.statusCode, res.body).toBe(200);
}
