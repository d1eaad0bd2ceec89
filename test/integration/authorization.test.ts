import { describe, expect, it } from 'vitest';
import { addCollaborator, call, createDraft, registerUser, type Account } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();

type World = {
  owner: Account;
  collaborator: Account;
  other: Account;
  stranger: Account;
  acquaintance: Account;
  draftId: string;
  segmentIds: string[];
  inviteId: string;
};
type Role = 'anonymous' | 'stranger' | 'collaborator' | 'owner';
type Route = {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: (w: World) => string;
  body?: (w: World, role: Role) => unknown;
  headers?: Record<string, string>;
  expect: Record<Role, number>;
};

async function world(): Promise<World> {
  const [owner, collaborator, other, stranger, acquaintance] = await Promise.all([
    registerUser(t.app),
    registerUser(t.app),
    registerUser(t.app),
    registerUser(t.app),
    registerUser(t.app),
  ]);
  // The acquaintance shares another draft with the owner, so the owner may add them directly.
  const earlier = await createDraft(t.app, owner, { title: 'Earlier' });
  await addCollaborator(t.app, owner, earlier.id, acquaintance);
  const draft = await createDraft(t.app, owner, { initialSegment: 'first' });
  const second = await call(t.app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: owner.accessToken, body: { content: 'second' } });
  await addCollaborator(t.app, owner, draft.id, collaborator);
  await addCollaborator(t.app, owner, draft.id, other);
  const invite = await call(t.app, 'POST', `/v1/drafts/${draft.id}/invites`, { token: owner.accessToken, body: {} });
  const segmentIds = [draft.segments[0]!.id, second.json().id];
  return { owner, collaborator, other, stranger, acquaintance, draftId: draft.id, segmentIds, inviteId: invite.json().id };
}

const d = (w: World) => `/v1/drafts/${w.draftId}`;
const ROUTES: Route[] = [
  { name: 'get draft', method: 'GET', url: d, expect: { anonymous: 401, stranger: 404, collaborator: 200, owner: 200 } },
  { name: 'rename', method: 'PATCH', url: d, body: () => ({ title: 'new' }), expect: { anonymous: 401, stranger: 404, collaborator: 403, owner: 200 } },
  { name: 'publish', method: 'POST', url: (w) => `${d(w)}/publish`, expect: { anonymous: 401, stranger: 404, collaborator: 403, owner: 200 } },
  { name: 'archive', method: 'POST', url: (w) => `${d(w)}/archive`, expect: { anonymous: 401, stranger: 404, collaborator: 403, owner: 200 } },
  {
    name: 'append segment',
    method: 'POST',
    url: (w) => `${d(w)}/segments`,
    body: () => ({ content: 'more' }),
    expect: { anonymous: 401, stranger: 404, collaborator: 403, owner: 201 },
  },
  {
    name: 'pass ring',
    method: 'POST',
    url: (w) => `${d(w)}/ring/pass`,
    body: (w) => ({ toUserId: w.other.user.id }),
    expect: { anonymous: 401, stranger: 404, collaborator: 403, owner: 200 },
  },
  {
    name: 'take the ring',
    method: 'POST',
    url: (w) => `${d(w)}/ring/take`,
    // The owner holds the ring in this world: taking it is refused for that reason, after the role check.
    expect: { anonymous: 401, stranger: 404, collaborator: 403, owner: 422 },
  },
  { name: 'ring history', method: 'GET', url: (w) => `${d(w)}/ring/history`, expect: { anonymous: 401, stranger: 404, collaborator: 200, owner: 200 } },
  {
    name: 'add collaborator',
    method: 'POST',
    url: (w) => `${d(w)}/collaborators`,
    body: (w) => ({ userId: w.acquaintance.user.id }),
    expect: { anonymous: 401, stranger: 404, collaborator: 403, owner: 201 },
  },
  {
    name: 'remove collaborator',
    method: 'DELETE',
    url: (w) => `${d(w)}/collaborators/${w.other.user.id}`,
    expect: { anonymous: 401, stranger: 404, collaborator: 403, owner: 204 },
  },
  {
    name: 'edit segment',
    method: 'PATCH',
    url: (w) => `${d(w)}/segments/${w.segmentIds[0]}`,
    body: () => ({ content: 'edited' }),
    headers: { 'if-match': '"1"' },
    expect: { anonymous: 401, stranger: 404, collaborator: 403, owner: 200 },
  },
  {
    name: 'delete segment',
    method: 'DELETE',
    url: (w) => `${d(w)}/segments/${w.segmentIds[0]}`,
    headers: { 'if-match': '"1"' },
    expect: { anonymous: 401, stranger: 404, collaborator: 403, owner: 204 },
  },
  {
    name: 'reorder segments',
    method: 'POST',
    url: (w) => `${d(w)}/segments/reorder`,
    body: (w) => ({ order: [...w.segmentIds].reverse() }),
    headers: { 'if-match': '*' },
    expect: { anonymous: 401, stranger: 404, collaborator: 403, owner: 200 },
  },
  {
    name: 'segment revisions',
    method: 'GET',
    url: (w) => `${d(w)}/segments/${w.segmentIds[0]}/revisions`,
    expect: { anonymous: 401, stranger: 404, collaborator: 200, owner: 200 },
  },
  { name: 'attribution', method: 'GET', url: (w) => `${d(w)}/attribution`, expect: { anonymous: 401, stranger: 404, collaborator: 200, owner: 200 } },
  { name: 'export', method: 'GET', url: (w) => `${d(w)}/export?format=json`, expect: { anonymous: 401, stranger: 404, collaborator: 200, owner: 200 } },
  {
    name: 'create invite',
    method: 'POST',
    url: (w) => `${d(w)}/invites`,
    body: () => ({}),
    expect: { anonymous: 401, stranger: 404, collaborator: 403, owner: 201 },
  },
  { name: 'list invites', method: 'GET', url: (w) => `${d(w)}/invites`, expect: { anonymous: 401, stranger: 404, collaborator: 403, owner: 200 } },
  {
    name: 'revoke invite',
    method: 'DELETE',
    url: (w) => `${d(w)}/invites/${w.inviteId}`,
    expect: { anonymous: 401, stranger: 404, collaborator: 403, owner: 204 },
  },
  { name: 'read events', method: 'GET', url: (w) => `${d(w)}/events`, expect: { anonymous: 401, stranger: 404, collaborator: 200, owner: 200 } },
  {
    name: 'append event',
    method: 'POST',
    url: (w) => `${d(w)}/events`,
    body: (_w, role) => ({ type: 'comment.added', clientId: role, clientSeq: 1, payload: { text: 'hi' } }),
    expect: { anonymous: 401, stranger: 404, collaborator: 201, owner: 201 },
  },
];

