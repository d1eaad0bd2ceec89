import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { beforeEach, describe, expect, it } from 'vitest';
import { bearer, call, createDraft, expectProblem, GOOD_PASSWORD, registerUser, type Account } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();

/** Every row of every table, to show that a refused request wrote nothing. */
async function snapshot(): Promise<string> {
  const result = await t.database.db.execute(
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const tables = (result as unknown as { rows: Array<{ table_name: string }> }).rows.map((r) => r.table_name);
  const dump: Record<string, unknown> = {};
  for (const table of tables) {
    const rows = await t.database.db.execute(sql.raw(`select coalesce(json_agg(t order by t::text), '[]') as rows from "${table}" t`));
    dump[table] = (rows as unknown as { rows: Array<{ rows: unknown }> }).rows[0]?.rows;
  }
  return JSON.stringify(dump);
}

type World = { owner: Account; other: Account; draftId: string; inviteToken: string };
type Case = {
  name: string;
  method: InjectOptions['method'];
  url: (w: World, bad: string) => string;
  /** Who calls: the draft's owner, or nobody (no bearer). */
  as?: 'owner' | 'anonymous';
  body?: (w: World, bad: string) => unknown;
  path: string;
};

/** `good` with `bad` slipped in after its first two characters, so nothing else about the value is wrong. */
const taint = (good: string, bad: string) => good.slice(0, 2) + bad + good.slice(2);
const FRESH_PASSWORD = 'a brand new pass phrase';

const CASES: Case[] = [
  ...(['email', 'password', 'displayName'] as const).map<Case>((field) => ({
    name: `register ${field}`,
    method: 'POST',
    url: () => '/v1/auth/register',
    as: 'anonymous',
    body: (_w, bad) => {
      const good = { email: 'samwise@example.test', password: GOOD_PASSWORD, displayName: 'Samwise' };
      return { ...good, [field]: taint(good[field], bad) };
    },
    path: `body.${field}`,
  })),
  ...(['name', 'platform'] as const).map<Case>((field) => ({
    name: `register device.${field}`,
    method: 'POST',
    url: () => '/v1/auth/register',
    as: 'anonymous',
    body: (_w, bad) => ({ email: 'samwise@example.test', password: GOOD_PASSWORD, device: { [field]: taint('Pixel phone', bad) } }),
    path: `body.device.${field}`,
  })),
  ...(['email', 'password'] as const).map<Case>((field) => ({
    name: `login ${field}`,
    method: 'POST',
    url: () => '/v1/auth/login',
    as: 'anonymous',
    body: (w, bad) => {
      const good = { email: w.owner.email, password: w.owner.password };
      return { ...good, [field]: taint(good[field], bad) };
    },
    path: `body.${field}`,
  })),
  ...(['name', 'platform'] as const).map<Case>((field) => ({
    name: `login device.${field}`,
    method: 'POST',
    url: () => '/v1/auth/login',
    as: 'anonymous',
    body: (w, bad) => ({ email: w.owner.email, password: w.owner.password, device: { [field]: taint('Pixel phone', bad) } }),
    path: `body.device.${field}`,
  })),
  {
    name: 'refresh refreshToken',
    method: 'POST',
    url: () => '/v1/auth/refresh',
    as: 'anonymous',
    body: (w, bad) => ({ refreshToken: taint(w.owner.refreshToken, bad) }),
    path: 'body.refreshToken',
  },
  {
    name: 'logout refreshToken',
    method: 'POST',
    url: () => '/v1/auth/logout',
    as: 'anonymous',
    body: (w, bad) => ({ refreshToken: taint(w.owner.refreshToken, bad) }),
    path: 'body.refreshToken',
  },
  {
    name: 'password change currentPassword',
    method: 'POST',
    url: () => '/v1/auth/password',
    body: (w, bad) => ({ currentPassword: taint(w.owner.password, bad), newPassword: FRESH_PASSWORD }),
    path: 'body.currentPassword',
  },
  {
    name: 'password change newPassword',
    method: 'POST',
    url: () => '/v1/auth/password',
    body: (w, bad) => ({ currentPassword: w.owner.password, newPassword: taint(FRESH_PASSWORD, bad) }),
    path: 'body.newPassword',
  },
  {
    name: 'password reset request email',
    method: 'POST',
    url: () => '/v1/auth/password-reset/request',
    as: 'anonymous',
    body: (w, bad) => ({ email: taint(w.owner.email, bad) }),
    path: 'body.email',
  },
  ...(['token', 'newPassword'] as const).map<Case>((field) => ({
    name: `password reset confirm ${field}`,
    method: 'POST',
    url: () => '/v1/auth/password-reset/confirm',
    as: 'anonymous',
    body: (_w, bad) => {
      const good = { token: 'A'.repeat(43), newPassword: FRESH_PASSWORD };
      return { ...good, [field]: taint(good[field], bad) };
    },
    path: `body.${field}`,
  })),
  { name: 'PATCH /v1/me displayName', method: 'PATCH', url: () => '/v1/me', body: (_w, bad) => ({ displayName: taint('Frodo', bad) }), path: 'body.displayName' },
  ...(['title', 'initialSegment'] as const).map<Case>((field) => ({
    name: `create draft ${field}`,
    method: 'POST',
    url: () => '/v1/drafts',
    body: (_w, bad) => {
      const good = { title: 'Second thread', platform: 'x', initialSegment: 'It begins.' };
      return { ...good, [field]: taint(good[field], bad) };
    },
    path: `body.${field}`,
  })),
  { name: 'create draft platform', method: 'POST', url: () => '/v1/drafts', body: (_w, bad) => ({ title: 'T', platform: `x${bad}` }), path: 'body.platform' },
  { name: 'rename title', method: 'PATCH', url: (w) => `/v1/drafts/${w.draftId}`, body: (_w, bad) => ({ title: taint('Renamed', bad) }), path: 'body.title' },
  {
    name: 'segment content',
    method: 'POST',
    url: (w) => `/v1/drafts/${w.draftId}/segments`,
    body: (_w, bad) => ({ content: taint('And then…', bad) }),
    path: 'body.content',
  },
  ...(['type', 'clientId'] as const).map<Case>((field) => ({
    name: `event ${field}`,
    method: 'POST',
    url: (w) => `/v1/drafts/${w.draftId}/events`,
    body: (_w, bad) => {
      const good = { type: 'comment.added', clientId: 'tab-1' };
      return { ...good, [field]: taint(good[field], bad), clientSeq: 1, payload: { text: 'Nice' } };
    },
    path: `body.${field}`,
  })),
  {
    name: 'comment text',
    method: 'POST',
    url: (w) => `/v1/drafts/${w.draftId}/events`,
    body: (_w, bad) => ({ type: 'comment.added', clientId: 'tab-1', clientSeq: 1, payload: { text: taint('Nice opener', bad) } }),
    path: 'body.payload.text',
  },
  {
    name: 'an event payload key',
    method: 'POST',
    url: (w) => `/v1/drafts/${w.draftId}/events`,
    body: (_w, bad) => ({ type: 'comment.added', clientId: 'tab-1', clientSeq: 1, payload: { text: 'Nice', [`no${bad}te`]: 'x' } }),
    path: 'body.payload',
  },
  {
    name: 'ring pass toUserId',
    method: 'POST',
    url: (w) => `/v1/drafts/${w.draftId}/ring/pass`,
    body: (w, bad) => ({ toUserId: taint(w.other.user.id, bad) }),
    path: 'body.toUserId',
  },
  {
    name: 'add collaborator userId',
    method: 'POST',
    url: (w) => `/v1/drafts/${w.draftId}/collaborators`,
    body: (w, bad) => ({ userId: taint(w.other.user.id, bad) }),
    path: 'body.userId',
  },
  { name: 'invite accept token', method: 'POST', url: () => '/v1/invites/accept', body: (w, bad) => ({ token: taint(w.inviteToken, bad) }), path: 'body.token' },
];

/** What the URL can carry: NUL percent-encoded (a lone surrogate cannot be written as valid UTF-8). */
const URL_CASES: Case[] = [
  { name: 'invite preview token', method: 'GET', url: (w) => `/v1/invites/${taint(w.inviteToken, '%00')}/preview`, as: 'anonymous', path: 'params.token' },
  { name: 'drafts list cursor', method: 'GET', url: () => `/v1/drafts?cursor=ab%00cd`, path: 'querystring.cursor' },
  { name: 'sessions list cursor', method: 'GET', url: () => `/v1/auth/sessions?cursor=ab%00cd`, path: 'querystring.cursor' },
];

const BAD_TEXT = [
  ['NUL', '\u0000'],
  ['a lone high surrogate', '\ud800'],
  ['a lone low surrogate', '\udc00'],
  ['surrogates in the wrong order', '\udc00\ud800'],
] as const;

describe('text that is not valid Unicode, in any field', () => {
  let world: World;
  beforeEach(async () => {
    const owner = await registerUser(t.app, { displayName: 'Frodo', device: { name: 'Laptop', platform: 'linux' } });
    const other = await registerUser(t.app, { displayName: 'Sam' });
    const draft = await createDraft(t.app, owner, { initialSegment: 'It begins.' });
    const invite = await call(t.app, 'POST', `/v1/drafts/${draft.id}/invites`, { token: owner.accessToken, body: {} });
    world = { owner, other, draftId: draft.id, inviteToken: invite.json().token };
  });

  // One pass over every field per kind of bad text: the set-up (two accounts, a draft, an invite) is shared.
  it.each(BAD_TEXT)('refuses %s in every body field with 400 naming the field, writing nothing', async (_label, bad) => {
    const before = await snapshot();
    for (const c of CASES) {
      const res = await call(t.app, c.method, c.url(world, bad), {
        ...(c.as === 'anonymous' ? {} : { token: world.owner.accessToken }),
        ...(c.body ? { body: c.body(world, bad) } : {}),
      });
      expect(res.statusCode, `${c.name}: ${res.body}`).toBe(400);
      const problem = expectProblem(res, 400, 'validation_failed');
      expect(problem.errors, c.name).toContainEqual(expect.objectContaining({ path: c.path }));
      expect(await snapshot(), c.name).toBe(before);
    }
  });

  it('refuses NUL in path parameters and query strings with 400 naming the parameter, writing nothing', async () => {
    const before = await snapshot();
    for (const c of URL_CASES) {
      const res = await call(t.app, c.method, c.url(world, ''), c.as === 'anonymous' ? {} : { token: world.owner.accessToken });
      expect(res.statusCode, `${c.name}: ${res.body}`).toBe(400);
      const problem = expectProblem(res, 400, 'validation_failed');
      expect(problem.errors, c.name).toContainEqual(expect.objectContaining({ path: c.path }));
      expect(await snapshot(), c.name).toBe(before);
    }
  });
});

describe('bodies that are not valid UTF-8, and bodies full of bad text', () => {
  it('refuses a body with broken UTF-8 bytes with 400 malformed_json instead of storing U+FFFD', async () => {
    const owner = await registerUser(t.app);
    const before = await snapshot();
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/drafts',
      headers: { ...bearer(owner.accessToken), 'content-type': 'application/json' },
      payload: Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('","platform":"x"}')]),
    });
    expectProblem(res, 400, 'malformed_json');
    expect(await snapshot()).toBe(before);
  });

  it('refuses a compressed body with 415, writing nothing', async () => {
    const owner = await registerUser(t.app);
    const before = await snapshot();
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/drafts',
      headers: { ...bearer(owner.accessToken), 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: gzipSync(JSON.stringify({ title: 'Zipped', platform: 'x' })),
    });
    expectProblem(res, 415, 'unsupported_media_type');
    expect(await snapshot()).toBe(before);
  });

  it('lists at most 20 bad fields however many a body holds', async () => {
    const res = await call(t.app, 'POST', '/v1/auth/login', { body: { email: Array.from({ length: 5000 }, () => '\u0000'), password: 'x' } });
    const problem = expectProblem(res, 400, 'validation_failed');
    expect((problem.errors as unknown[]).length).toBe(20);
  });
});

