import { describe, expect, it } from 'vitest';
import { auditLog } from '../../src/server/db/schema/index.js';
import { setRoleByEmail } from '../../src/server/features/users/repo.js';
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
  previewLinkId: string;
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
  const previewLink = await call(t.app, 'POST', `/v1/drafts/${draft.id}/preview-links`, { token: owner.accessToken });
  const segmentIds = [draft.segments[0]!.id, second.json().id];
  return { owner, collaborator, other, stranger, acquaintance, draftId: draft.id, segmentIds, inviteId: invite.json().id, previewLinkId: previewLink.json().id };
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
  { name: 'analytics', method: 'GET', url: (w) => `${d(w)}/analytics`, expect: { anonymous: 401, stranger: 404, collaborator: 200, owner: 200 } },
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
  { name: 'share card', method: 'GET', url: (w) => `${d(w)}/share-card`, expect: { anonymous: 404, stranger: 404, collaborator: 200, owner: 200 } },
  { name: 'share card image', method: 'GET', url: (w) => `${d(w)}/share-card.png`, expect: { anonymous: 404, stranger: 404, collaborator: 200, owner: 200 } },
  {
    name: 'create preview link',
    method: 'POST',
    url: (w) => `${d(w)}/preview-links`,
    body: () => ({}),
    expect: { anonymous: 401, stranger: 404, collaborator: 403, owner: 201 },
  },
  { name: 'list preview links', method: 'GET', url: (w) => `${d(w)}/preview-links`, expect: { anonymous: 401, stranger: 404, collaborator: 403, owner: 200 } },
  {
    name: 'revoke preview link',
    method: 'DELETE',
    url: (w) => `${d(w)}/preview-links/${w.previewLinkId}`,
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

type AdminWorld = { admin: Account; user: Account; target: Account; overrideId: string };
type AdminRole = 'anonymous' | 'user' | 'admin';
type AdminRoute = {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path as OpenAPI writes it, and the request's url in this world. */
  path: string;
  url: (w: AdminWorld) => string;
  body?: (w: AdminWorld) => unknown;
  expect: Record<AdminRole, number>;
};

/** An admin (promoted the way admin:grant does it), an ordinary user, and a user to act on, with an override. */
async function adminWorld(): Promise<AdminWorld> {
  const [admin, user, target] = await Promise.all([registerUser(t.app), registerUser(t.app), registerUser(t.app)]);
  await setRoleByEmail(t.database.db, admin.email, 'admin', t.clock.now());
  const created = await call(t.app, 'POST', '/v1/admin/entitlements/overrides', { token: admin.accessToken, body: { userId: target.user.id, key: 'drafts.max', value: 20 } });
  return { admin, user, target, overrideId: created.json().id };
}

// Admin routes are 401 signed out and 404 to anyone signed in who is not an admin: they do not show they exist.
const ADMIN_ONLY = { anonymous: 401, user: 404, admin: 200 } as const;
const ADMIN_ROUTES: AdminRoute[] = [
  { name: 'list plans', method: 'GET', path: '/v1/plans', url: () => '/v1/plans', expect: { anonymous: 200, user: 200, admin: 200 } },
  { name: 'my entitlements', method: 'GET', path: '/v1/me/entitlements', url: () => '/v1/me/entitlements', expect: { anonymous: 401, user: 200, admin: 200 } },
  { name: 'search users', method: 'GET', path: '/v1/admin/users', url: () => '/v1/admin/users?q=example', expect: ADMIN_ONLY },
  { name: 'user view', method: 'GET', path: '/v1/admin/users/{id}', url: (w) => `/v1/admin/users/${w.target.user.id}`, expect: ADMIN_ONLY },
  { name: 'set a plan', method: 'PUT', path: '/v1/admin/users/{id}/plan', url: (w) => `/v1/admin/users/${w.target.user.id}/plan`, body: () => ({ plan: 'team' }), expect: ADMIN_ONLY },
  { name: 'set a role', method: 'PUT', path: '/v1/admin/users/{id}/role', url: (w) => `/v1/admin/users/${w.target.user.id}/role`, body: () => ({ role: 'admin' }), expect: ADMIN_ONLY },
  { name: 'revoke sessions', method: 'POST', path: '/v1/admin/users/{id}/sessions/revoke', url: (w) => `/v1/admin/users/${w.target.user.id}/sessions/revoke`, expect: ADMIN_ONLY },
  { name: 'reset grace', method: 'POST', path: '/v1/admin/users/{id}/grace/reset', url: (w) => `/v1/admin/users/${w.target.user.id}/grace/reset`, body: () => ({}), expect: ADMIN_ONLY },
  { name: 'list overrides', method: 'GET', path: '/v1/admin/entitlements/overrides', url: (w) => `/v1/admin/entitlements/overrides?userId=${w.target.user.id}`, expect: ADMIN_ONLY },
  {
    name: 'create an override',
    method: 'POST',
    path: '/v1/admin/entitlements/overrides',
    url: () => '/v1/admin/entitlements/overrides',
    body: (w) => ({ userId: w.target.user.id, key: 'collaborators.max', value: 9 }),
    expect: { ...ADMIN_ONLY, admin: 201 },
  },
  { name: 'delete an override', method: 'DELETE', path: '/v1/admin/entitlements/overrides/{id}', url: (w) => `/v1/admin/entitlements/overrides/${w.overrideId}`, expect: { ...ADMIN_ONLY, admin: 204 } },
  { name: 'admin plans', method: 'GET', path: '/v1/admin/plans', url: () => '/v1/admin/plans', expect: ADMIN_ONLY },
  { name: 'set enforcement', method: 'PUT', path: '/v1/admin/plans/{id}/enforcement', url: () => '/v1/admin/plans/team/enforcement', body: () => ({ enabled: false }), expect: ADMIN_ONLY },
  { name: 'audit log', method: 'GET', path: '/v1/admin/audit', url: () => '/v1/admin/audit', expect: ADMIN_ONLY },
];

describe('authorization matrix: plan and admin routes × admin, user, anonymous', () => {
  it.each(ADMIN_ROUTES.map((r) => [r.name, r] as const))('%s', async (_name, route) => {
    const w = await adminWorld();
    const auditBefore = await t.database.db.select().from(auditLog);
    for (const role of ['anonymous', 'user', 'admin'] as const) {
      const token = role === 'anonymous' ? undefined : w[role].accessToken;
      const res = await call(t.app, route.method, route.url(w), { ...(token ? { token } : {}), body: route.body?.(w) });
      expect(res.statusCode, `${role}: ${res.body}`).toBe(route.expect[role]);
      if (res.statusCode >= 400) expect(res.headers['content-type']).toMatch(/problem\+json/);
      if (role !== 'admin') {
        // Refused callers changed nothing: no new audit row, the target's role and sessions as they were.
        expect(await t.database.db.select().from(auditLog), `${role} changed nothing`).toEqual(auditBefore);
        const me = await call(t.app, 'GET', '/v1/me', { token: w.target.accessToken });
        expect([me.statusCode, me.json().role], `${role} changed nothing`).toEqual([200, 'user']);
      }
    }
  });

  it('covers every admin route in the API', async () => {
    const doc = (await call(t.app, 'GET', '/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v1/admin'))
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    const covered = ADMIN_ROUTES.filter((r) => r.path.startsWith('/v1/admin')).map((r) => `${r.method} ${r.path}`);
    expect(covered.sort()).toEqual(documented.sort());
  });
});

type CoachWorld = { owner: Account; stranger: Account; draftId: string; segmentId: string; turnId: string; sessionId: string };
type CoachRole = 'anonymous' | 'stranger' | 'owner';
type CoachRoute = {
  name: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** The path as OpenAPI writes it, and the request's url in this world. */
  path: string;
  url: (w: CoachWorld) => string;
  body?: (w: CoachWorld) => unknown;
  expect: Record<CoachRole, number>;
};

/** A writer with a draft, a turn and a Mirror session of their own, and a stranger to all of it. */
async function coachWorld(): Promise<CoachWorld> {
  const [owner, stranger] = await Promise.all([registerUser(t.app), registerUser(t.app)]);
  const draft = await createDraft(t.app, owner, { initialSegment: 'first' });
  const turn = await call(t.app, 'POST', '/v1/coach/turns', { token: owner.accessToken, body: { text: 'a thought' } });
  const session = await call(t.app, 'POST', '/v1/coach/mirror/sessions', { token: owner.accessToken, body: { draftId: draft.id } });
  return { owner, stranger, draftId: draft.id, segmentId: draft.segments[0]!.id, turnId: turn.json().id, sessionId: session.json().id };
}

const s = (w: CoachWorld) => `/v1/coach/mirror/sessions/${w.sessionId}`;
// Someone else's turn, session or draft is 404 to a stranger, exactly like one that does not exist.
const COACH_ROUTES: CoachRoute[] = [
  { name: 'turn from a draft post', method: 'POST', path: '/v1/coach/turns', url: () => '/v1/coach/turns', body: (w) => ({ draftId: w.draftId, segmentId: w.segmentId }), expect: { anonymous: 401, stranger: 404, owner: 201 } },
  { name: 'list turns', method: 'GET', path: '/v1/coach/turns', url: () => '/v1/coach/turns', expect: { anonymous: 401, stranger: 200, owner: 200 } },
  { name: 'read a turn', method: 'GET', path: '/v1/coach/turns/{id}', url: (w) => `/v1/coach/turns/${w.turnId}`, expect: { anonymous: 401, stranger: 404, owner: 200 } },
  { name: 'session about a draft', method: 'POST', path: '/v1/coach/mirror/sessions', url: () => '/v1/coach/mirror/sessions', body: (w) => ({ draftId: w.draftId }), expect: { anonymous: 401, stranger: 404, owner: 201 } },
  { name: 'list sessions', method: 'GET', path: '/v1/coach/mirror/sessions', url: () => '/v1/coach/mirror/sessions', expect: { anonymous: 401, stranger: 200, owner: 200 } },
  { name: 'read a session', method: 'GET', path: '/v1/coach/mirror/sessions/{id}', url: s, expect: { anonymous: 401, stranger: 404, owner: 200 } },
  { name: 'list messages', method: 'GET', path: '/v1/coach/mirror/sessions/{id}/messages', url: (w) => `${s(w)}/messages`, expect: { anonymous: 401, stranger: 404, owner: 200 } },
  { name: 'send a message', method: 'POST', path: '/v1/coach/mirror/sessions/{id}/messages', url: (w) => `${s(w)}/messages`, body: () => ({ content: 'hello' }), expect: { anonymous: 401, stranger: 404, owner: 201 } },
  { name: 'delete a session', method: 'DELETE', path: '/v1/coach/mirror/sessions/{id}', url: s, expect: { anonymous: 401, stranger: 404, owner: 204 } },
];

describe('authorization matrix: Turn and Mirror routes × owner, stranger, anonymous', () => {
  it.each(COACH_ROUTES.map((r) => [r.name, r] as const))('%s', async (_name, route) => {
    const w = await coachWorld();
    const ownerView = async () => [
      (await call(t.app, 'GET', '/v1/coach/turns', { token: w.owner.accessToken })).body,
      (await call(t.app, 'GET', `/v1/coach/mirror/sessions/${w.sessionId}/messages`, { token: w.owner.accessToken })).body,
      (await call(t.app, 'GET', '/v1/coach/mirror/sessions', { token: w.owner.accessToken })).body,
    ];
    const before = await ownerView();
    for (const role of ['anonymous', 'stranger', 'owner'] as const) {
      const token = role === 'anonymous' ? undefined : w[role].accessToken;
      const res = await call(t.app, route.method, route.url(w), { ...(token ? { token } : {}), body: route.body?.(w) });
      expect(res.statusCode, `${role}: ${res.body}`).toBe(route.expect[role]);
      if (res.statusCode >= 400) expect(res.headers['content-type']).toMatch(/problem\+json/);
      if (role !== 'owner') expect(await ownerView(), `${role} changed nothing`).toEqual(before);
    }
  });

  it('covers every Turn and Mirror route in the API', async () => {
    const doc = (await call(t.app, 'GET', '/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v1/coach/turns') || path.startsWith('/v1/coach/mirror'))
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    expect(COACH_ROUTES.map((r) => `${r.method} ${r.path}`).sort()).toEqual(documented.sort());
  });
});

type GoalWorld = { owner: Account; stranger: Account; goalId: string; actionId: string };
type GoalRole = 'anonymous' | 'stranger' | 'owner';
type GoalRoute = {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** The path as OpenAPI writes it, and the request's url in this world. */
  path: string;
  url: (w: GoalWorld) => string;
  body?: () => unknown;
  expect: Record<GoalRole, number>;
};

/** A goal with one action, its owner, and a stranger with a goal of their own. */
async function goalWorld(): Promise<GoalWorld> {
  const [owner, stranger] = await Promise.all([registerUser(t.app), registerUser(t.app)]);
  const goal = await call(t.app, 'POST', '/v1/coach/goals', { token: owner.accessToken, body: { title: 'Write every morning' } });
  const action = await call(t.app, 'POST', `/v1/coach/goals/${goal.json().id}/actions`, { token: owner.accessToken, body: { title: 'Morning pages' } });
  await call(t.app, 'POST', '/v1/coach/goals', { token: stranger.accessToken, body: { title: 'Mine' } });
  return { owner, stranger, goalId: goal.json().id, actionId: action.json().id };
}

// A goal is its owner's alone: anyone else meets a 404, as if it did not exist.
const OWNER_ONLY = { anonymous: 401, stranger: 404, owner: 200 } as const;
const g = (w: GoalWorld) => `/v1/coach/goals/${w.goalId}`;
const GOAL_ROUTES: GoalRoute[] = [
  { name: 'create goal', method: 'POST', path: '/v1/coach/goals', url: () => '/v1/coach/goals', body: () => ({ title: 'Another' }), expect: { anonymous: 401, stranger: 201, owner: 201 } },
  { name: 'list goals', method: 'GET', path: '/v1/coach/goals', url: () => '/v1/coach/goals', expect: { anonymous: 401, stranger: 200, owner: 200 } },
  { name: 'get goal', method: 'GET', path: '/v1/coach/goals/{id}', url: g, expect: OWNER_ONLY },
  { name: 'change goal', method: 'PATCH', path: '/v1/coach/goals/{id}', url: g, body: () => ({ title: 'Taken' }), expect: OWNER_ONLY },
  { name: 'delete goal', method: 'DELETE', path: '/v1/coach/goals/{id}', url: g, expect: { ...OWNER_ONLY, owner: 204 } },
  { name: 'add action', method: 'POST', path: '/v1/coach/goals/{id}/actions', url: (w) => `${g(w)}/actions`, body: () => ({ title: 'More' }), expect: { ...OWNER_ONLY, owner: 201 } },
  {
    name: 'change action',
    method: 'PATCH',
    path: '/v1/coach/goals/{id}/actions/{actionId}',
    url: (w) => `${g(w)}/actions/${w.actionId}`,
    body: () => ({ done: true }),
    expect: OWNER_ONLY,
  },
  { name: 'delete action', method: 'DELETE', path: '/v1/coach/goals/{id}/actions/{actionId}', url: (w) => `${g(w)}/actions/${w.actionId}`, expect: { ...OWNER_ONLY, owner: 204 } },
  { name: "a day's actions", method: 'GET', path: '/v1/coach/actions', url: () => '/v1/coach/actions', expect: { anonymous: 401, stranger: 200, owner: 200 } },
];

describe('authorization matrix: Lens goals and actions × owner, stranger, anonymous', () => {
  it.each(GOAL_ROUTES.map((r) => [r.name, r] as const))('%s', async (_name, route) => {
    const w = await goalWorld();
    const ownerView = () => call(t.app, 'GET', g(w), { token: w.owner.accessToken }).then((res) => res.body);
    const before = await ownerView();
    for (const role of ['anonymous', 'stranger', 'owner'] as const) {
      const token = role === 'anonymous' ? undefined : w[role].accessToken;
      const res = await call(t.app, route.method, route.url(w), { ...(token ? { token } : {}), body: route.body?.() });
      expect(res.statusCode, `${role}: ${res.body}`).toBe(route.expect[role]);
      if (res.statusCode >= 400) expect(res.headers['content-type']).toMatch(/problem\+json/);
      if (role === 'stranger' && route.method === 'GET' && res.statusCode === 200) expect(res.body, 'no trace of the owner\'s goal').not.toContain(w.goalId);
      if (role !== 'owner') expect(await ownerView(), `${role} changed nothing`).toBe(before);
    }
  });

  it('covers every Lens route in the API', async () => {
    const doc = (await call(t.app, 'GET', '/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v1/coach/goals') || path === '/v1/coach/actions')
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    expect(GOAL_ROUTES.map((r) => `${r.method} ${r.path}`).sort()).toEqual(documented.sort());
  });
});
