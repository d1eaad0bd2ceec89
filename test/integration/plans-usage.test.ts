import { sql } from 'drizzle-orm';
import type { EntitlementKey } from '../../src/contract/plans.js';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { checkEntitlement } from '../../src/server/features/plans/enforce.js';
import { factsQuery } from '../../src/server/features/plans/repo.js';
import {
  activeGoals,
  PENDING_TURN_LEASE_MS,
  collaboratorsOn,
  draftsInUse,
  mirrorSessionsThisWeek,
  mostCollaborators,
  reduceUsage,
  turnsToday,
  type GoalUsage,
  type SessionUsage,
  type TurnUsage,
  type UsageEvent,
} from '../../src/server/features/plans/usage.js';
import { coachTurns, lensGoals, mirrorSessions } from '../../src/server/db/schema/index.js';
import { addCollaborator, call, createDraft, registerUser, type Account } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp({ config: { accessTokenTtlSeconds: 86_400 } });

/** A small deterministic generator, so a failing history can be replayed. */
function generator(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return Math.floor(state / 65_536) % n;
  };
}

async function loggedEvents(): Promise<UsageEvent[]> {
  const result = await t.database.db.execute(sql`select draft_id, type, payload, actor_id from draft_events order by draft_id, server_seq`);
  return (result as unknown as { rows: Array<{ draft_id: string; type: string; payload: Record<string, unknown>; actor_id: string | null }> }).rows.map((r) => ({
    draftId: r.draft_id,
    type: r.type,
    payload: r.payload,
    actorId: r.actor_id,
  }));
}

type Draft = { id: string; owner: Account; members: Account[]; open: boolean };