describe('the request body’s charset', () => {
  const post = (owner: Account, contentType: string) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/drafts',
      headers: { ...bearer(owner.accessToken), 'content-type': contentType },
      payload: JSON.stringify({ title: 'Déjà vu', platform: 'x' }),
    });

  it.each(['application/json; charset=latin1', 'application/json; charset=ISO-8859-1', 'application/json; charset=utf-16', 'application/json;charset="utf-16le"'])(
    'refuses %s with 415, writing nothing',
    async (contentType) => {
      const owner = await registerUser(t.app);
      const before = await snapshot();
      expectProblem(await post(owner, contentType), 415, 'unsupported_media_type');
      expect(await snapshot()).toBe(before);
    },
  );

  it.each(['application/json', 'application/json; charset=utf-8', 'application/json; charset=UTF-8', 'application/json;charset="Utf-8"'])(
    'accepts %s',
    async (contentType) => {
      const owner = await registerUser(t.app);
      const res = await post(owner, contentType);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().title).toBe('Déjà vu');
    },
  );
});

describe('text that shows nothing, and names that reorder text', () => {
  const INVISIBLE = ['\u200b', '\u200c\u200d', ' \u2060\ufeff ', '\u200e\u200f\u061c'];

  it('refuses titles, segments, display names and comments made only of invisible characters, writing nothing', async () => {
    const owner = await registerUser(t.app, { displayName: 'Frodo' });
    const draft = await createDraft(t.app, owner, { initialSegment: 'It begins.' });
    const comment = (text: string) => ({ type: 'comment.added', clientId: 'tab-1', clientSeq: 1, payload: { text } });
    const before = await snapshot();
    for (const blank of INVISIBLE) {
      const cases: Array<[InjectOptions['method'], string, unknown, string]> = [
        ['POST', '/v1/drafts', { title: blank, platform: 'x' }, 'body.title'],
        ['POST', '/v1/drafts', { title: 'ok', platform: 'x', initialSegment: blank }, 'body.initialSegment'],
        ['PATCH', `/v1/drafts/${draft.id}`, { title: blank }, 'body.title'],
        ['POST', `/v1/drafts/${draft.id}/segments`, { content: blank }, 'body.content'],
        ['POST', `/v1/drafts/${draft.id}/events`, comment(blank), 'body.payload.text'],
        ['PATCH', '/v1/me', { displayName: blank }, 'body.displayName'],
        ['POST', '/v1/auth/register', { email: 'pippin@example.test', password: GOOD_PASSWORD, displayName: blank }, 'body.displayName'],
      ];
      for (const [method, url, body, path] of cases) {
        const res = await call(t.app, method, url, { token: owner.accessToken, body });
        const label = `${method} ${url} ${JSON.stringify(blank)}`;
        expect(res.statusCode, `${label}: ${res.body}`).toBe(400);
        expect(res.json().errors, label).toContainEqual(expect.objectContaining({ path }));
      }
    }
    expect(await snapshot()).toBe(before);
  });

  it('refuses bidi override and isolate controls in display names, writing nothing', async () => {
    const owner = await registerUser(t.app, { displayName: 'Frodo' });
    const before = await snapshot();
    for (const control of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069']) {
      const name = `Frodo${control}gnisseb`;
      for (const [method, url, body] of [
        ['PATCH', '/v1/me', { displayName: name }],
        ['POST', '/v1/auth/register', { email: 'pippin@example.test', password: GOOD_PASSWORD, displayName: name }],
      ] as const) {
        const res = await call(t.app, method, url, { token: owner.accessToken, body });
        const problem = expectProblem(res, 400, 'validation_failed');
        expect(problem.errors, `${url} ${JSON.stringify(control)}`).toContainEqual(expect.objectContaining({ path: 'body.displayName' }));
      }
    }
    expect(await snapshot()).toBe(before);
    const marked = await call(t.app, 'PATCH', '/v1/me', { token: owner.accessToken, body: { displayName: '\u05e4\u05e8\u05d5\u05d3\u05d5\u200f' } });
    expect(marked.statusCode, marked.body).toBe(200);
  });
});
