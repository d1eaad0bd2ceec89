import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, entitlementGrace, userPlans } from '../../src/server/db/schema/index.js';
import { setRoleByEmail } from '../../src/server/features/users/repo.js';
import { call, expectProblem, registerUser, type Account } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';
import { withAuditBroken } from '../helpers/audit.js';
import { MemoryLimitStore, type WindowCount } from '../../src/server/platform/limits.js';

const t = useTestApp({ config: { accessTokenTtlSeconds: 86_400 } });

async function anAdmin(): Promise<Account> {
  const admin = await registerUser(t.app, { displayName: 'Gandalf' });
  await setRoleByEmail(t.database.db, admin.email, 'admin', t.clock.now());
  return admin;
}

const auditRows = () => t.database.db.select().from(auditLog).orderBy(asc(auditLog.createdAt), asc(auditLog.id));
const graceOf = async (user: Account) =>
  (await t.database.db.select().from(entitlementGrace).where(eq(entitlementGrace.userId, user.user.id))).map((g) => [g.key, g.used]);
const newDraft = (who: Account) => call(t.app, 'POST', '/v1/drafts', { token: who.accessToken, body: { title: 'A thread', platform: 'x' } });

/** A user who has taken one grace use of drafts.max (limit lowered to 0 by an override, then removed). */
async function userWithGrace(admin: Account): Promise<Account> {
  const user = await registerUser(t.app);
  const o = await call(t.app, 'POST', '/v1/admin/entitlements/overrides', { token: admin.accessToken, body: { userId: user.user.id, key: 'drafts.max', value: 0 } });
  expect((await newDraft(user)).statusCode).toBe(201);
  await call(t.app, 'DELETE', `/v1/admin/entitlements/overrides/${o.json().id}`, { token: admin.accessToken });
  expect(await graceOf(user)).toEqual([['drafts.max', 1]]);
  return user;
}

describe('PUT /v1/admin/users/:id/plan', () => {
  it("moves the user, gives back their grace, and audits it with the request's id in the same change", async () => {
    const admin = await anAdmin();
    const user = await userWithGrace(admin);
    const before = (await auditRows()).length;
    const res = await call(t.app, 'PUT', `/v1/admin/users/${user.user.id}/plan`, { token: admin.accessToken, body: { plan: 'creator' }, headers: { 'x-request-id': 'req-plan-1' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ user: { id: user.user.id, plan: 'creator' }, planSince: t.clock.now().toISOString() });
    expect(res.json().entitlements[0]).toMatchObject({ key: 'drafts.max', limit: 100, used: 1, graceTotal: 5, graceLeft: 5 });
    expect(await graceOf(user)).toEqual([]);
    const rows = (await auditRows()).slice(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorId: admin.user.id,
      actorEmail: admin.email,
      action: 'user.plan_set',
      targetType: 'user',
      targetId: user.user.id,
      before: { plan: 'free', graceUsed: { 'drafts.max': 1 } },
      after: { plan: 'creator', graceUsed: {} },
      requestId: 'req-plan-1',
    });
    expect((await call(t.app, 'GET', '/v1/me/entitlements', { token: user.accessToken })).json().plan).toBe('creator');
  });

  it('changes nothing and writes no audit row for the plan the user already has', async () => {
    const admin = await anAdmin();
    const user = await userWithGrace(admin);
    const before = (await auditRows()).length;
    expect((await call(t.app, 'PUT', `/v1/admin/users/${user.user.id}/plan`, { token: admin.accessToken, body: { plan: 'free' } })).statusCode).toBe(200);
    expect(await graceOf(user)).toEqual([['drafts.max', 1]]);
    expect(await auditRows()).toHaveLength(before);
  });

  it('answers 404 for an unknown user, 400 for an unknown plan, and 404 to anyone not an admin', async () => {
    const admin = await anAdmin();
    const user = await registerUser(t.app);
    expectProblem(await call(t.app, 'PUT', `/v1/admin/users/${randomUUID()}/plan`, { token: admin.accessToken, body: { plan: 'team' } }), 404, 'user_not_found');
    expectProblem(await call(t.app, 'PUT', `/v1/admin/users/${user.user.id}/plan`, { token: admin.accessToken, body: { plan: 'gold' } }), 400, 'validation_failed');
    expectProblem(await call(t.app, 'PUT', `/v1/admin/users/${user.user.id}/plan`, { token: user.accessToken, body: { plan: 'team' } }), 404, 'not_found');
    const [plan] = await t.database.db.select().from(userPlans).where(eq(userPlans.userId, user.user.id));
    expect(plan!.planId).toBe('free');
    expect(await auditRows()).toEqual([]);
  });
});

