import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { invites } from '../../src/server/db/schema/index.js';
import { call, createDraft, expectProblem, registerUser, type Account } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();

async function invite(owner: Account, draftId: string, body?: unknown) {
  const res = await call(t.app, 'POST', `/v1/drafts/${draftId}/invites`, { token: owner.accessToken, body: body ?? {} });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; token: string; url: string; expiresAt: string };
}

const accept = (who: Account, token: string) => call(t.app, 'POST', '/v1/invites/accept', { token: who.accessToken, body: { token } });

describe('invites', () => {
  it('creates a one-time token (≥128 bit) shown once, stored only as a hash, expiring in 7 days by default', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const created = await invite(owner, draft.id);
    expect(created.url).toBe(`http://onering.test/ref/${created.token}`);
    expect(Buffer.from(created.token, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(created.expiresAt).toBe('2026-03-08T09:00:00.000Z');
    const [row] = await t.database.db.select().from(invites).where(eq(invites.id, created.id));
    expect(JSON.stringify(row)).not.toContain(created.token);
    const list = await call(t.app, 'GET', `/v1/drafts/${draft.id}/invites`, { token: owner.accessToken });
    expect(list.json()).toEqual({
      items: [{ id: created.id, createdAt: '2026-03-01T09:00:00.000Z', expiresAt: '2026-03-08T09:00:00.000Z', status: 'pending' }],
      nextCursor: null,
    });
    expect(list.body).not.toContain(created.token);
  });

  it('takes an expiry between 1 hour and 30 days', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    expect((await invite(owner, draft.id, { expiresInHours: 1 })).expiresAt).toBe('2026-03-01T10:00:00.000Z');
    for (const expiresInHours of [0, 721, 1.5]) {
      const res = await call(t.app, 'POST', `/v1/drafts/${draft.id}/invites`, { token: owner.accessToken, body: { expiresInHours } });
      expectProblem(res, 400, 'validation_failed');
    }
  });

  it('previews only the title and the inviter name', async () => {
    const owner = await registerUser(t.app, { displayName: 'Gandalf' });
    const draft = await createDraft(t.app, owner, { title: 'The quest', initialSegment: 'secret content' });
    const { token } = await invite(owner, draft.id);
    const res = await call(t.app, 'GET', `/v1/invites/${token}/preview`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ title: 'The quest', inviterDisplayName: 'Gandalf' });
    expectProblem(await call(t.app, 'GET', '/v1/invites/not-a-token/preview'), 404, 'invite_not_found');
    expect(t.logs.lines.join('\n')).not.toContain(token);
  });

  it('accepts once, idempotently for the same user, and refuses everyone after', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app, { displayName: 'Sam' });
    const pip = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const { token } = await invite(owner, draft.id);
    const first = await accept(sam, token);
    expect(first.statusCode).toBe(200);
    expect(first.json().collaborators.map((c: { displayName: string }) => c.displayName)).toContain('Sam');
    const again = await accept(sam, token);
    expect(again.statusCode).toBe(200);
    expect(again.json().collaborators).toHaveLength(2);
    expectProblem(await accept(pip, token), 410, 'invite_used');
    expectProblem(await call(t.app, 'GET', `/v1/invites/${token}/preview`), 410, 'invite_used');
    const list = (await call(t.app, 'GET', `/v1/drafts/${draft.id}/invites`, { token: owner.accessToken })).json();
    expect(list.items[0].status).toBe('accepted');
  });

  it('shows nothing to someone removed after accepting, when they send their used invite again', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const { token } = await invite(owner, draft.id);
    expect((await accept(sam, token)).statusCode).toBe(200);
    const removed = await call(t.app, 'DELETE', `/v1/drafts/${draft.id}/collaborators/${sam.user.id}`, { token: owner.accessToken });
    expect(removed.statusCode).toBe(204);
    await call(t.app, 'PATCH', `/v1/drafts/${draft.id}`, { token: owner.accessToken, body: { title: 'Written after Sam left' } });
    const again = await accept(sam, token);
    expectProblem(again, 410, 'invite_used');
    expect(again.body).not.toContain('Written after Sam left');
    expect((await call(t.app, 'GET', `/v1/drafts/${draft.id}`, { token: sam.accessToken })).statusCode).toBe(404);
  });

  it('refuses an expired invite with 410 invite_expired', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const { token } = await invite(owner, draft.id, { expiresInHours: 1 });
    t.clock.advance(60 * 60 * 1000);
    const sam = await registerUser(t.app);
    expectProblem(await accept(sam, token), 410, 'invite_expired');
    expect((await call(t.app, 'GET', `/v1/drafts/${draft.id}`, { token: sam.accessToken })).statusCode).toBe(404);
  });

  it('lets the owner revoke a pending invite', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const { id, token } = await invite(owner, draft.id);
    expect((await call(t.app, 'DELETE', `/v1/drafts/${draft.id}/invites/${id}`, { token: owner.accessToken })).statusCode).toBe(204);
    expectProblem(await accept(sam, token), 410, 'invite_used');
    expectProblem(await call(t.app, 'DELETE', `/v1/drafts/${draft.id}/invites/${id}`, { token: owner.accessToken }), 409, 'invite_not_pending');
  });

  it('leaves the invite pending when a member (the owner) opens it', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const { token } = await invite(owner, draft.id);
    expect((await accept(owner, token)).statusCode).toBe(200);
    expect((await accept(sam, token)).statusCode).toBe(200);
  });

  it('does not let collaborators invite, list or revoke', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const { id, token } = await invite(owner, draft.id);
    await accept(sam, token);
    expectProblem(await call(t.app, 'POST', `/v1/drafts/${draft.id}/invites`, { token: sam.accessToken, body: {} }), 403, 'owner_required');
    expectProblem(await call(t.app, 'GET', `/v1/drafts/${draft.id}/invites`, { token: sam.accessToken }), 403, 'owner_required');
    expectProblem(await call(t.app, 'DELETE', `/v1/drafts/${draft.id}/invites/${id}`, { token: sam.accessToken }), 403, 'owner_required');
  });
});
