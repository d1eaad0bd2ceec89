import { parse, type HTMLElement } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { addCollaborator, call, createDraft, expectProblem, registerUser, type Account } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';
import { ihdrSize, sharesOf } from '../helpers/sharing.js';

const t = useTestApp();

const PUBLIC_URL = 'http://onering.test';

const visit = (path: string, headers: Record<string, string> = {}) => call(t.app, 'GET', path, { headers });
const append = async (who: Account, draftId: string, content: string) =>
  expect((await call(t.app, 'POST', `/v1/drafts/${draftId}/segments`, { token: who.accessToken, body: { content } })).statusCode).toBe(201);
const publish = async (owner: Account, draftId: string) =>
  expect((await call(t.app, 'POST', `/v1/drafts/${draftId}/publish`, { token: owner.accessToken })).statusCode).toBe(200);

/** Every `<meta>` of the page by its `property` or `name`, values decoded. */
function metaTags(root: HTMLElement): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const meta of root.querySelectorAll('meta')) {
    const key = meta.getAttribute('property') ?? meta.getAttribute('name');
    if (key) tags[key] = meta.getAttribute('content') ?? '';
  }
  return tags;
}

/** A draft of the owner's with these posts, published. */
async function publishedThread(owner: Account, title: string, posts: string[]) {
  const draft = await createDraft(t.app, owner, { title });
  for (const content of posts) await append(owner, draft.id, content);
  await publish(owner, draft.id);
  return draft;
}

describe('the public page of a published draft', () => {
  it('shows the thread with its authors, and Open Graph and Twitter card tags that lead to its 1200×630 card', async () => {
    const owner = await registerUser(t.app, { displayName: 'Frodo' });
    const sam = await registerUser(t.app, { displayName: 'Sam' });
    const draft = await createDraft(t.app, owner, { title: 'There and back again' });
    await addCollaborator(t.app, owner, draft.id, sam);
    await append(owner, draft.id, 'In a hole in the ground there lived a hobbit.');
    await call(t.app, 'POST', `/v1/drafts/${draft.id}/ring/pass`, { token: owner.accessToken, body: { toUserId: sam.user.id } });
    await append(sam, draft.id, 'Not a nasty, dirty, wet hole.\nA hobbit-hole.');
    await publish(owner, draft.id);

    const res = await visit(`/p/${draft.id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    const root = parse(res.body);
    expect(root.querySelector('html')!.getAttribute('lang')).toBe('en');
    expect(root.querySelector('title')!.text).toBe('There and back again · OneRing');
    expect(root.querySelector('h1')!.text).toBe('There and back again');
    expect(root.querySelectorAll('script')).toHaveLength(0);
    expect(root.querySelectorAll('li').map((li) => [li.querySelector('.author')!.text, li.querySelector('.post')!.text])).toEqual([
      ['Frodo', 'In a hole in the ground there lived a hobbit.'],
      ['Sam', 'Not a nasty, dirty, wet hole.\nA hobbit-hole.'],
    ]);
    expect(root.querySelector('.by')!.text).toBe('Written together by Frodo, Sam');
    expect(root.querySelector('.cta a')!.getAttribute('href')).toBe(`${PUBLIC_URL}/signup`);

    const meta = metaTags(root);
    expect(meta).toMatchObject({
      viewport: 'width=device-width, initial-scale=1',
      description: 'In a hole in the ground there lived a hobbit.',
      'og:type': 'article',
      'og:title': 'There and back again',
      'og:description': 'In a hole in the ground there lived a hobbit.',
      'og:url': `${PUBLIC_URL}/p/${draft.id}`,
      'og:image:width': '1200',
      'og:image:height': '630',
      'twitter:card': 'summary_large_image',
      'twitter:title': 'There and back again',
    });
    expect(meta['og:image']).toMatch(new RegExp(`^${PUBLIC_URL}/v1/drafts/${draft.id}/share-card\\.png\\?v=[0-9a-f]{12}$`));
    expect(meta['twitter:image']).toBe(meta['og:image']);

    const png = await visit(meta['og:image']!.slice(PUBLIC_URL.length));
    expect(png.statusCode, png.body).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(ihdrSize(png.rawPayload)).toEqual({ width: 1200, height: 630 });
  });

  it('escapes a hostile title and post wherever they appear', async () => {
    const owner = await registerUser(t.app, { displayName: '<b>Mallory</b>' });
    const title = '<script>alert(1)</script> & "quotes" \'too\'';
    const post = '<img src=x onerror="alert(2)"> </li></ol><script>alert(3)</script>';
    const draft = await publishedThread(owner, title, [post]);

    const res = await visit(`/p/${draft.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<script>');
    expect(res.body).not.toContain('<img');
    expect(res.body).not.toContain('<b>');
    const root = parse(res.body);
    expect(root.querySelectorAll('script, img, b')).toHaveLength(0);
    expect(root.querySelector('h1')!.text).toBe(title);
    expect(root.querySelector('.post')!.text).toBe(post);
    expect(root.querySelector('.author')!.text).toBe('<b>Mallory</b>');
    const meta = metaTags(root);
    expect(meta['og:title']).toBe(title);
    expect(meta['twitter:title']).toBe(title);
  });

  it('answers the same page for a draft in progress, an archived draft, an unknown id and a malformed one: 404', async () => {
    const owner = await registerUser(t.app);
    const inProgress = await createDraft(t.app, owner, { title: 'Secret plans' });
    const archived = await createDraft(t.app, owner, { title: 'Old plans' });
    await call(t.app, 'POST', `/v1/drafts/${archived.id}/archive`, { token: owner.accessToken });
    const pages = await Promise.all(
      [`/p/${inProgress.id}`, `/p/${archived.id}`, '/p/0190f1c2-0000-7000-8000-000000000000', '/p/not-a-draft'].map((p) => visit(p)),
    );
    for (const res of pages) {
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toBe(pages[0]!.body);
    }
    expect(pages[0]!.body).not.toContain('Secret plans');
    expect(metaTags(parse(pages[0]!.body))['og:image']).toBeUndefined();
    expect(await sharesOf(t.database.db, inProgress.id)).toEqual([]);
    // Text PostgreSQL cannot hold is refused before any route runs, as everywhere.
    expectProblem(await visit('/p/%00'), 400, 'validation_failed');
  });

  it('answers the same bytes for the same now, and counts each visitor as a share once every 30 minutes', async () => {
    const owner = await registerUser(t.app);
    const draft = await publishedThread(owner, 'Plain', ['One post.']);
    const now = encodeURIComponent('2026-03-01T12:00:00+01:00');
    const first = await visit(`/p/${draft.id}?now=${now}`, { 'user-agent': 'Reader/1' });
    const second = await visit(`/p/${draft.id}?now=${now}`, { 'user-agent': 'Reader/1' });
    expect(first.statusCode).toBe(200);
    expect(second.body).toBe(first.body);
    await visit(`/p/${draft.id}`, { 'user-agent': 'Reader/2' });
    t.clock.advance(30 * 60_000);
    await visit(`/p/${draft.id}`, { 'user-agent': 'Reader/1' });
    const shares = await sharesOf(t.database.db, draft.id);
    expect(shares.map((s) => [s.channel, s.userId])).toEqual([
      ['public_page', null],
      ['public_page', null],
      ['public_page', null],
    ]);
  });
});
