import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { checkEntitlement } from '../../src/server/features/plans/enforce.js';
import { factsQuery } from '../../src/server/features/plans/repo.js';
import { collaboratorsOn, draftsInUse, mostCollaborators, reduceUsage, type UsageEvent } from '../../src/server/features/plans/usage.js';
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

  it('reads drafts in use through drafts_owner_active_idx, and the rest by their keys', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const plans = await t.database.db.transaction(async (tx) => {
      // A near-empty table is cheaper to scan than to look up; forbid that so the plan shows what large ones get.
      await tx.execute(sql`set local enable_seqscan = off`);
      const explain = async (key: 'drafts.max' | 'collaborators.max', scope = {}) => {
        const result = await tx.execute(sql`explain ${factsQuery(owner.user.id, [key], t.clock.now(), scope)}`);
        return (result as unknown as { rows: Array<Record<string, string>> }).rows.map((r) => Object.values(r)[0]).join('\n');
      };
      return { drafts: await explain('drafts.max'), collaborators: await explain('collaborators.max', { draftId: draft.id, joiningUserId: owner.user.id }) };
    });
    expect(plans.drafts).toContain('drafts_owner_active_idx');
    expect(plans.drafts).not.toMatch(/Seq Scan/);
    expect(plans.collaborators).not.toMatch(/Seq Scan/);
  });
});