describe('usage: the reducers over draft_events agree with the SQL reads of their projections', () => {
  it.each([7, 42])('after a history of real actions by several users (seed %i)', async (seed) => {
    const pick = generator(seed);
    const users = await Promise.all(Array.from({ length: 4 }, () => registerUser(t.app)));
    // Out of the way of the limits: this is about counting, not refusing.
    await t.database.db.execute(sql`update user_plans set plan_id = 'team'`);
    const drafts: Draft[] = [];
    for (let step = 0; step < 36; step++) {
      const open = drafts.filter((d) => d.open);
      const action = open.length < 2 ? 0 : pick(6);
      if (action === 0) {
        const owner = users[pick(users.length)]!;
        drafts.push({ id: (await createDraft(t.app, owner)).id, owner, members: [], open: true });
        continue;
      }
      const draft = open[pick(open.length)]!;
      const outsiders = users.filter((u) => u !== draft.owner && !draft.members.includes(u));
      const member = draft.members[pick(Math.max(1, draft.members.length))];
      if ((action === 1 || action === 2) && outsiders.length > 0) {
        const joining = outsiders[pick(outsiders.length)]!;
        // Someone who shares a draft with the owner may be added directly; anyone joins through an invite.
        const direct = action === 2 && drafts.some((d) => d.owner === draft.owner && d.members.includes(joining));
        if (direct) {
          const res = await call(t.app, 'POST', `/v1/drafts/${draft.id}/collaborators`, { token: draft.owner.accessToken, body: { userId: joining.user.id } });
          expect(res.statusCode, res.body).toBe(201);
        } else {
          await addCollaborator(t.app, draft.owner, draft.id, joining);
        }
        draft.members.push(joining);
      } else if (action === 3 && member) {
        const res = await call(t.app, 'DELETE', `/v1/drafts/${draft.id}/collaborators/${member.user.id}`, { token: draft.owner.accessToken });
        expect(res.statusCode, res.body).toBe(204);
        draft.members = draft.members.filter((m) => m !== member);
      } else if (action === 4 && member) {
        const res = await call(t.app, 'DELETE', `/v1/drafts/${draft.id}/collaborators/${member.user.id}`, { token: member.accessToken });
        expect(res.statusCode, res.body).toBe(204);
        draft.members = draft.members.filter((m) => m !== member);
      } else if (action === 5) {
        const end = pick(2) === 0 ? 'archive' : 'publish';
        expect((await call(t.app, 'POST', `/v1/drafts/${draft.id}/${end}`, { token: draft.owner.accessToken })).statusCode).toBe(200);
        draft.open = false;
      }
    }

    const reduced = reduceUsage(await loggedEvents());
    const now = t.clock.now();
    for (const user of users) {
      const ownDrafts = await checkEntitlement(t.database.db, user.user.id, 'drafts.max', now);
      const collaborators = await checkEntitlement(t.database.db, user.user.id, 'collaborators.max', now);
      expect(ownDrafts.used, 'drafts in use').toBe(draftsInUse(reduced, user.user.id));
      expect(collaborators.used, 'most collaborators').toBe(mostCollaborators(reduced, user.user.id));
    }
    for (const draft of drafts) {
      const onDraft = await checkEntitlement(t.database.db, draft.owner.user.id, 'collaborators.max', now, { draftId: draft.id });
      expect(onDraft.used, 'collaborators on a draft').toBe(collaboratorsOn(reduced, draft.id));
      expect(onDraft.used).toBe(draft.members.length);
    }
    // The history did what it was meant to: drafts were closed and people joined and left.
    const logged = (await loggedEvents()).map((e) => e.type);
    for (const type of ['draft.archived', 'collaborator.joined', 'collaborator.left']) expect(logged, type).toContain(type);
  });

  it.each([3, 11])('counts coach turns, Mirror sessions and active goals alike in SQL and in the reducers (seed %i)', async (seed) => {
    const pick = generator(seed);
    const users = await Promise.all(Array.from({ length: 3 }, () => registerUser(t.app)));
    await t.database.db.execute(sql`update user_plans set plan_id = 'team'`);
    const start = t.clock.now().getTime();
    const HOUR = 3_600_000;
    // Turns and sessions are written directly (their features own the writing): spread over ten days around
    // the start, on both sides of day and week boundaries (the start, 2026-03-01, is a Sunday).
    const at = () => new Date(start + (pick(240) - 120) * HOUR + pick(3_600) * 1000);
    const turns = Array.from({ length: 60 }, () => {
      const createdAt = at();
      return { id: uuidv7(), userId: users[pick(3)]!.user.id, platform: 'x', text: 'A thought', status: ['pending', 'done', 'failed', 'safety'][pick(4)]!, createdAt, updatedAt: createdAt };
    });
    const sessions = Array.from({ length: 30 }, () => {
      const createdAt = at();
      // Some deleted since: a deleted session still counts in its week.
      return { id: uuidv7(), userId: users[pick(3)]!.user.id, title: 'A session', createdAt, updatedAt: createdAt, deletedAt: pick(3) === 0 ? createdAt : null };
    });
    // And on the boundaries themselves: the first and last instants of the start's day and ISO week, and the ones beside them.
    const edges = ['2026-02-28T23:59:59.999Z', '2026-03-01T00:00:00.000Z', '2026-03-01T23:59:59.999Z', '2026-03-02T00:00:00.000Z', '2026-02-22T23:59:59.999Z', '2026-02-23T00:00:00.000Z'];
    for (const edge of edges) {
      const createdAt = new Date(edge);
      turns.push({ id: uuidv7(), userId: users[0]!.user.id, platform: 'x', text: 'A thought', status: 'done', createdAt, updatedAt: createdAt });
      sessions.push({ id: uuidv7(), userId: users[0]!.user.id, title: 'A session', createdAt, updatedAt: createdAt, deletedAt: null });
    }
    // Pending turns on either side of their lease as seen from the start (a generation that died counts no more).
    for (const age of [PENDING_TURN_LEASE_MS, PENDING_TURN_LEASE_MS - 1]) {
      const createdAt = new Date(start - age);
      turns.push({ id: uuidv7(), userId: users[0]!.user.id, platform: 'x', text: 'A thought', status: 'pending', createdAt, updatedAt: createdAt });
    }
    await t.database.db.insert(coachTurns).values(turns);
    await t.database.db.insert(mirrorSessions).values(sessions);
    // Goals go through Lens: set, completed, archived, made active again, deleted.
    const goals: Array<{ id: string; owner: Account }> = [];
    const applied = new Set<string>();
    // Every kind of change in turn, on goals picked at random.
    const CYCLE = ['create', 'create', 'completed', 'archived', 'active', 'create', 'delete'] as const;
    for (let step = 0; step < 35; step++) {
      const change = goals.length < 2 ? 'create' : CYCLE[step % CYCLE.length]!;
      if (change === 'create') {
        const owner = users[pick(3)]!;
        const res = await call(t.app, 'POST', '/v1/coach/goals', { token: owner.accessToken, body: { title: `Goal ${step}` } });
        expect(res.statusCode, res.body).toBe(201);
        goals.push({ id: res.json().id, owner });
        continue;
      }
      const goal = goals[pick(goals.length)]!;
      if (change === 'delete') {
        expect((await call(t.app, 'DELETE', `/v1/coach/goals/${goal.id}`, { token: goal.owner.accessToken })).statusCode).toBe(204);
        goals.splice(goals.indexOf(goal), 1);
      } else {
        const res = await call(t.app, 'PATCH', `/v1/coach/goals/${goal.id}`, { token: goal.owner.accessToken, body: { status: change } });
        expect(res.statusCode, res.body).toBe(200);
        applied.add(change);
      }
    }

    const turnRows: TurnUsage[] = await t.database.db.select({ userId: coachTurns.userId, status: coachTurns.status, createdAt: coachTurns.createdAt }).from(coachTurns);
    const sessionRows: SessionUsage[] = await t.database.db.select({ userId: mirrorSessions.userId, createdAt: mirrorSessions.createdAt }).from(mirrorSessions);
    const goalRows: GoalUsage[] = await t.database.db.select({ userId: lensGoals.userId, status: lensGoals.status }).from(lensGoals);
    const nows = [0, -HOUR, 9 * HOUR, 15 * HOUR, 39 * HOUR, -57 * HOUR, -105 * HOUR, -129 * HOUR, -129 * HOUR - 1].map((offset) => new Date(start + offset));
    for (const user of users) {
      for (const now of nows) {
        const turnsUsed = await checkEntitlement(t.database.db, user.user.id, 'coach.turns_per_day', now);
        const sessionsUsed = await checkEntitlement(t.database.db, user.user.id, 'coach.mirror_sessions_per_week', now);
        expect(turnsUsed.used, `turns at ${now.toISOString()}`).toBe(turnsToday(turnRows, user.user.id, now));
        expect(sessionsUsed.used, `sessions at ${now.toISOString()}`).toBe(mirrorSessionsThisWeek(sessionRows, user.user.id, now));
      }
      const goalsUsed = await checkEntitlement(t.database.db, user.user.id, 'coach.goals.max', t.clock.now());
      expect(goalsUsed.used, 'active goals').toBe(activeGoals(goalRows, user.user.id));
    }
    // The history did what it was meant to: every status was met, and the edge rows inside the periods counted.
    expect(applied).toEqual(new Set(['active', 'completed', 'archived']));
    expect(goalRows.some((g) => g.status === 'active') && goalRows.some((g) => g.status !== 'active')).toBe(true);
    expect(turnsToday(turnRows, users[0]!.user.id, new Date(start))).toBeGreaterThanOrEqual(2);
    expect(mirrorSessionsThisWeek(sessionRows, users[0]!.user.id, new Date(start))).toBeGreaterThanOrEqual(3);
  });

  it('reads drafts in use through drafts_owner_active_idx, coach usage through its indexes, and the rest by their keys', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const plans = await t.database.db.transaction(async (tx) => {
      // A near-empty table is cheaper to scan than to look up; forbid that so the plan shows what large ones get.
      await tx.execute(sql`set local enable_seqscan = off`);
      const explain = async (key: EntitlementKey, scope = {}) => {
        const result = await tx.execute(sql`explain ${factsQuery(owner.user.id, [key], t.clock.now(), scope)}`);
        return (result as unknown as { rows: Array<Record<string, string>> }).rows.map((r) => Object.values(r)[0]).join('\n');
      };
      return {
        drafts: await explain('drafts.max'),
        collaborators: await explain('collaborators.max', { draftId: draft.id, joiningUserId: owner.user.id }),
        turns: await explain('coach.turns_per_day'),
        sessions: await explain('coach.mirror_sessions_per_week'),
        goals: await explain('coach.goals.max'),
      };
    });
    expect(plans.turns).toContain('coach_turns_user_idx');
    expect(plans.sessions).toContain('mirror_sessions_created_idx');
    expect(plans.goals).toContain('lens_goals_user_idx');
    for (const coach of [plans.turns, plans.sessions, plans.goals]) expect(coach).not.toMatch(/Seq Scan/);
    expect(plans.drafts).toContain('drafts_owner_active_idx');
    expect(plans.drafts).not.toMatch(/Seq Scan/);
    expect(plans.collaborators).not.toMatch(/Seq Scan/);
  });
});