const ORDER: Role[] = ['anonymous', 'stranger', 'collaborator', 'owner'];

describe('authorization matrix: every draft route × owner, collaborator, stranger, anonymous', () => {
  it.each(ROUTES.map((r) => [r.name, r] as const))('%s', async (_name, route) => {
    const w = await world();
    const before = (await call(t.app, 'GET', `/v1/drafts/${w.draftId}/events`, { token: w.owner.accessToken })).json().lastServerSeq;
    for (const role of ORDER) {
      const token = role === 'anonymous' ? undefined : w[role].accessToken;
      const res = await call(t.app, route.method, route.url(w), { ...(token ? { token } : {}), body: route.body?.(w, role), headers: route.headers });
      expect(res.statusCode, `${role}: ${res.body}`).toBe(route.expect[role]);
      if (res.statusCode >= 400) expect(res.headers['content-type']).toMatch(/problem\+json/);
      if (role !== 'owner' && route.method !== 'GET' && route.expect[role] >= 400) {
        const now = (await call(t.app, 'GET', `/v1/drafts/${w.draftId}/events`, { token: w.owner.accessToken })).json().lastServerSeq;
        expect(now, `${role} changed nothing`).toBe(before);
      }
    }
  });

  it('lists only drafts the caller belongs to, and needs a token for lists, creation and accepting', async () => {
    const w = await world();
    const strangers = (await call(t.app, 'GET', '/v1/drafts', { token: w.stranger.accessToken })).json();
    expect(strangers.items).toEqual([]);
    expect((await call(t.app, 'GET', '/v1/drafts')).statusCode).toBe(401);
    expect((await call(t.app, 'POST', '/v1/drafts', { body: { title: 'x', platform: 'x' } })).statusCode).toBe(401);
    expect((await call(t.app, 'POST', '/v1/drafts/import', { body: { title: 'x', platform: 'x', text: 'one' } })).statusCode).toBe(401);
    expect((await call(t.app, 'POST', '/v1/invites/accept', { body: { token: 'x' } })).statusCode).toBe(401);
  });
});