describe('POST /v1/admin/users/:id/grace/reset', () => {
  it('gives back the grace of one entitlement or of all, audited', async () => {
    const admin = await anAdmin();
    const user = await userWithGrace(admin);
    const before = (await auditRows()).length;
    const one = await call(t.app, 'POST', `/v1/admin/users/${user.user.id}/grace/reset`, { token: admin.accessToken, body: { key: 'collaborators.max' } });
    expect(one.statusCode).toBe(200);
    expect(await graceOf(user)).toEqual([['drafts.max', 1]]);
    const all = await call(t.app, 'POST', `/v1/admin/users/${user.user.id}/grace/reset`, { token: admin.accessToken, body: {} });
    expect(all.json().entitlements[0]).toMatchObject({ key: 'drafts.max', graceLeft: 2 });
    expect(await graceOf(user)).toEqual([]);
    const rows = (await auditRows()).slice(before);
    expect(rows.map((r) => [r.action, r.targetId, r.before, r.after])).toEqual([
      ['entitlement.grace_reset', user.user.id, { key: 'collaborators.max', graceUsed: {} }, { key: 'collaborators.max', graceUsed: {} }],
      ['entitlement.grace_reset', user.user.id, { key: null, graceUsed: { 'drafts.max': 1 } }, { key: null, graceUsed: {} }],
    ]);
    expectProblem(await call(t.app, 'POST', `/v1/admin/users/${randomUUID()}/grace/reset`, { token: admin.accessToken, body: {} }), 404, 'user_not_found');
  });
});

describe('entitlement overrides', () => {
  it('creates, replaces (one per user and key), lists and deletes, each audited with before and after', async () => {
    const admin = await anAdmin();
    const user = await registerUser(t.app);
    const create = (body: Record<string, unknown>) => call(t.app, 'POST', '/v1/admin/entitlements/overrides', { token: admin.accessToken, body: { userId: user.user.id, ...body } });
    const expiresAt = new Date(t.clock.now().getTime() + 86_400_000).toISOString();
    const first = await create({ key: 'drafts.max', value: 50, expiresAt });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ userId: user.user.id, key: 'drafts.max', value: 50, expiresAt, createdBy: admin.user.id });
    const second = await create({ key: 'drafts.max', value: 60 });
    await create({ key: 'analytics.enabled', value: 0 });
    const list = (await call(t.app, 'GET', `/v1/admin/entitlements/overrides?userId=${user.user.id}`, { token: admin.accessToken })).json();
    expect(list.items.map((o: { key: string; value: number }) => [o.key, o.value])).toEqual([
      ['analytics.enabled', 0],
      ['drafts.max', 60],
    ]);
    expect((await call(t.app, 'DELETE', `/v1/admin/entitlements/overrides/${second.json().id}`, { token: admin.accessToken })).statusCode).toBe(204);
    expectProblem(await call(t.app, 'DELETE', `/v1/admin/entitlements/overrides/${second.json().id}`, { token: admin.accessToken }), 404, 'override_not_found');
    // Each row names the user whose entitlement changed, so the user's view shows them; the override is in before/after.
    const rows = await auditRows();
    expect(rows.map((r) => [r.action, r.targetType, r.targetId])).toEqual([
      ['entitlement.override_set', 'user', user.user.id],
      ['entitlement.override_set', 'user', user.user.id],
      ['entitlement.override_set', 'user', user.user.id],
      ['entitlement.override_deleted', 'user', user.user.id],
    ]);
    expect(rows[0]).toMatchObject({ before: null, after: first.json() });
    expect(rows[1]).toMatchObject({ before: first.json(), after: second.json() });
    expect(rows[3]).toMatchObject({ before: second.json(), after: null });
    const detail = (await call(t.app, 'GET', `/v1/admin/users/${user.user.id}`, { token: admin.accessToken })).json();
    expect(detail.overrides.map((o: { key: string }) => o.key)).toEqual(['analytics.enabled']);
    expect(detail.recentAudit.map((r: { action: string }) => r.action)).toEqual([
      'entitlement.override_deleted',
      'entitlement.override_set',
      'entitlement.override_set',
      'entitlement.override_set',
    ]);
  });

  it('refuses a flag value other than 0 or 1, an expiry already past, and an unknown user, writing nothing', async () => {
    const admin = await anAdmin();
    const user = await registerUser(t.app);
    const create = (body: Record<string, unknown>) => call(t.app, 'POST', '/v1/admin/entitlements/overrides', { token: admin.accessToken, body });
    expectProblem(await create({ userId: user.user.id, key: 'analytics.enabled', value: 2 }), 400, 'validation_failed');
    expectProblem(await create({ userId: user.user.id, key: 'drafts.max', value: 2, expiresAt: t.clock.now().toISOString() }), 400, 'validation_failed');
    // Past five years is no expiry at all; year 0000 does not exist in the database.
    const sixYears = new Date(t.clock.now().getTime() + 6 * 366 * 86_400_000).toISOString();
    expectProblem(await create({ userId: user.user.id, key: 'drafts.max', value: 2, expiresAt: sixYears }), 400, 'validation_failed');
    expectProblem(await create({ userId: user.user.id, key: 'drafts.max', value: 2, expiresAt: '0000-01-01T00:00:00Z' }), 400, 'validation_failed');
    expectProblem(await create({ userId: user.user.id, key: 'drafts.unknown', value: 2 }), 400, 'validation_failed');
    expectProblem(await create({ userId: randomUUID(), key: 'drafts.max', value: 2 }), 404, 'user_not_found');
    expectProblem(await call(t.app, 'GET', `/v1/admin/entitlements/overrides?userId=${randomUUID()}`, { token: admin.accessToken }), 404, 'user_not_found');
    expect((await call(t.app, 'GET', `/v1/admin/entitlements/overrides?userId=${user.user.id}`, { token: admin.accessToken })).json().items).toEqual([]);
    expect(await auditRows()).toEqual([]);
  });
});

