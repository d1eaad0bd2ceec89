import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { MAX_ACTIONS_PER_GOAL } from '../../src/contract/coach.js';
import { lensActions, lensGoals } from '../../src/server/db/schema/index.js';
import { call, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();

describe('coach.goals.max under concurrent changes (PostgreSQL)', () => {
  it('10 parallel new goals and re-activations on the free plan (3 active) leave exactly 3 active, the rest 403', async () => {
    const writer = await registerUser(t.app);
    const create = (title: string) => call(t.app, 'POST', '/v1/coach/goals', { token: writer.accessToken, body: { title } });
    const done: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = (await create(`Earlier ${i}`)).json().id as string;
      expect((await call(t.app, 'PATCH', `/v1/coach/goals/${id}`, { token: writer.accessToken, body: { status: 'completed' } })).statusCode).toBe(200);
      done.push(id);
    }
    const results = await Promise.all([
      ...Array.from({ length: 7 }, (_, i) => create(`Goal ${i}`)),
      ...done.map((id) => call(t.app, 'PATCH', `/v1/coach/goals/${id}`, { token: writer.accessToken, body: { status: 'active' } })),
    ]);
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201 || s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s === 403)).toHaveLength(7);
    for (const refused of results.filter((r) => r.statusCode === 403)) expect(refused.json()).toMatchObject({ code: 'quota_exceeded', entitlement: 'coach.goals.max', limit: 3, used: 3 });
    const active = await t.database.db.select().from(lensGoals).where(eq(lensGoals.status, 'active'));
    expect(active).toHaveLength(3);
  });
});

describe('a goal\'s actions under concurrent additions (PostgreSQL)', () => {
  it(`adds exactly up to ${MAX_ACTIONS_PER_GOAL}: 6 parallel additions two short of it give two 201 and four 409`, async () => {
    const writer = await registerUser(t.app);
    const goal = (await call(t.app, 'POST', '/v1/coach/goals', { token: writer.accessToken, body: { title: 'Many steps' } })).json();
    const now = t.clock.now();
    await t.database.db.insert(lensActions).values(
      Array.from({ length: MAX_ACTIONS_PER_GOAL - 2 }, (_, i) => ({ id: uuidv7(), goalId: goal.id, userId: writer.user.id, title: `Step ${i}`, day: '2026-03-01', createdAt: now, updatedAt: now })),
    );
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => call(t.app, 'POST', `/v1/coach/goals/${goal.id}/actions`, { token: writer.accessToken, body: { title: `Parallel ${i}` } })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 201, 409, 409, 409, 409]);
    expect(await t.database.db.select().from(lensActions).where(eq(lensActions.goalId, goal.id))).toHaveLength(MAX_ACTIONS_PER_GOAL);
  });
});
