import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import type { CreatedPreviewLink, PreviewLink } from '../../src/contract/analytics.js';
import { hashToken } from '../../src/server/features/auth/secrets.js';
import { addCollaborator, call, createDraft, expectProblem, registerUser, type Account } from '../helpers/api.js';
import { TEST_START, useTestApp } from '../helpers/app.js';
import { sharesOf } from '../helpers/sharing.js';

const t = useTestApp();

const links = (who: Account, draftId: string) => call(t.app, 'GET', `/v1/drafts/${draftId}/preview-links`, { token: who.accessToken });
const createLink = (who: Account, draftId: string, headers: Record<string, string> = {}) =>
  call(t.app, 'POST', `/v1/drafts/${draftId}/preview-links`, { token: who.accessToken, headers });
const revoke = (who: Account, draftId: string, linkId: string) =>
  call(t.app, 'DELETE', `/v1/drafts/${draftId}/preview-links/${linkId}`, { token: who.accessToken });
const open = (token: string, who?: Account) => call(t.app, 'GET', `/v1/preview/${token}`, who ? { token: who.accessToken } : {});
const openPage = (token: string) => call(t.app, 'GET', `/s/${token}`, { headers: { 'user-agent': 'Reader/1' } });

async function created(owner: Account, draftId: string): Promise<CreatedPreviewLink> {
  const res = await createLink(owner, draftId);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as CreatedPreviewLink;
}

describe('preview links', () => {
  it('open a draft in progress read-only without an account, count each open for the owner, and stop once revoked', async () => {
    const owner = await registerUser(t.app, { displayName: 'Frodo' });
    const draft = await createDraft(t.app, owner, { title: 'Work in progress', initialSegment: 'A first post.' });
    const link = await created(owner, draft.id);
    expect(link).toEqual({
      id: expect.any(String),
      token: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
      url: `http://onering.test/s/${link.token}`,
      createdAt: TEST_START,
      revokedAt: null,
      opens: 0,
      lastOpenedAt: null,
    });

    t.clock.advance(60_000);
    const opened = await open(link.token);
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json()).toEqual({
      title: 'Work in progress',
      platform: 'x',
      status: 'draft',
      contributors: ['Frodo'],
      segments: [{ position: 0, content: 'A first post.', authorDisplay: 'Frodo' }],
      updatedAt: TEST_START,
    });
    expect(opened.headers['cache-control']).toBe('private, no-store');
    expect(opened.body).not.toContain(owner.user.id);

    t.clock.advance(60_000);
    const page = await openPage(link.token);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['x-robots-tag']).toContain('noindex');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('private, no-store');
    const root = parse(page.body);
    expect(root.querySelector('meta[name="robots"]')!.getAttribute('content')).toBe('noindex, nofollow');
    expect(root.querySelector('h1')!.text).toBe('Work in progress');
    expect(root.querySelector('.post')!.text).toBe('A first post.');
    expect(root.querySelectorAll('script, form, button')).toHaveLength(0);

    const listed = await links(owner, draft.id);
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toEqual({
      items: [{ id: link.id, createdAt: TEST_START, revokedAt: null, opens: 2, lastOpenedAt: '2026-03-01T09:02:00.000Z' }],
      nextCursor: null,
    });
    expect(listed.body).not.toContain(link.token);
    expect(listed.body).not.toContain(hashToken(link.token));

    expect((await revoke(owner, draft.id, link.id)).statusCode).toBe(204);
    expectProblem(await open(link.token), 404, 'preview_link_not_found');
    const gone = await openPage(link.token);
    expect(gone.statusCode).toBe(404);
    expect(gone.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(parse(gone.body).querySelector('meta[name="robots"]')!.getAttribute('content')).toBe('noindex, nofollow');
    expect(gone.body).not.toContain('Work in progress');
    // Revoking again changes nothing; the list keeps the link with its count and when it was withdrawn.
    expect((await revoke(owner, draft.id, link.id)).statusCode).toBe(204);
    expect(((await links(owner, draft.id)).json().items as PreviewLink[])[0]).toMatchObject({ opens: 2, revokedAt: '2026-03-01T09:02:00.000Z' });
  });

  it('never write the token to the logs', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const link = await created(owner, draft.id);
    await open(link.token);
    await openPage(link.token);
    await open(`${link.token}x`);
    await openPage(`${link.token}x`);
    const logged = t.logs.lines.join('\n');
    expect(logged).toContain('/s/:token');
    expect(logged).not.toContain(link.token);
    expect(logged).not.toContain(hashToken(link.token));
  });

  it('are the owner\'s: 404 for someone off the draft, 403 for a collaborator', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    await addCollaborator(t.app, owner, draft.id, sam);
    const link = await created(owner, draft.id);

    expectProblem(await createLink(stranger, draft.id), 404, 'draft_not_found');
    expectProblem(await links(stranger, draft.id), 404, 'draft_not_found');
    expectProblem(await revoke(stranger, draft.id, link.id), 404, 'draft_not_found');
    expectProblem(await createLink(sam, draft.id), 403, 'owner_required');
    expectProblem(await links(sam, draft.id), 403, 'owner_required');
    expectProblem(await revoke(sam, draft.id, link.id), 403, 'owner_required');
    expectProblem(await revoke(owner, draft.id, '0190f1c2-0000-7000-8000-000000000000'), 404, 'preview_link_not_found');
    // Another draft's link is not this draft's to revoke.
    const other = await createDraft(t.app, owner);
    expectProblem(await revoke(owner, other.id, link.id), 404, 'preview_link_not_found');
    expect((await open(link.token)).statusCode).toBe(200);
    expect((await links(owner, draft.id)).json().items).toHaveLength(1);
  });

  it('answer an unknown, malformed or over-long token with 404 or 400, never 500', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    await created(owner, draft.id);
    for (const token of ['unknown', '%E2%80%8B', 'a%20b', '..%2F..%2Fetc', '%22%3E%3Cscript%3E']) {
      expectProblem(await open(token), 404, 'preview_link_not_found');
      const page = await openPage(token);
      expect(page.statusCode).toBe(404);
      expect(page.body).not.toContain('<script>');
    }
    for (const token of ['%00', 'x%00y']) {
      expectProblem(await open(token), 400, 'validation_failed');
      expectProblem(await openPage(token), 400, 'validation_failed');
    }
    expectProblem(await open('%FF'), 400, 'malformed_url');
    expect((await open('a'.repeat(300))).statusCode).toBeOneOf([400, 414]);
    expect((await openPage('a'.repeat(300))).statusCode).toBeOneOf([400, 414]);
  });

  it('record a share when someone who is not a member opens one', async () => {
    const owner = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const link = await created(owner, draft.id);
    await open(link.token, owner);
    expect(await sharesOf(t.database.db, draft.id)).toEqual([]);
    await open(link.token, stranger);
    await open(link.token, stranger);
    await openPage(link.token);
    const shares = await sharesOf(t.database.db, draft.id);
    expect(shares.map((s) => [s.channel, s.userId])).toEqual([
      ['preview_link', stranger.user.id],
      ['preview_link', null],
    ]);
    expect(((await links(owner, draft.id)).json().items as PreviewLink[])[0]!.opens).toBe(4);
  });

  it('create once for a repeated Idempotency-Key', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const first = await createLink(owner, draft.id, { 'idempotency-key': 'preview-1' });
    const again = await createLink(owner, draft.id, { 'idempotency-key': 'preview-1' });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(first.body);
    expect((await links(owner, draft.id)).json().items).toHaveLength(1);
  });
});
