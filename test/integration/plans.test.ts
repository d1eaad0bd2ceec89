import { and, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import type { MyEntitlements } from '../../src/contract/plans.js';
import { coachTurns, drafts, mirrorSessions, planEntitlements } from '../../src/server/db/schema/index.js';
import { setRoleByEmail } from '../../src/server/features/users/repo.js';
import { addCollaborator, call, createDraft, expectProblem, registerUser, type Account } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp({ config: { accessTokenTtlSeconds: 86_400 } });

const newDraft = (who: Account, title = 'A thread') => call(t.app, 'POST', '/v1/drafts', { token: who.accessToken, body: { title, platform: 'x' } });
const entitlements = async (who: Account) => (await call(t.app, 'GET', '/v1/me/entitlements', { token: who.accessToken })).json() as MyEntitlements;
const statusOf = async (who: Account, key: string) => (await entitlements(who)).entitlements.find((e) => e.key === key)!;
const draftCount = async (who: Account) => (await t.database.db.select().from(drafts).where(eq(drafts.ownerId, who.user.id))).length;

async function anAdmin(): Promise<Account> {
  const admin = await registerUser(t.app);
  await setRoleByEmail(t.database.db, admin.email, 'admin', t.clock.now());
  return admin;
}

async function override(admin: Account, body: Record<string, unknown>) {
  const res = await call(t.app, 'POST', '/v1/admin/entitlements/overrides', { token: admin.accessToken, body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}

describe('drafts.max on the free plan (10, grace 2)', () => {
  it('allows 10, then 2 with grace, then blocks with 403 quota_exceeded and writes nothing', async () => {
    const writer = await registerUser(t.app);
    for (let i = 0; i < 10; i++) expect((await newDraft(writer)).statusCode).toBe(201);
    expect(await statusOf(writer, 'drafts.max')).toMatchObject({ limit: 10, used: 10, remaining: 0, graceTotal: 2, graceLeft: 2, decision: 'ALLOW_WITH_GRACE' });
    expect((await newDraft(writer)).statusCode).toBe(201);
    expect((await newDraft(writer)).statusCode).toBe(201);
    expect(await statusOf(writer, 'drafts.max')).toMatchObject({ used: 12, remaining: 0, graceLeft: 0, decision: 'BLOCK' });
    const blocked = expectProblem(await newDraft(writer, 'One too many'), 403, 'quota_exceeded');
    expect(blocked).toMatchObject({ entitlement: 'drafts.max', limit: 10, used: 12, plan: 'free' });
    expect(blocked.detail).toMatch(/limit of 10 drafts/);
    expect(blocked.detail).toMatch(/bigger plan or an admin override/);
    expect(await draftCount(writer)).toBe(12);
    const imported = call(t.app, 'POST', '/v1/drafts/import', { token: writer.accessToken, body: { title: 'In', platform: 'x', text: 'one\n\ntwo' } });
    expectProblem(await imported, 403, 'quota_exceeded');
    expect(await draftCount(writer)).toBe(12);
    const events = await t.database.db.execute(sql`select count(*)::int as n from draft_events e join drafts d on d.id = e.draft_id where d.owner_id = ${writer.user.id}`);
    expect((events as unknown as { rows: Array<{ n: number }> }).rows[0]!.n).toBe(12);
  });
});

/** The owner invites; the member accepts: answers the accept response. */
async function inviteAndAccept(owner: Account, draftId: string, member: Account) {
  const invite = await call(t.app, 'POST', `/v1/drafts/${draftId}/invites`, { token: owner.accessToken, body: {} });
  expect(invite.statusCode, invite.body).toBe(201);
  const accepted = await call(t.app, 'POST', '/v1/invites/accept', { token: member.accessToken, body: { token: invite.json().token } });
  return { accepted, inviteId: invite.json().id as string };
}

const memberIds = async (owner: Account, draftId: string) =>
  ((await call(t.app, 'GET', `/v1/drafts/${draftId}`, { token: owner.accessToken })).json().collaborators as Array<{ userId: string }>).map((m) => m.userId);

describe('enforcement off', () => {
  it('lets a use past the limit and its grace go ahead as WARN_ONLY, and counts it', async () => {
    const admin = await anAdmin();
    const writer = await registerUser(t.app);
    await override(admin, { userId: writer.user.id, key: 'drafts.max', value: 1 });
    expect((await newDraft(writer)).statusCode).toBe(201);
    expect((await newDraft(writer)).statusCode).toBe(201);
    expect((await newDraft(writer)).statusCode).toBe(201);
    expectProblem(await newDraft(writer), 403, 'quota_exceeded');
    const off = await call(t.app, 'PUT', '/v1/admin/plans/free/enforcement', { token: admin.accessToken, body: { enabled: false } });
    expect(off.json()).toMatchObject({ id: 'free', enforcementEnabled: false });
    expect(await statusOf(writer, 'drafts.max')).toMatchObject({ used: 3, graceLeft: 0, decision: 'WARN_ONLY' });
    expect((await newDraft(writer)).statusCode).toBe(201);
    expect(await draftCount(writer)).toBe(4);
    const metrics = (await call(t.app, 'GET', '/metrics')).body;
    expect(metrics).toMatch(/onering_entitlement_decisions_total\{entitlement="drafts.max",decision="ALLOW"\} 1\n/);
    expect(metrics).toMatch(/onering_entitlement_decisions_total\{entitlement="drafts.max",decision="ALLOW_WITH_GRACE"\} 2\n/);
    expect(metrics).toMatch(/onering_entitlement_decisions_total\{entitlement="drafts.max",decision="BLOCK"\} 1\n/);
    expect(metrics).toMatch(/onering_entitlement_decisions_total\{entitlement="drafts.max",decision="WARN_ONLY"\} 1\n/);
  });
});

describe('overrides', () => {
  it('raise and lower a limit, stop counting once expired (by the clock), and end when deleted', async () => {
    const admin = await anAdmin();
    const writer = await registerUser(t.app);
    for (let i = 0; i < 10; i++) expect((await newDraft(writer)).statusCode).toBe(201);
    const raised = await override(admin, { userId: writer.user.id, key: 'drafts.max', value: 11, expiresAt: new Date(t.clock.now().getTime() + 3_600_000).toISOString() });
    expect(await statusOf(writer, 'drafts.max')).toMatchObject({ limit: 11, used: 10, remaining: 1, decision: 'ALLOW', override: { value: 11 } });
    expect((await newDraft(writer)).statusCode).toBe(201);
    expect(await statusOf(writer, 'drafts.max')).toMatchObject({ limit: 11, used: 11, graceLeft: 2 });
    // Past its expiry the plan's 10 is back: at 11, only grace remains.
    t.clock.advance(3_600_001);
    expect(await statusOf(writer, 'drafts.max')).toMatchObject({ limit: 10, used: 11, override: null, decision: 'ALLOW_WITH_GRACE' });
    // Lowered to 5: past it with the grace that is left.
    await override(admin, { userId: writer.user.id, key: 'drafts.max', value: 5 });
    const list = (await call(t.app, 'GET', `/v1/admin/entitlements/overrides?userId=${writer.user.id}`, { token: admin.accessToken })).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).not.toMatchObject({ id: raised.id });
    expect((await newDraft(writer)).statusCode).toBe(201);
    expect((await newDraft(writer)).statusCode).toBe(201);
    expect(expectProblem(await newDraft(writer), 403, 'quota_exceeded')).toMatchObject({ limit: 5, used: 13, plan: 'free' });
    // No limit at all.
    const unlimited = await override(admin, { userId: writer.user.id, key: 'drafts.max', value: null });
    expect((await newDraft(writer)).statusCode).toBe(201);
    expect(await statusOf(writer, 'drafts.max')).toMatchObject({ limit: null, remaining: null, decision: 'ALLOW' });
    expect((await call(t.app, 'DELETE', `/v1/admin/entitlements/overrides/${unlimited.id}`, { token: admin.accessToken })).statusCode).toBe(204);
    expect(expectProblem(await newDraft(writer), 403, 'quota_exceeded')).toMatchObject({ limit: 10, used: 14 });
    expect(await draftCount(writer)).toBe(14);
  });
});

describe('analytics.enabled', () => {
  it('answers 403 quota_exceeded on both analytics reads when the reader has it off, and lets them through without enforcement', async () => {
    const admin = await anAdmin();
    const reader = await registerUser(t.app);
    const draft = await createDraft(t.app, reader);
    const draftAnalytics = () => call(t.app, 'GET', `/v1/drafts/${draft.id}/analytics`, { token: reader.accessToken });
    const userAnalytics = () => call(t.app, 'GET', `/v1/users/${reader.user.id}/analytics`, { token: reader.accessToken });
    expect((await draftAnalytics()).statusCode).toBe(200);
    await override(admin, { userId: reader.user.id, key: 'analytics.enabled', value: 0 });
    const refused = expectProblem(await draftAnalytics(), 403, 'quota_exceeded');
    expect(refused).toMatchObject({ entitlement: 'analytics.enabled', limit: 0, used: null, plan: 'free' });
    expect(refused.detail).toMatch(/Analytics are not part of the Free plan/);
    expectProblem(await userAnalytics(), 403, 'quota_exceeded');
    expect(await statusOf(reader, 'analytics.enabled')).toMatchObject({ kind: 'flag', limit: 0, decision: 'DISALLOWED' });
    // Another member whose plan has analytics still reads them.
    const friend = await registerUser(t.app);
    await addCollaborator(t.app, reader, draft.id, friend);
    expect((await call(t.app, 'GET', `/v1/drafts/${draft.id}/analytics`, { token: friend.accessToken })).statusCode).toBe(200);
    // A stranger still gets the 404 of a draft that is not theirs, whatever their plan.
    const stranger = await registerUser(t.app);
    await override(admin, { userId: stranger.user.id, key: 'analytics.enabled', value: 0 });
    expectProblem(await call(t.app, 'GET', `/v1/drafts/${draft.id}/analytics`, { token: stranger.accessToken }), 404, 'draft_not_found');
    await call(t.app, 'PUT', '/v1/admin/plans/free/enforcement', { token: admin.accessToken, body: { enabled: false } });
    expect((await draftAnalytics()).statusCode).toBe(200);
    expect((await userAnalytics()).statusCode).toBe(200);
    expect((await call(t.app, 'GET', '/metrics')).body).toMatch(/onering_entitlement_decisions_total\{entitlement="analytics.enabled",decision="DISALLOWED"\} 2\n/);
  });
});

describe('collaborators.max (free: 3, grace 1), counted against the draft owner', () => {
  it("takes the owner's grace for the fourth and refuses the fifth who accepts an invite, leaving the invite unused", async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const people = await Promise.all(Array.from({ length: 5 }, () => registerUser(t.app)));
    for (const person of people.slice(0, 4)) expect((await inviteAndAccept(owner, draft.id, person)).accepted.statusCode).toBe(200);
    expect(await statusOf(owner, 'collaborators.max')).toMatchObject({ limit: 3, used: 4, graceLeft: 0, decision: 'BLOCK' });
    const { accepted, inviteId } = await inviteAndAccept(owner, draft.id, people[4]!);
    const refused = expectProblem(accepted, 403, 'quota_exceeded');
    expect(refused).toMatchObject({ entitlement: 'collaborators.max', limit: 3, used: 4, plan: 'free' });
    expect(refused.detail).toMatch(/this draft's owner/);
    expect(await memberIds(owner, draft.id)).not.toContain(people[4]!.user.id);
    const invites = (await call(t.app, 'GET', `/v1/drafts/${draft.id}/invites`, { token: owner.accessToken })).json().items as Array<{ id: string; status: string }>;
    expect(invites.find((i) => i.id === inviteId)?.status).toBe('pending');
    // The refused person's own plan does not matter, and their own quota is untouched.
    expect(await statusOf(people[4]!, 'collaborators.max')).toMatchObject({ used: 0, graceLeft: 1 });
  });

  it("uses the owner's plan, not the collaborator's: a team owner takes more", async () => {
    const admin = await anAdmin();
    const owner = await registerUser(t.app);
    await call(t.app, 'PUT', `/v1/admin/users/${owner.user.id}/plan`, { token: admin.accessToken, body: { plan: 'team' } });
    const draft = await createDraft(t.app, owner);
    for (let i = 0; i < 6; i++) expect((await inviteAndAccept(owner, draft.id, await registerUser(t.app))).accepted.statusCode).toBe(200);
    expect((await memberIds(owner, draft.id)).length).toBe(7);
  });

  it('counts a direct add, and does not count someone already on the draft as a new use', async () => {
    const admin = await anAdmin();
    const owner = await registerUser(t.app);
    const [sam, rosie] = [await registerUser(t.app), await registerUser(t.app)];
    // Both share an earlier (now archived) draft with the owner, so the owner may add them directly.
    const earlier = await createDraft(t.app, owner);
    await addCollaborator(t.app, owner, earlier.id, sam);
    await addCollaborator(t.app, owner, earlier.id, rosie);
    expect((await call(t.app, 'POST', `/v1/drafts/${earlier.id}/archive`, { token: owner.accessToken })).statusCode).toBe(200);
    await override(admin, { userId: owner.user.id, key: 'collaborators.max', value: 1 });
    const draft = await createDraft(t.app, owner);
    const add = (who: Account) => call(t.app, 'POST', `/v1/drafts/${draft.id}/collaborators`, { token: owner.accessToken, body: { userId: who.user.id } });
    expect((await add(sam)).statusCode).toBe(201);
    expectProblem(await add(sam), 409, 'already_collaborator');
    expect(await statusOf(owner, 'collaborators.max')).toMatchObject({ limit: 1, used: 1, graceLeft: 1, decision: 'ALLOW_WITH_GRACE' });
    // Following an invite again as a member changes nothing either.
    expect((await inviteAndAccept(owner, draft.id, sam)).accepted.statusCode).toBe(200);
    expect(await statusOf(owner, 'collaborators.max')).toMatchObject({ graceLeft: 1 });
    expect((await add(rosie)).statusCode).toBe(201);
    expect(await statusOf(owner, 'collaborators.max')).toMatchObject({ used: 2, graceLeft: 0, decision: 'BLOCK' });
    const { accepted } = await inviteAndAccept(owner, draft.id, await registerUser(t.app));
    expect(expectProblem(accepted, 403, 'quota_exceeded')).toMatchObject({ entitlement: 'collaborators.max', limit: 1, used: 2 });
    expect(await memberIds(owner, draft.id)).toHaveLength(3);
  });
});

describe('GET /v1/me/entitlements and GET /v1/plans', () => {
  it('shows every entitlement of my plan with its usage', async () => {
    const me = await registerUser(t.app);
    await createDraft(t.app, me);
    // Coach usage: two turns that count today (a failed one does not), a Mirror session this week, an active goal.
    const now = t.clock.now();
    const turn = (status: string) => ({ id: uuidv7(), userId: me.user.id, platform: 'x', text: 'A thought', status, createdAt: now, updatedAt: now });
    await t.database.db.insert(coachTurns).values([turn('pending'), turn('done'), turn('failed')]);
    await t.database.db.insert(mirrorSessions).values({ id: uuidv7(), userId: me.user.id, title: 'About my launch', createdAt: now, updatedAt: now });
    expect((await call(t.app, 'POST', '/v1/coach/goals', { token: me.accessToken, body: { title: 'Write weekly' } })).statusCode).toBe(201);
    expect(await entitlements(me)).toEqual({
      plan: 'free',
      enforcementEnabled: true,
      entitlements: [
        { key: 'drafts.max', kind: 'limit', limit: 10, used: 1, remaining: 9, graceTotal: 2, graceLeft: 2, decision: 'ALLOW', override: null },
        { key: 'collaborators.max', kind: 'limit', limit: 3, used: 0, remaining: 3, graceTotal: 1, graceLeft: 1, decision: 'ALLOW', override: null },
        { key: 'analytics.enabled', kind: 'flag', limit: 1, used: null, remaining: null, graceTotal: 0, graceLeft: 0, decision: 'ALLOW', override: null },
        { key: 'coach.turns_per_day', kind: 'limit', limit: 10, used: 2, remaining: 8, graceTotal: 0, graceLeft: 0, decision: 'ALLOW', override: null },
        { key: 'coach.mirror_sessions_per_week', kind: 'limit', limit: 2, used: 1, remaining: 1, graceTotal: 0, graceLeft: 0, decision: 'ALLOW', override: null },
        { key: 'coach.goals.max', kind: 'limit', limit: 3, used: 1, remaining: 2, graceTotal: 0, graceLeft: 0, decision: 'ALLOW', override: null },
      ],
    });
    expectProblem(await call(t.app, 'GET', '/v1/me/entitlements'), 401, 'unauthorized');
  });

  it('lists the plans in their order, names and descriptions from the table, to anyone', async () => {
    await t.database.db.execute(sql`update plans set name = 'Creator Plus' where id = 'creator'`);
    try {
      const res = await call(t.app, 'GET', '/v1/plans');
      expect(res.statusCode).toBe(200);
      const plans = res.json().items as Array<{ id: string; name: string; description: string; entitlements: Array<{ key: string; value: number | null; grace: number }> }>;
      expect(plans.map((p) => [p.id, p.name])).toEqual([
        ['free', 'Free'],
        ['creator', 'Creator Plus'],
        ['team', 'Team'],
      ]);
      expect(plans[0]!.entitlements[0]).toEqual({ key: 'drafts.max', kind: 'limit', value: 10, grace: 2 });
      expect(plans[2]!.entitlements[0]).toEqual({ key: 'drafts.max', kind: 'limit', value: null, grace: 0 });
    } finally {
      await t.database.db.execute(sql`update plans set name = 'Creator' where id = 'creator'`);
    }
  });
});

describe('a plan without a row for an entitlement', () => {
  it('allows none of it, rather than reading the gap as no limit', async () => {
    const writer = await registerUser(t.app);
    const db = t.database.db;
    const [removed] = await db
      .delete(planEntitlements)
      .where(and(eq(planEntitlements.planId, 'free'), eq(planEntitlements.key, 'drafts.max')))
      .returning();
    try {
      expect(await statusOf(writer, 'drafts.max')).toMatchObject({ limit: 0, used: 0, graceTotal: 0, decision: 'BLOCK' });
      expect(expectProblem(await newDraft(writer), 403, 'quota_exceeded')).toMatchObject({ entitlement: 'drafts.max', limit: 0, used: 0, plan: 'free' });
      expect(await draftCount(writer)).toBe(0);
    } finally {
      await db.insert(planEntitlements).values(removed!);
    }
  });
});
