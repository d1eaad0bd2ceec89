import { describe, expect, it } from 'vitest';
import type { Draft } from '../../src/contract/drafts.js';
import { addCollaborator, call, createDraft, expectProblem, registerUser, type Account } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();

async function draftWithPosts(owner: Account, title: string, posts: string[]): Promise<Draft> {
  const draft = await createDraft(t.app, owner, { title, platform: 'x' });
  for (const content of posts) {
    const res = await call(t.app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: owner.accessToken, body: { content } });
    expect(res.statusCode, res.body).toBe(201);
  }
  return draft;
}

const exportOf = (draft: Draft, account: Account, query = '') => call(t.app, 'GET', `/v1/drafts/${draft.id}/export${query}`, { token: account.accessToken });

describe('GET /v1/drafts/:id/export', () => {
  const POSTS = ['Why we write threads together 🧵', 'Each post is a turn.\nThe ring says whose.', 'Read more: https://example.com/one-ring'];

  it('answers plain text by default, posts separated by blank lines, as a file named after the title', async () => {
    const owner = await registerUser(t.app);
    const draft = await draftWithPosts(owner, 'Café déjà vu: writing, together!', POSTS);
    const res = await exportOf(draft, owner);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="cafe-deja-vu-writing-together.txt"');
    expect(res.body).toBe(`${POSTS.join('\n\n')}\n`);
  });

  it('numbers the posts 1/n when asked', async () => {
    const owner = await registerUser(t.app);
    const draft = await draftWithPosts(owner, 'Numbered', POSTS);
    const res = await exportOf(draft, owner, '?format=text&numbered=true');
    expect(res.body).toBe(`1/3 ${POSTS[0]}\n\n2/3 ${POSTS[1]}\n\n3/3 ${POSTS[2]}\n`);
  });

  it('writes Markdown under the title, posts separated by rules', async () => {
    const owner = await registerUser(t.app);
    const draft = await draftWithPosts(owner, 'In Markdown', POSTS);
    const res = await exportOf(draft, owner, '?format=markdown&numbered=true');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="in-markdown.md"');
    expect(res.body).toBe(`# In Markdown\n\n1/3 ${POSTS[0]}\n\n---\n\n2/3 ${POSTS[1]}\n\n---\n\n3/3 ${POSTS[2]}\n`);
  });

  it('writes JSON with each post, its place and its author', async () => {
    const owner = await registerUser(t.app, { displayName: 'Frodo' });
    const sam = await registerUser(t.app, { displayName: 'Sam' });
    const draft = await draftWithPosts(owner, '日本語のスレッド', POSTS.slice(0, 2));
    await addCollaborator(t.app, owner, draft.id, sam);
    const res = await exportOf(draft, sam, '?format=json&numbered=true');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    // Nothing of the title is ASCII: the file still gets a name.
    expect(res.headers['content-disposition']).toBe('attachment; filename="thread.json"');
    const view = (await call(t.app, 'GET', `/v1/drafts/${draft.id}`, { token: owner.accessToken })).json() as Draft;
    expect(res.json()).toEqual({
      id: draft.id,
      title: '日本語のスレッド',
      platform: 'x',
      status: 'draft',
      lastServerSeq: view.lastServerSeq,
      posts: view.segments.map((s, i) => ({ id: s.id, position: i, label: `${i + 1}/2`, content: POSTS[i], authorId: owner.user.id, authorDisplay: 'Frodo' })),
    });
    expect((await exportOf(draft, sam, '?format=json')).json().posts[0]).not.toHaveProperty('label');
  });

  it('answers the same bytes for the same draft', async () => {
    const owner = await registerUser(t.app);
    const draft = await draftWithPosts(owner, 'Stable', POSTS);
    for (const format of ['text', 'markdown', 'json']) {
      const [first, second] = [await exportOf(draft, owner, `?format=${format}`), await exportOf(draft, owner, `?format=${format}`)];
      expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    }
  });

  it('writes an empty thread as an empty line, or its title', async () => {
    const owner = await registerUser(t.app);
    const draft = await draftWithPosts(owner, 'Nothing yet', []);
    expect((await exportOf(draft, owner)).body).toBe('\n');
    expect((await exportOf(draft, owner, '?format=markdown')).body).toBe('# Nothing yet\n');
  });

  it("answers 404 for someone else's draft and one that does not exist", async () => {
    const owner = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const draft = await draftWithPosts(owner, 'Private', POSTS);
    expectProblem(await exportOf(draft, stranger), 404, 'draft_not_found');
    expectProblem(await call(t.app, 'GET', '/v1/drafts/01890000-0000-7000-8000-000000000000/export', { token: owner.accessToken }), 404, 'draft_not_found');
  });

  it('refuses an unknown format or numbering', async () => {
    const owner = await registerUser(t.app);
    const draft = await draftWithPosts(owner, 'Formats', POSTS);
    const pdf = expectProblem(await exportOf(draft, owner, '?format=pdf'), 400, 'validation_failed');
    expect(pdf.errors).toEqual([{ path: 'querystring.format', message: expect.any(String) }]);
    const yes = expectProblem(await exportOf(draft, owner, '?numbered=yes'), 400, 'validation_failed');
    expect(yes.errors).toEqual([{ path: 'querystring.numbered', message: expect.any(String) }]);
  });
});