describe('plans and their enforcement', () => {
  it('lists the plans to admins and switches enforcement, audited only when it changes', async () => {
    const admin = await anAdmin();
    const plans = (await call(t.app, 'GET', '/v1/admin/plans', { token: admin.accessToken })).json();
    expect(plans.items.map((p: { id: string; enforcementEnabled: boolean }) => [p.id, p.enforcementEnabled])).toEqual([
      ['free', true],
      ['creator', true],
      ['team', true],
    ]);
    const set = (id: string, enabled: boolean) => call(t.app, 'PUT', `/v1/admin/plans/${id}/enforcement`, { token: admin.accessToken, body: { enabled } });
    expect((await set('creator', false)).json()).toMatchObject({ id: 'creator', enforcementEnabled: false });
    expect((await set('creator', false)).statusCode).toBe(200);
    expect((await set('creator', true)).json()).toMatchObject({ enforcementEnabled: true });
    expectProblem(await set('gold', true), 400, 'validation_failed');
    const rows = await auditRows();
    expect(rows.map((r) => [r.action, r.targetType, r.targetId, r.before, r.after])).toEqual([
      ['plan.enforcement_set', 'plan', 'creator', { enforcementEnabled: true }, { enforcementEnabled: false }],
      ['plan.enforcement_set', 'plan', 'creator', { enforcementEnabled: false }, { enforcementEnabled: true }],
    ]);
  });
});

