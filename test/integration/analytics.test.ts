import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { DraftAnalytics, Leaderboard, UserAnalytics } from '../../src/contract/analytics.js';
import type { Draft } from '../../src/contract/drafts.js';
import { addCollaborator, call, createDraft, expectProblem, passRing, registerUser, type Account } from '../helpers/api.js';
import { TEST_START, useTestApp } from '../helpers/app.js';

// The stories move the clock by hours: tokens outlive them.
const t = useTestApp({ config: { adminEmails: ['boss@example.test'], accessTokenTtlSeconds: 86_400 } });

const MINUTE = 60_000;
const sqlText = (query: string) => sql.raw(query);
const at = (minutes: number) => new Date(Date.parse(TEST_START) + minutes * MINUTE).toISOString();

const append = async (who: Account, draftId: string, content: string) => {
  const res = await call(t.app, 'POST', `/v1/drafts/${draftId}/segments`, { token: who.accessToken, body: { content } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
};
const open = async (who: Account, draftId: string) => expect((await call(t.app, 'GET', `/v1/drafts/${draftId}`, { token: who.accessToken })).statusCode).toBe(200);
const get = (who: Account, url: string) => call(t.app, 'GET', url, { token: who.accessToken });

async function draftAnalytics(who: Account, draftId: string, now?: string): Promise<DraftAnalytics> {
  const res = await get(who, `/v1/drafts/${draftId}/analytics${now ? `?now=${now}` : ''}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as DraftAnalytics;
}
async function userAnalytics(who: Account, userId: string, now?: string): Promise<UserAnalytics> {
  const res = await get(who, `/v1/users/${userId}/analytics${now ? `?now=${now}` : ''}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as UserAnalytics;
}
async function leaderboard(who: Account, query: string): Promise<Leaderboard> {
  const res = await get(who, `/v1/leaderboard?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Leaderboard;
}

/**
 * Frodo creates a draft with a first segment at 09:00 and adds Sam; appends at 09:05; passes the ring to Sam at
 * 09:10; Sam writes two segments, edits one and deletes Frodo's second, then passes back at 09:40; Frodo
 * publishes at 09:50.
 */
async function story() {
  const frodo = await registerUser(t.app, { displayName: 'Frodo' });
  const sam = await registerUser(t.app, { displayName: 'Sam' });
  const draft = await createDraft(t.app, frodo, { title: 'There and back', initialSegment: 'One ring 💍' });
  await addCollaborator(t.app, frodo, draft.id, sam);
  t.clock.set(at(5));
  const second = await append(frodo, draft.id, 'to rule them all');
  t.clock.set(at(10));
  await passRing(t.app, frodo, draft.id, sam);
  t.clock.set(at(20));
  const mine = await append(sam, draft.id, 'Po-tay-toes');
  await append(sam, draft.id, 'Boil them, mash them');
  t.clock.set(at(25));
  const edited = await call(t.app, 'PATCH', `/v1/drafts/${draft.id}/segments/${mine.id}`, {
    token: sam.accessToken,
    body: { content: 'Po-tay-toes!' },
    headers: { 'if-match': '"1"' },
  });
  expect(edited.statusCode, edited.body).toBe(200);
  t.clock.set(at(30));
  const deleted = await call(t.app, 'DELETE', `/v1/drafts/${draft.id}/segments/${second.id}`, { token: sam.accessToken, headers: { 'if-match': '"1"' } });
  expect(deleted.statusCode, deleted.body).toBe(204);
  t.clock.set(at(40));
  await passRing(t.app, sam, draft.id, frodo);
  t.clock.set(at(50));
  expect((await call(t.app, 'POST', `/v1/drafts/${draft.id}/publish`, { token: frodo.accessToken })).statusCode).toBe(200);
  return { frodo, sam, draft };
}

describe('draft analytics', () => {
  it('shows what happened to a draft: segments added and deleted, the edit, ring passes, contributors in order, last activity', async () => {
    const { frodo, sam, draft } = await story();
    t.clock.set(at(60));
    expect(await draftAnalytics(frodo, draft.id)).toEqual({
      draftId: draft.id,
      views: 0,
      shares: 0,
      segments: 3,
      edits: 1,
      ringPasses: 2,
      contributorsCount: 2,
      contributors: [
        { userId: frodo.user.id, displayName: 'Frodo', segments: 2 },
        { userId: sam.user.id, displayName: 'Sam', segments: 2 },
      ],
      lastActivityAt: at(50),
      generatedAt: at(60),
    });
  });

  it('answers as of `now`: what happened after it has not happened yet', async () => {
    const { frodo, sam, draft } = await story();
    expect(await draftAnalytics(sam, draft.id, at(20))).toMatchObject({
      segments: 4,
      edits: 0,
      ringPasses: 1,
      contributorsCount: 2,
      contributors: [
        { userId: frodo.user.id, segments: 2 },
        { userId: sam.user.id, segments: 2 },
      ],
      lastActivityAt: at(20),
      generatedAt: at(20),
    });
    expect(await draftAnalytics(sam, draft.id, at(7))).toMatchObject({ segments: 2, ringPasses: 0, contributorsCount: 1, lastActivityAt: at(5) });
    expect(await draftAnalytics(sam, draft.id, '2026-02-28T23:00:00.000Z')).toMatchObject({
      segments: 0,
      contributorsCount: 0,
      contributors: [],
      lastActivityAt: null,
    });
  });

  it('counts a member opening the draft once per 30 minutes, however often they open it', async () => {
    const { frodo, sam, draft } = await story();
    await open(frodo, draft.id);
    t.clock.advance(10 * MINUTE);
    await open(frodo, draft.id);
    await open(sam, draft.id);
    t.clock.advance(20 * MINUTE - 1);
    await open(frodo, draft.id);
    expect((await draftAnalytics(frodo, draft.id)).views).toBe(2);
    t.clock.advance(1);
    await open(frodo, draft.id);
    expect((await draftAnalytics(frodo, draft.id)).views).toBe(3);
  });

  it('counts opens sent at the same moment once', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const answers = await Promise.all(Array.from({ length: 8 }, () => get(owner, `/v1/drafts/${draft.id}`)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(8).fill(200));
    expect((await draftAnalytics(owner, draft.id)).views).toBe(1);
  });

  it('is the same to the byte for the same data and `now`', async () => {
    const { sam, draft } = await story();
    const first = await get(sam, `/v1/drafts/${draft.id}/analytics?now=${at(35)}`);
    t.clock.advance(90 * MINUTE);
    const second = await get(sam, `/v1/drafts/${draft.id}/analytics?now=${encodeURIComponent('2026-03-01T10:35:00+01:00')}`);
    expect(first.statusCode).toBe(200);
    expect(second.body).toBe(first.body);
  });

  it('is 404 for someone not on the draft, and for a draft that does not exist', async () => {
    const owner = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    expectProblem(await get(stranger, `/v1/drafts/${draft.id}/analytics`), 404, 'draft_not_found');
    expectProblem(await get(owner, '/v1/drafts/01900000-0000-7000-8000-000000000000/analytics'), 404, 'draft_not_found');
    expectProblem(await call(t.app, 'GET', `/v1/drafts/${draft.id}/analytics`), 401, 'unauthorized');
  });
});

describe('user analytics', () => {
  it('counts what a user wrote, edited, held and passed, with their mean hold from real pass times', async () => {
    const { frodo, sam } = await story();
    t.clock.set(at(60));
    expect(await userAnalytics(sam, sam.user.id)).toEqual({
      userId: sam.user.id,
      draftsCreated: 0,
      draftsContributed: 1,
      segmentsWritten: 2,
      segmentsEdited: 1,
      ringsHeld: 1,
      ringsPassed: 1,
      avgRingHoldMinutes: 30,
      lastActiveAt: at(40),
      generatedAt: at(60),
    });
    expect(await userAnalytics(frodo, frodo.user.id)).toMatchObject({
      draftsCreated: 1,
      draftsContributed: 1,
      segmentsWritten: 2,
      ringsHeld: 1,
      ringsPassed: 1,
      avgRingHoldMinutes: 10,
      lastActiveAt: at(50),
    });
    expect(await userAnalytics(sam, sam.user.id, at(15))).toMatchObject({ segmentsWritten: 0, draftsContributed: 0, ringsHeld: 1, avgRingHoldMinutes: null, lastActiveAt: null });
  });

  it('times holds from when the ring arrived: a take by the owner and the return when a holder leaves', async () => {
    const owner = await registerUser(t.app);
    const [a, b] = [await registerUser(t.app), await registerUser(t.app)];
    const draft = await createDraft(t.app, owner);
    await addCollaborator(t.app, owner, draft.id, a);
    await addCollaborator(t.app, owner, draft.id, b);
    t.clock.set(at(3));
    await passRing(t.app, owner, draft.id, a);
    t.clock.set(at(10));
    expect((await call(t.app, 'POST', `/v1/drafts/${draft.id}/ring/take`, { token: owner.accessToken })).statusCode).toBe(200);
    t.clock.set(at(12));
    await passRing(t.app, owner, draft.id, b);
    t.clock.set(at(20));
    expect((await call(t.app, 'DELETE', `/v1/drafts/${draft.id}/collaborators/${b.user.id}`, { token: b.accessToken })).statusCode).toBe(204);
    const rows = await t.database.db.execute(
      sqlText(`select idempotency_key, user_id, target_user_id, payload from analytics_events where type = 'RingPassed' order by occurred_at`),
    );
    expect((rows as unknown as { rows: unknown[] }).rows).toEqual([
      { idempotency_key: expect.stringMatching(`^draft:${draft.id}:\\d+$`), user_id: owner.user.id, target_user_id: a.user.id, payload: { kind: 'pass', heldSince: TEST_START } },
      { idempotency_key: expect.any(String), user_id: a.user.id, target_user_id: owner.user.id, payload: { kind: 'take', heldSince: at(3) } },
      { idempotency_key: expect.any(String), user_id: owner.user.id, target_user_id: b.user.id, payload: { kind: 'pass', heldSince: at(10) } },
      { idempotency_key: expect.any(String), user_id: b.user.id, target_user_id: owner.user.id, payload: { kind: 'return', heldSince: at(12) } },
    ]);
    // The owner held it 3 minutes, then 2: 2.5 on average.
    expect((await userAnalytics(owner, owner.user.id)).avgRingHoldMinutes).toBe(2.5);
    expect(await userAnalytics(b, b.user.id)).toMatchObject({ ringsHeld: 1, ringsPassed: 1, avgRingHoldMinutes: 8 });
  });

  it('is for the user themself and admins; 404 for anyone else and for unknown users', async () => {
    const user = await registerUser(t.app);
    const other = await registerUser(t.app);
    const boss = await registerUser(t.app, { email: 'boss@example.test' });
    expectProblem(await get(other, `/v1/users/${user.user.id}/analytics`), 404, 'user_not_found');
    expect((await get(boss, `/v1/users/${user.user.id}/analytics`)).statusCode).toBe(200);
    expectProblem(await get(boss, '/v1/users/01900000-0000-7000-8000-000000000000/analytics'), 404, 'user_not_found');
  });

  it('is the same to the byte for the same data and `now`', async () => {
    const { sam } = await story();
    const first = await get(sam, `/v1/users/${sam.user.id}/analytics?now=${at(35)}`);
    t.clock.advance(90 * MINUTE);
    const second = await get(sam, `/v1/users/${sam.user.id}/analytics?now=${at(35)}`);
    expect(first.statusCode).toBe(200);
    expect(second.body).toBe(first.body);
  });
});

describe('recorded events', () => {
  it('tie each draft change to its place in the draft log, the same from an import as from appends', async () => {
    const owner = await registerUser(t.app);
    const imported = await call(t.app, 'POST', '/v1/drafts/import', {
      token: owner.accessToken,
      body: { title: 'Imported', platform: 'x', text: 'first 🧵\n\nsecond' },
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const draft = imported.json() as Draft;
    const appended = await createDraft(t.app, owner, { initialSegment: 'first 🧵' });
    await append(owner, appended.id, 'second');
    const shapes = async (draftId: string) =>
      (
        (await t.database.db.execute(
          sqlText(`select idempotency_key, schema_version, type, user_id, target_user_id, payload from analytics_events where draft_id = '${draftId}' order by id`),
        )) as unknown as { rows: Array<Record<string, unknown>> }
      ).rows.map((r) => ({ ...r, idempotency_key: String(r.idempotency_key).replace(draftId, 'D'), payload: { ...(r.payload as object), segmentId: 'S' } }));
    const expected = [
      { idempotency_key: 'draft:D:1', schema_version: 1, type: 'DraftCreated', user_id: owner.user.id, target_user_id: null, payload: { segmentId: 'S' } },
      { idempotency_key: 'draft:D:2', schema_version: 1, type: 'SegmentAdded', user_id: owner.user.id, target_user_id: null, payload: { segmentId: 'S', length: 7 } },
      { idempotency_key: 'draft:D:3', schema_version: 1, type: 'SegmentAdded', user_id: owner.user.id, target_user_id: null, payload: { segmentId: 'S', length: 6 } },
    ];
    expect(await shapes(draft.id)).toEqual(expected);
    expect(await shapes(appended.id)).toEqual(expected);
  });
});

describe('the leaderboard', () => {
  it('shows the first 10 by score, ties by user id, each with an insight, and no place past 10', async () => {
    const writers: Account[] = [];
    for (let i = 0; i < 12; i++) writers.push(await registerUser(t.app, { displayName: `Writer ${i}` }));
    // Writer i writes i segments (on a draft of their own): momentum = segments + 5 per draft created.
    for (const [i, w] of writers.entries()) {
      const draft = await createDraft(t.app, w);
      for (let s = 0; s < Math.min(i, 6); s++) await append(w, draft.id, `segment ${s}`);
    }
    const board = await leaderboard(writers[0]!, 'metric=momentum&window=7d');
    expect(board.entries).toHaveLength(10);
    expect(board.entries.map((e) => e.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(board.entries.map((e) => e.score)).toEqual([11, 11, 11, 11, 11, 11, 10, 9, 8, 7]);
    const sixes = writers.slice(6).map((w) => w.user.id).sort();
    expect(board.entries.slice(0, 6).map((e) => e.userId)).toEqual(sixes);
    expect(board.entries.slice(6).map((e) => e.displayName)).toEqual(['Writer 5', 'Writer 4', 'Writer 3', 'Writer 2']);
    expect(board.entries[6]).toMatchObject({ segments: 5, draftsCreated: 1, draftsContributed: 1, ringsHeld: 0 });
    for (const entry of board.entries) expect(entry.insight.length).toBeGreaterThan(0);
    expect(board).toMatchObject({ metric: 'momentum', window: '7d', generatedAt: TEST_START });
    expect(board.message.length).toBeGreaterThan(0);
  });

  it('counts a window of UTC days ending with `now`, and leaves out users with nothing in it', async () => {
    const { frodo, sam } = await story();
    // collaboration = segments × 3 + rings held × 2 + drafts contributed
    const today = await leaderboard(frodo, `metric=collaboration&window=7d&now=${at(60)}`);
    expect(today.entries.map((e) => [e.userId, e.score])).toEqual(
      [
        [frodo.user.id, 2 * 3 + 2 + 1],
        [sam.user.id, 2 * 3 + 2 + 1],
      ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
    // At 09:15 Frodo has written two segments; Sam has only received the ring.
    const halfway = await leaderboard(frodo, `metric=collaboration&window=7d&now=${at(15)}`);
    expect(halfway.entries.map((e) => [e.userId, e.score])).toEqual([
      [frodo.user.id, 2 * 3 + 1],
      [sam.user.id, 2],
    ]);
    const weekLater = '2026-03-07T23:59:59.999Z';
    expect((await leaderboard(frodo, `metric=consistency&window=7d&now=${weekLater}`)).entries).toHaveLength(2);
    expect((await leaderboard(frodo, `metric=consistency&window=7d&now=2026-03-08T00:00:00.000Z`)).entries).toEqual([]);
    expect((await leaderboard(frodo, `metric=consistency&window=30d&now=2026-03-08T00:00:00.000Z`)).entries).toHaveLength(2);
    expect((await leaderboard(frodo, `metric=consistency&window=all&now=2027-01-01T00:00:00.000Z`)).entries[0]).toMatchObject({ userId: frodo.user.id, score: 5 + 2 });
  });

  it('is the same to the byte for the same data and `now`', async () => {
    const { frodo } = await story();
    for (const metric of ['collaboration', 'momentum', 'consistency']) {
      for (const window of ['7d', '30d', 'all']) {
        const url = `/v1/leaderboard?metric=${metric}&window=${window}&now=${at(45)}`;
        const first = await get(frodo, url);
        t.clock.advance(MINUTE);
        expect(first.statusCode).toBe(200);
        expect((await get(frodo, url)).body).toBe(first.body);
      }
    }
  });

  it('refuses an unknown metric or window, and a `now` that is not an instant', async () => {
    const user = await registerUser(t.app);
    expectProblem(await get(user, '/v1/leaderboard?metric=fame'), 400, 'validation_failed');
    expectProblem(await get(user, '/v1/leaderboard?window=1y'), 400, 'validation_failed');
    expectProblem(await get(user, '/v1/leaderboard?now=yesterday'), 400, 'validation_failed');
    expectProblem(await call(t.app, 'GET', '/v1/leaderboard'), 401, 'unauthorized');
  });
});
