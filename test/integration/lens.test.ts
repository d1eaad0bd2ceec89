import { eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { MAX_ACTIONS_PER_GOAL, type DayActions, type Goal, type GoalDetail, type LensAction } from '../../src/contract/coach.js';
import { lensActions, lensGoals, safetyEvents } from '../../src/server/db/schema/index.js';
import { call, expectProblem, registerUser, type Account } from '../helpers/api.js';
import { TEST_START, useTestApp } from '../helpers/app.js';
import { putOnPlan } from '../helpers/plans.js';

const t = useTestApp({ config: { accessTokenTtlSeconds: 86_400 } });

const newGoal = (who: Account, body: Record<string, unknown> = { title: 'Write every morning' }) => call(t.app, 'POST', '/v1/coach/goals', { token: who.accessToken, body });
async function goal(who: Account, body?: Record<string, unknown>): Promise<Goal> {
  const res = await newGoal(who, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
async function action(who: Account, goalId: string, body: Record<string, unknown> = { title: 'Draft one post' }): Promise<LensAction> {
  const res = await call(t.app, 'POST', `/v1/coach/goals/${goalId}/actions`, { token: who.accessToken, body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
const detail = async (who: Account, goalId: string) => (await call(t.app, 'GET', `/v1/coach/goals/${goalId}`, { token: who.accessToken })).json() as GoalDetail;
const patchGoal = (who: Account, goalId: string, body: Record<string, unknown>) => call(t.app, 'PATCH', `/v1/coach/goals/${goalId}`, { token: who.accessToken, body });
const goalCount = async (who: Account) => (await t.database.db.select().from(lensGoals).where(eq(lensGoals.userId, who.user.id))).length;

describe('Lens goals', () => {
  it('sets a goal and reads it back, in the list and alone', async () => {
    const writer = await registerUser(t.app);
    const created = await newGoal(writer, { title: '  Publish a thread a week  ', why: 'To find my voice.', targetDay: '2026-06-30' });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body).toEqual({
      id: expect.any(String),
      title: 'Publish a thread a week',
      why: 'To find my voice.',
      targetDay: '2026-06-30',
      status: 'active',
      actionsDone: 0,
      actionsPlanned: 0,
      createdAt: TEST_START,
      updatedAt: TEST_START,
      safety: null,
    });
    const { safety: _safety, ...goalOnly } = body;
    expect(await detail(writer, body.id)).toEqual({ ...goalOnly, actions: [] });
    const list = await call(t.app, 'GET', '/v1/coach/goals', { token: writer.accessToken });
    expect(list.json()).toEqual({ items: [goalOnly], nextCursor: null });
    expect(await t.database.db.select().from(safetyEvents)).toEqual([]);
  });

  it('still sets a goal whose words meet the safety precheck, answers with support, and records the rule without the words', async () => {
    const writer = await registerUser(t.app);
    const res = await newGoal(writer, { title: 'Post more', why: 'Because honestly I feel w0rthless lately' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.safety).toMatchObject({ category: 'harmful_self_talk', resources: expect.arrayContaining([expect.objectContaining({ name: 'Find A Helpline' })]) });
    expect(body.safety.message).toMatch(/talk it through/);
    expect(await goalCount(writer)).toBe(1);
    const events = await t.database.db.select().from(safetyEvents);
    expect(events).toEqual([{ id: expect.any(String), userId: writer.user.id, feature: 'lens', category: 'harmful_self_talk', ruleId: 'self_talk.worthless', createdAt: new Date(TEST_START) }]);
    expect(JSON.stringify(events)).not.toMatch(/w0rthless|lately/);
    // A crisis in the title answers the crisis lines.
    const crisis = (await newGoal(writer, { title: 'I want to end it all' })).json();
    expect(crisis.safety.category).toBe('crisis');
    expect(crisis.safety.resources.map((r: { contact: string }) => r.contact)).toContain('Call or text 988');
    // The same words sent again in a change are no new words: no notice, no second event.
    const resent = await call(t.app, 'PATCH', `/v1/coach/goals/${body.id}`, { token: writer.accessToken, body: { title: 'Post more', why: 'Because honestly I feel w0rthless lately' } });
    expect(resent.statusCode, resent.body).toBe(200);
    expect(resent.json().safety).toBeNull();
    expect(await t.database.db.select().from(safetyEvents)).toHaveLength(2);
  });

  it('sets a goal once under an Idempotency-Key: the replay carries the same notice, and one safety event is written', async () => {
    const writer = await registerUser(t.app);
    const send = () => call(t.app, 'POST', '/v1/coach/goals', { token: writer.accessToken, body: { title: 'nobody would miss me' }, headers: { 'idempotency-key': 'goal-1' } });
    const first = await send();
    const again = await send();
    expect(first.statusCode).toBe(201);
    expect(first.json().safety.category).toBe('harmful_self_talk');
    expect([again.statusCode, again.body, again.headers['idempotent-replayed']]).toEqual([201, first.body, 'true']);
    expect(await goalCount(writer)).toBe(1);
    expect(await t.database.db.select().from(safetyEvents)).toHaveLength(1);
  });

  it('refuses blank or multi-line titles and control characters, and writes nothing', async () => {
    const writer = await registerUser(t.app);
    expectProblem(await newGoal(writer, { title: '   ' }), 400, 'validation_failed');
    expectProblem(await newGoal(writer, { title: 'two\nlines' }), 400, 'validation_failed');
    expectProblem(await newGoal(writer, { title: 'ok', why: 'bell\u0007' }), 400, 'validation_failed');
    expectProblem(await newGoal(writer, { title: 'ok', targetDay: '2026-02-30' }), 400, 'validation_failed');
    expectProblem(await newGoal(writer, { title: 'ok', extra: 1 }), 400, 'validation_failed');
    expect(await goalCount(writer)).toBe(0);
  });

  it('keeps active goals within coach.goals.max (free: 3), counting re-activation and freeing a place on completion', async () => {
    const writer = await registerUser(t.app);
    const goals = [await goal(writer), await goal(writer), await goal(writer)];
    const blocked = expectProblem(await newGoal(writer, { title: 'A fourth', why: 'I hate myself' }), 403, 'quota_exceeded');
    expect(blocked).toMatchObject({ entitlement: 'coach.goals.max', limit: 3, used: 3, plan: 'free' });
    expect(blocked.detail).toMatch(/completing or archiving a goal frees a place/);
    // Refused before any write: no goal, and no safety event either.
    expect(await goalCount(writer)).toBe(3);
    expect(await t.database.db.select().from(safetyEvents)).toEqual([]);

    expect((await patchGoal(writer, goals[0]!.id, { status: 'completed' })).json().status).toBe('completed');
    await goal(writer, { title: 'Now there is room' });
    expectProblem(await patchGoal(writer, goals[0]!.id, { status: 'active' }), 403, 'quota_exceeded');
    expect((await detail(writer, goals[0]!.id)).status).toBe('completed');
    // Other changes to a goal that is not active are not a new use.
    expect((await patchGoal(writer, goals[0]!.id, { status: 'archived', title: 'Done and kept' })).statusCode).toBe(200);
    const entitlements = (await call(t.app, 'GET', '/v1/me/entitlements', { token: writer.accessToken })).json();
    expect(entitlements.entitlements.find((e: { key: string }) => e.key === 'coach.goals.max')).toMatchObject({ used: 3, limit: 3, decision: 'BLOCK' });
  });

  it('lists goals by status, newest first, page by page, and refuses a cursor it did not hand out', async () => {
    const writer = await registerUser(t.app);
    await putOnPlan(t.database.db, writer.user.id, 'team');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await goal(writer, { title: `Goal ${i}` })).id);
      t.clock.advance(1000);
    }
    await patchGoal(writer, ids[1]!, { status: 'completed' });
    await patchGoal(writer, ids[3]!, { status: 'archived' });
    const list = async (query: string) => (await call(t.app, 'GET', `/v1/coach/goals?${query}`, { token: writer.accessToken })).json() as { items: Goal[]; nextCursor: string | null };
    expect((await list('status=active')).items.map((g) => g.id)).toEqual([ids[4], ids[2], ids[0]]);
    expect((await list('status=completed')).items.map((g) => g.id)).toEqual([ids[1]]);
    expect((await list('status=archived')).items.map((g) => g.id)).toEqual([ids[3]]);
    const first = await list('limit=2');
    expect(first.items.map((g) => g.id)).toEqual([ids[4], ids[3]]);
    const second = await list(`limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((g) => g.id)).toEqual([ids[2], ids[1]]);
    const third = await list(`limit=2&cursor=${second.nextCursor}`);
    expect(third).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
    const crafted = Buffer.from('2026-03-01T09:00:00.000Z|not-a-uuid').toString('base64url');
    expectProblem(await call(t.app, 'GET', `/v1/coach/goals?cursor=${crafted}`, { token: writer.accessToken }), 400, 'invalid_cursor');
    expectProblem(await call(t.app, 'GET', '/v1/coach/goals?status=paused', { token: writer.accessToken }), 400, 'validation_failed');
  });

  it('changes a goal\'s words and day, clears the day with null, and deletes it with its actions', async () => {
    const writer = await registerUser(t.app);
    const g = await goal(writer, { title: 'Old', targetDay: '2026-04-01' });
    await action(writer, g.id);
    t.clock.advance(60_000);
    const changed = await patchGoal(writer, g.id, { title: 'New', why: 'Because it matters to me', targetDay: null });
    expect(changed.json()).toMatchObject({ title: 'New', why: 'Because it matters to me', targetDay: null, actionsPlanned: 1, updatedAt: '2026-03-01T09:01:00.000Z' });
    expect(changed.json().safety).toBeNull();
    expectProblem(await patchGoal(writer, g.id, { title: ' ' }), 400, 'validation_failed');
    // New words meet the precheck as on creation; a change that leaves the words alone does not.
    const reworded = await patchGoal(writer, g.id, { why: "some days I'm such a failure" });
    expect(reworded.json()).toMatchObject({ why: "some days I'm such a failure", safety: { category: 'harmful_self_talk' } });
    expect((await patchGoal(writer, g.id, { targetDay: '2026-05-01' })).json().safety).toBeNull();
    expect((await t.database.db.select().from(safetyEvents)).map((e) => [e.feature, e.ruleId])).toEqual([['lens', 'self_talk.failure']]);
    expect((await call(t.app, 'DELETE', `/v1/coach/goals/${g.id}`, { token: writer.accessToken })).statusCode).toBe(204);
    expectProblem(await call(t.app, 'GET', `/v1/coach/goals/${g.id}`, { token: writer.accessToken }), 404, 'goal_not_found');
    expectProblem(await call(t.app, 'DELETE', `/v1/coach/goals/${g.id}`, { token: writer.accessToken }), 404, 'goal_not_found');
    expect(await t.database.db.select().from(lensActions)).toEqual([]);
  });
});

describe('Lens actions', () => {
  it('plans actions for today by the clock or a given day, ticks them off with the clock\'s time, and clears it', async () => {
    const writer = await registerUser(t.app);
    const g = await goal(writer);
    const today = await action(writer, g.id, { title: 'Outline the thread' });
    expect(today).toEqual({ id: expect.any(String), goalId: g.id, title: 'Outline the thread', day: '2026-03-01', doneAt: null, createdAt: TEST_START });
    const later = await action(writer, g.id, { title: 'Publish it', day: '2026-03-03' });
    t.clock.advance(3_600_000);
    const url = `/v1/coach/goals/${g.id}/actions/${today.id}`;
    const done = await call(t.app, 'PATCH', url, { token: writer.accessToken, body: { done: true } });
    expect(done.json()).toMatchObject({ doneAt: '2026-03-01T10:00:00.000Z' });
    t.clock.advance(60_000);
    // Done again keeps when it was first done; a rename leaves it as it is.
    expect((await call(t.app, 'PATCH', url, { token: writer.accessToken, body: { done: true, title: 'Outline it' } })).json()).toMatchObject({ title: 'Outline it', doneAt: '2026-03-01T10:00:00.000Z' });
    expect(await detail(writer, g.id)).toMatchObject({ actionsDone: 1, actionsPlanned: 2, actions: [expect.objectContaining({ id: later.id }), expect.objectContaining({ id: today.id })] });
    expect((await call(t.app, 'PATCH', url, { token: writer.accessToken, body: { done: false, day: '2026-03-02' } })).json()).toMatchObject({ doneAt: null, day: '2026-03-02' });
    expect((await call(t.app, 'DELETE', url, { token: writer.accessToken })).statusCode).toBe(204);
    expectProblem(await call(t.app, 'DELETE', url, { token: writer.accessToken }), 404, 'action_not_found');
    expectProblem(await call(t.app, 'PATCH', url, { token: writer.accessToken, body: { done: true } }), 404, 'action_not_found');
    expect(await detail(writer, g.id)).toMatchObject({ actionsDone: 0, actionsPlanned: 1 });
  });

  it(`holds at most ${MAX_ACTIONS_PER_GOAL} actions on a goal: 409 goal_actions_full, nothing added`, async () => {
    const writer = await registerUser(t.app);
    const g = await goal(writer);
    const now = t.clock.now();
    const rows = Array.from({ length: MAX_ACTIONS_PER_GOAL - 1 }, (_, i) => ({
      id: uuidv7(),
      goalId: g.id,
      userId: writer.user.id,
      title: `Step ${i}`,
      day: '2026-03-01',
      doneAt: null,
      createdAt: now,
      updatedAt: now,
    }));
    await t.database.db.insert(lensActions).values(rows);
    await action(writer, g.id, { title: 'The last one that fits' });
    const full = expectProblem(await call(t.app, 'POST', `/v1/coach/goals/${g.id}/actions`, { token: writer.accessToken, body: { title: 'One more' } }), 409, 'goal_actions_full');
    expect(full.detail).toMatch(/up to 500 actions/);
    const [count] = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(lensActions);
    expect(count!.n).toBe(MAX_ACTIONS_PER_GOAL);
  });

  it("answers a day's actions across active goals with their goal's title, the same bytes for the same data and now", async () => {
    const writer = await registerUser(t.app);
    const other = await registerUser(t.app);
    const first = await goal(writer, { title: 'Write daily' });
    t.clock.advance(1000);
    const second = await goal(writer, { title: 'Grow the newsletter' });
    const paused = await goal(writer, { title: 'Old plan' });
    const a1 = await action(writer, second.id, { title: 'Send issue 4' });
    const a2 = await action(writer, first.id, { title: 'Morning pages' });
    await action(writer, first.id, { title: 'Tomorrow', day: '2026-03-02' });
    await action(writer, paused.id, { title: 'Not shown' });
    await patchGoal(writer, paused.id, { status: 'archived' });
    await action(other, (await goal(other)).id, { title: 'Someone else' });
    t.clock.advance(15 * 3_600_000);
    const url = `/v1/coach/actions?now=${encodeURIComponent('2026-03-01T23:59:59+00:00')}`;
    const res = await call(t.app, 'GET', url, { token: writer.accessToken });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as DayActions;
    expect(body.day).toBe('2026-03-01');
    expect(body.items.map((i) => [i.id, i.goalTitle])).toEqual([
      [a2.id, 'Write daily'],
      [a1.id, 'Grow the newsletter'],
    ]);
    expect((await call(t.app, 'GET', url, { token: writer.accessToken })).body).toBe(res.body);
    // Without `now`, today is the clock's; `day` picks any day.
    expect((await call(t.app, 'GET', '/v1/coach/actions', { token: writer.accessToken })).json()).toEqual({ day: '2026-03-02', items: [expect.objectContaining({ title: 'Tomorrow', goalTitle: 'Write daily' })] });
    expect((await call(t.app, 'GET', '/v1/coach/actions?day=2026-03-05', { token: writer.accessToken })).json()).toEqual({ day: '2026-03-05', items: [] });
    expectProblem(await call(t.app, 'GET', '/v1/coach/actions?day=2026-13-01', { token: writer.accessToken }), 400, 'validation_failed');
  });

  it("answers 404 for someone else's goal and actions, and changes nothing", async () => {
    const owner = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const g = await goal(owner);
    const a = await action(owner, g.id);
    const as = (method: 'GET' | 'PATCH' | 'DELETE' | 'POST', url: string, body?: unknown) => call(t.app, method, url, { token: stranger.accessToken, body });
    expectProblem(await as('GET', `/v1/coach/goals/${g.id}`), 404, 'goal_not_found');
    expectProblem(await as('PATCH', `/v1/coach/goals/${g.id}`, { title: 'Mine now' }), 404, 'goal_not_found');
    expectProblem(await as('DELETE', `/v1/coach/goals/${g.id}`), 404, 'goal_not_found');
    expectProblem(await as('POST', `/v1/coach/goals/${g.id}/actions`, { title: 'x' }), 404, 'goal_not_found');
    expectProblem(await as('PATCH', `/v1/coach/goals/${g.id}/actions/${a.id}`, { done: true }), 404, 'goal_not_found');
    expectProblem(await as('DELETE', `/v1/coach/goals/${g.id}/actions/${a.id}`), 404, 'goal_not_found');
    expect((await as('GET', '/v1/coach/goals')).json().items).toEqual([]);
    expect((await as('GET', '/v1/coach/actions')).json().items).toEqual([]);
    expect(await detail(owner, g.id)).toMatchObject({ title: 'Write every morning', actionsPlanned: 1, actionsDone: 0 });
    // An action under another goal of the owner's is not found there either.
    const h = await goal(owner);
    expectProblem(await call(t.app, 'PATCH', `/v1/coach/goals/${h.id}/actions/${a.id}`, { token: owner.accessToken, body: { done: true } }), 404, 'action_not_found');
  });
});