describe('GET /v1/admin/users/:id', () => {
  it("shows the user's plan, entitlements, overrides and active sessions; 404 for an unknown user", async () => {
    const admin = await anAdmin();
    const user = await registerUser(t.app, { displayName: 'Frodo' });
    await call(t.app, 'POST', '/v1/auth/login', { body: { email: user.email, password: user.password } });
    expect((await newDraft(user)).statusCode).toBe(201);
    expect((await call(t.app, 'GET', '/v1/drafts', { token: user.accessToken })).statusCode).toBe(200);
    expect((await call(t.app, 'GET', '/v1/me', { token: user.accessToken })).statusCode).toBe(200);
    const res = await call(t.app, 'GET', `/v1/admin/users/${user.user.id}`, { token: admin.accessToken });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      user: { id: user.user.id, email: user.email, displayName: 'Frodo', role: 'user', plan: 'free' },
      enforcementEnabled: true,
      overrides: [],
      activeSessions: 2,
      // The user's own requests today, by route group: one draft created, two reads.
      usageCounters: [
        { name: 'reads', window: 'day', count: 2 },
        { name: 'writes', window: 'day', count: 1 },
        { name: 'public', window: 'day', count: 0 },
        { name: 'live', window: 'day', count: 0 },
      ],
      recentAudit: [],
    });
    expect(res.json().entitlements[0]).toMatchObject({ key: 'drafts.max', used: 1 });
    expectProblem(await call(t.app, 'GET', `/v1/admin/users/${randomUUID()}`, { token: admin.accessToken }), 404, 'user_not_found');
    expectProblem(await call(t.app, 'GET', `/v1/admin/users/${user.user.id}`, { token: user.accessToken }), 404, 'not_found');
    expectProblem(await call(t.app, 'GET', `/v1/admin/users/${user.user.id}`), 401, 'unauthorized');
  });
});

describe('a plan or entitlement change whose audit row cannot be written', () => {
  it('fails, and leaves plan, grace, overrides and enforcement as they were', async () => {
    const admin = await anAdmin();
    const user = await userWithGrace(admin);
    const kept = await call(t.app, 'POST', '/v1/admin/entitlements/overrides', { token: admin.accessToken, body: { userId: user.user.id, key: 'collaborators.max', value: 7 } });
    const overridesBefore = (await call(t.app, 'GET', `/v1/admin/entitlements/overrides?userId=${user.user.id}`, { token: admin.accessToken })).json();
    const rowsBefore = await auditRows();
    const as = { token: admin.accessToken };
    await withAuditBroken(t.database.db, async () => {
      expectProblem(await call(t.app, 'PUT', `/v1/admin/users/${user.user.id}/plan`, { ...as, body: { plan: 'team' } }), 500, 'internal_error');
      expectProblem(await call(t.app, 'POST', `/v1/admin/users/${user.user.id}/grace/reset`, { ...as, body: {} }), 500, 'internal_error');
      const override = { userId: user.user.id, key: 'drafts.max', value: 50 };
      expectProblem(await call(t.app, 'POST', '/v1/admin/entitlements/overrides', { ...as, body: override }), 500, 'internal_error');
      expectProblem(await call(t.app, 'DELETE', `/v1/admin/entitlements/overrides/${kept.json().id}`, as), 500, 'internal_error');
      expectProblem(await call(t.app, 'PUT', '/v1/admin/plans/free/enforcement', { ...as, body: { enabled: false } }), 500, 'internal_error');
    });
    expect((await t.database.db.select().from(userPlans).where(eq(userPlans.userId, user.user.id)))[0]?.planId).toBe('free');
    expect(await graceOf(user)).toEqual([['drafts.max', 1]]);
    expect((await call(t.app, 'GET', `/v1/admin/entitlements/overrides?userId=${user.user.id}`, as)).json()).toEqual(overridesBefore);
    expect((await call(t.app, 'GET', '/v1/plans')).json().items.find((p: { id: string }) => p.id === 'free').enforcementEnabled).toBe(true);
    expect(await auditRows()).toEqual(rowsBefore);
  });
});

describe('the admin view when the counters cannot be read', () => {
  it('still changes the plan and shows the user, without the request counts', async () => {
    class UnreadableCounters extends MemoryLimitStore {
      override async peek(): Promise<WindowCount> {
        throw new Error('the limit store cannot be reached');
      }
    }
    const instance = await t.build({ limits: new UnreadableCounters(t.clock) }, t.clock);
    try {
      const admin = await anAdmin();
      const user = await registerUser(t.app);
      const res = await call(instance.app, 'PUT', `/v1/admin/users/${user.user.id}/plan`, { token: admin.accessToken, body: { plan: 'creator' } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ user: { plan: 'creator' }, usageCounters: [] });
      expect(instance.logs.lines.some((line) => line.includes('usage counters unavailable'))).toBe(true);
    } finally {
      await instance.app.close();
    }
  });
});