const importThread = (account: Account, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  call(t.app, 'POST', '/v1/drafts/import', { token: account.accessToken, body, headers });

async function myDrafts(account: Account): Promise<unknown[]> {
  return (await call(t.app, 'GET', '/v1/drafts', { token: account.accessToken })).json().items;
}

describe('POST /v1/drafts/import', () => {
  it('creates a draft of 300 posts, the importer its owner and ring holder, with one event per post', async () => {
    const owner = await registerUser(t.app, { displayName: 'Importer' });
    const posts = Array.from({ length: 300 }, (_, i) => `Post number ${i + 1}.\nIt has two lines.`);
    const res = await importThread(owner, { title: '  A long thread  ', platform: 'x', text: posts.join('\n\n') });
    expect(res.statusCode, res.body).toBe(201);
    const draft = res.json() as Draft;
    expect(draft).toMatchObject({ title: 'A long thread', platform: 'x', status: 'draft', ownerId: owner.user.id, ringHolderId: owner.user.id, lastServerSeq: 301 });
    expect(draft.collaborators).toEqual([expect.objectContaining({ userId: owner.user.id, role: 'owner' })]);
    expect(draft.segments.map((s) => s.content)).toEqual(posts);
    expect(draft.segments.map((s) => s.position)).toEqual(posts.map((_, i) => i));
    expect(new Set(draft.segments.map((s) => s.authorDisplay))).toEqual(new Set(['Importer']));
    expect((await call(t.app, 'GET', `/v1/drafts/${draft.id}`, { token: owner.accessToken })).json()).toEqual(draft);

    const log = (await call(t.app, 'GET', `/v1/drafts/${draft.id}/events?limit=1000`, { token: owner.accessToken })).json();
    expect(log.events.map((e: { serverSeq: number }) => e.serverSeq)).toEqual(Array.from({ length: 301 }, (_, i) => i + 1));
    expect(log.events[0]).toMatchObject({ type: 'draft.created', payload: { title: 'A long thread', platform: 'x' } });
    expect(log.events.slice(1).map((e: { type: string }) => e.type)).toEqual(posts.map(() => 'segment.appended'));
    expect(log.events[300].payload.segment).toEqual(draft.segments[299]);
    expect(await myDrafts(owner)).toEqual([expect.objectContaining({ id: draft.id, segmentCount: 300, openingWords: 'Post number 1. It has two lines.' })]);
  });

  it('refuses the whole import when any part does not fit, naming each bad part, and writes nothing', async () => {
    const owner = await registerUser(t.app);
    const text = ['Fits.', '🐱'.repeat(141), 'Also fits.', 'a'.repeat(290)].join('\n\n');
    const res = await importThread(owner, { title: 'Too long', platform: 'x', text });
    const problem = expectProblem(res, 400, 'validation_failed');
    expect(problem.detail).toBe('2 fields need a change before this thread can come in.');
    expect(problem.errors).toEqual([
      { path: 'body.text[1]', message: 'Post 2: This post is 282 of 280 characters on X: trim 2 or split it into two posts.' },
      { path: 'body.text[3]', message: 'Post 4: This post is 290 of 280 characters on X: trim 10 or split it into two posts.' },
    ]);
    expect(await myDrafts(owner)).toEqual([]);
    // The same text fits LinkedIn's 3,000.
    expect((await importThread(owner, { title: 'On LinkedIn', platform: 'linkedin', text })).statusCode).toBe(201);
  });

  it('names a bad title and an empty thread too', async () => {
    const owner = await registerUser(t.app);
    const problem = expectProblem(await importThread(owner, { title: ' ', platform: 'bluesky', text: '\n \n---\n' }), 400, 'validation_failed');
    expect(problem.errors).toEqual([
      { path: 'body.title', message: 'Give the draft a title.' },
      { path: 'body.text', message: expect.stringContaining('blank line') },
    ]);
    expect(await myDrafts(owner)).toEqual([]);
  });

  it('reads CRLF line endings, and --- lines that keep a post’s paragraphs together', async () => {
    const owner = await registerUser(t.app);
    const crlf = await importThread(owner, { title: 'Windows', platform: 'linkedin', text: 'First post\r\nsecond line\r\n\r\n\r\nSecond post\r\n' });
    expect((crlf.json() as Draft).segments.map((s) => s.content)).toEqual(['First post\nsecond line', 'Second post']);
    const dashed = await importThread(owner, { title: 'Dashed', platform: 'linkedin', text: 'Intro.\r\n\r\nMore intro.\r\n---\r\nPart two.\n\n  ---  \nPart three.' });
    expect((dashed.json() as Draft).segments.map((s) => s.content)).toEqual(['Intro.\n\nMore intro.', 'Part two.', 'Part three.']);
  });

  it('reads back what export wrote', async () => {
    const owner = await registerUser(t.app);
    const posts = ['One.\n\nWith a paragraph.', 'Two.', 'Three: https://example.com'];
    const draft = await draftWithPosts(owner, 'Round trip', posts);
    const text = (await exportOf(draft, owner)).body;
    const copy = (await importThread(owner, { title: 'Copy', platform: 'x', text })).json() as Draft;
    expect(copy.segments.map((s) => s.content)).toEqual(posts);
  });

  it('counts each part as its platform does', async () => {
    const owner = await registerUser(t.app);
    const withLink = `${'a'.repeat(256)} https://example.com/${'long/'.repeat(40)}`;
    expect((await importThread(owner, { title: 'Link', platform: 'x', text: withLink })).statusCode).toBe(201);
    const bluesky = expectProblem(await importThread(owner, { title: 'Link', platform: 'bluesky', text: withLink }), 400, 'validation_failed');
    expect(bluesky.errors).toEqual([{ path: 'body.text[0]', message: expect.stringMatching(/^Post 1: This post is 477 of 300 characters on Bluesky/) }]);
  });

  it('says how many parts need a change when there are more than a problem lists', async () => {
    const owner = await registerUser(t.app);
    const problem = expectProblem(await importThread(owner, { title: 'Long', platform: 'bluesky', text: Array(25).fill('a'.repeat(301)).join('\n\n') }), 400, 'validation_failed');
    expect(problem.detail).toBe('25 fields need a change before this thread can come in; the first 20 are listed.');
    expect((problem.errors as unknown[]).length).toBe(20);
  });

  it('takes at most 500 posts at once', async () => {
    const owner = await registerUser(t.app);
    const problem = expectProblem(await importThread(owner, { title: 'Huge', platform: 'x', text: Array.from({ length: 501 }, (_, i) => `p${i}`).join('\n\n') }), 400, 'validation_failed');
    expect(problem.errors).toEqual([{ path: 'body.text', message: expect.stringContaining('at most 500') }]);
  });

  it('creates one draft however often a request is retried with its Idempotency-Key', async () => {
    const owner = await registerUser(t.app);
    const body = { title: 'Once', platform: 'x', text: 'one\n\ntwo' };
    const first = await importThread(owner, body, { 'idempotency-key': 'import-1' });
    const again = await importThread(owner, body, { 'idempotency-key': 'import-1' });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(await myDrafts(owner)).toHaveLength(1);
  });
});

describe('GET /v1/drafts/:id/events?types=', () => {
  it('answers only events of the named types, in order, with where the log ends', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app);
    const draft = await draftWithPosts(owner, 'Filtered', ['one', 'two']);
    await addCollaborator(t.app, owner, draft.id, sam);
    await call(t.app, 'POST', `/v1/drafts/${draft.id}/events`, {
      token: sam.accessToken,
      body: { type: 'comment.added', clientId: 'tab', clientSeq: 1, payload: { text: 'Nice', position: 0 } },
    });
    const res = await call(t.app, 'GET', `/v1/drafts/${draft.id}/events?types=comment.added,segment.appended`, { token: owner.accessToken });
    expect(res.statusCode).toBe(200);
    expect(res.json().events.map((e: { serverSeq: number; type: string }) => [e.serverSeq, e.type])).toEqual([
      [2, 'segment.appended'],
      [3, 'segment.appended'],
      [6, 'comment.added'],
    ]);
    expect(res.json().lastServerSeq).toBe(6);
    const paged = await call(t.app, 'GET', `/v1/drafts/${draft.id}/events?types=segment.appended,comment.added&since=2&limit=1`, { token: owner.accessToken });
    expect(paged.json().events.map((e: { serverSeq: number }) => e.serverSeq)).toEqual([3]);
    const none = await call(t.app, 'GET', `/v1/drafts/${draft.id}/events?types=ring.taken`, { token: owner.accessToken });
    expect(none.json()).toEqual({ events: [], lastServerSeq: 6 });
  });

  it('refuses an unknown type, naming it', async () => {
    const owner = await registerUser(t.app);
    const draft = await draftWithPosts(owner, 'Filtered', ['one']);
    for (const types of ['comment.added,segment.apended', '', 'comment.added,']) {
      const problem = expectProblem(await call(t.app, 'GET', `/v1/drafts/${draft.id}/events?types=${types}`, { token: owner.accessToken }), 400, 'validation_failed');
      expect(problem.errors).toEqual([{ path: 'querystring.types', message: expect.stringMatching(/^Unknown event type/) }]);
    }
  });
});
