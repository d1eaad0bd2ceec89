import { describe, expect, it } from 'vitest';
import type { Today } from '../../src/contract/analytics.js';
import { challengeFor } from '../../src/server/features/momentum/today.js';
import { addCollaborator, call, createDraft, expectProblem, passRing, registerUser, type Account } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';
import { seedEvents, segmentsAdded } from '../helpers/momentum-events.js';

const t = useTestApp();

const todayAt = (who: Account, now?: string) =>
  call(t.app, 'GET', `/v1/today${now === undefined ? '' : `?now=${encodeURIComponent(now)}`}`, { token: who.accessToken });

async function today(who: Account, now?: string): Promise<Today> {
  const res = await todayAt(who, now);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Today;
}

const suggestionsOf = async (who: Account) => (await today(who)).suggestions.map((s) => [s.id, s.draftId]);

describe('GET /v1/today', () => {
  it('welcomes a new user with the day’s challenge and a first draft', async () => {
    const me = await registerUser(t.app);
    const day = await today(me, '2026-03-15T12:00:00.000Z');
    expect(day).toMatchObject({ date: '2026-03-15', streakDays: 0, longestStreak: 0, wroteToday: false, generatedAt: '2026-03-15T12:00:00.000Z' });
    expect(day.message).toBe('Welcome. Your first post is a great place to begin.');
    expect(day.challenge).toEqual(challengeFor(new Date('2026-03-15T00:00:00.000Z')));
    expect(day.suggestions.map((s) => s.id)).toEqual(['first-draft', 'start-streak', 'try-challenge']);
  });

  it('gives everyone the same challenge on a UTC date, and the next one the day after', async () => {
    const [me, other] = [await registerUser(t.app), await registerUser(t.app)];
    await seedEvents(t.database, segmentsAdded(me.user.id, '2026-03-15T08:00:00.000Z'));
    const mine = await today(me, '2026-03-15T00:00:00.000Z');
    expect((await today(other, '2026-03-15T23:59:59.999Z')).challenge).toEqual(mine.challenge);
    const tomorrow = await today(me, '2026-03-16T00:00:00.000Z');
    expect(tomorrow.date).toBe('2026-03-16');
    expect(tomorrow.challenge).not.toEqual(mine.challenge);
  });

  it('shows the streak and encourages carrying it on, then acknowledges the day once written', async () => {
    const me = await registerUser(t.app);
    await seedEvents(t.database, segmentsAdded(me.user.id, '2026-03-13T10:00:00.000Z', '2026-03-14T10:00:00.000Z', '2026-03-15T10:00:00.000Z'));
    const before = await today(me, '2026-03-15T09:00:00.000Z');
    expect(before).toMatchObject({ streakDays: 2, longestStreak: 2, wroteToday: false });
    expect(before.message).toBe('Today is open: one post keeps your rhythm going.');
    expect(before.suggestions).toContainEqual({ id: 'keep-streak', text: 'Add a post today to carry your 2-day streak into tomorrow.', draftId: null });
    const after = await today(me, '2026-03-15T11:00:00.000Z');
    expect(after).toMatchObject({ streakDays: 3, longestStreak: 3, wroteToday: true, message: 'You wrote today. Every post adds up.' });
    expect(after.suggestions.map((s) => s.id)).toContain('wrote-today');
    const later = await today(me, '2026-03-17T09:00:00.000Z');
    expect(later).toMatchObject({ streakDays: 0, longestStreak: 3, message: 'A fresh page today. Start wherever you are.' });
  });

  it('points at the draft where the user holds the ring, most recent activity first', async () => {
    const me = await registerUser(t.app);
    const older = await createDraft(t.app, me, { title: 'Older' });
    t.clock.advance(60_000);
    const newer = await createDraft(t.app, me, { title: 'Newer' });
    expect(await suggestionsOf(me)).toEqual([
      ['continue-draft', newer.id],
      ['start-streak', null],
      ['try-challenge', null],
    ]);
    t.clock.advance(60_000);
    const appended = await call(t.app, 'POST', `/v1/drafts/${older.id}/segments`, { token: me.accessToken, body: { content: 'more' } });
    expect(appended.statusCode, appended.body).toBe(201);
    expect((await suggestionsOf(me))[0]).toEqual(['continue-draft', older.id]);
  });

  it('puts a shared draft waiting for the user first, and follows the ring when it is passed', async () => {
    const [me, friend] = [await registerUser(t.app), await registerUser(t.app)];
    const solo = await createDraft(t.app, me, { title: 'Mine' });
    t.clock.advance(60_000);
    const shared = await createDraft(t.app, me, { title: 'Ours' });
    await addCollaborator(t.app, me, shared.id, friend);
    t.clock.advance(60_000);
    await call(t.app, 'POST', `/v1/drafts/${solo.id}/segments`, { token: me.accessToken, body: { content: 'latest' } });
    expect((await suggestionsOf(me)).slice(0, 2)).toEqual([
      ['your-turn', shared.id],
      ['continue-draft', solo.id],
    ]);
    expect(await suggestionsOf(friend)).toEqual([
      ['start-streak', null],
      ['try-challenge', null],
    ]);

    await passRing(t.app, me, shared.id, friend);
    expect((await suggestionsOf(me))[0]).toEqual(['continue-draft', solo.id]);
    expect((await suggestionsOf(friend))[0]).toEqual(['your-turn', shared.id]);
  });

  it('offers a new draft once every draft is published', async () => {
    const me = await registerUser(t.app);
    const draft = await createDraft(t.app, me);
    const published = await call(t.app, 'POST', `/v1/drafts/${draft.id}/publish`, { token: me.accessToken, body: {} });
    expect(published.statusCode, published.body).toBe(200);
    expect(await suggestionsOf(me)).toEqual([
      ['new-draft', null],
      ['start-streak', null],
      ['try-challenge', null],
    ]);
  });

  it('answers byte for byte the same for the same data and now, and moves with now', async () => {
    const me = await registerUser(t.app);
    await createDraft(t.app, me);
    await seedEvents(t.database, segmentsAdded(me.user.id, '2026-03-14T10:00:00.000Z'));
    const first = await todayAt(me, '2026-03-15T12:00:00.000Z');
    const second = await todayAt(me, '2026-03-15T12:00:00.000Z');
    expect(first.statusCode).toBe(200);
    expect(second.body).toBe(first.body);
    expect((await today(me, '2026-03-15T12:00:00.000Z')).streakDays).toBe(1);
    expect((await today(me, '2026-03-16T00:00:00.000Z')).streakDays).toBe(0);
  });

  it('needs a signed-in user and a valid now', async () => {
    expectProblem(await call(t.app, 'GET', '/v1/today'), 401, 'unauthorized');
    const me = await registerUser(t.app);
    expectProblem(await todayAt(me, '2026-03-15'), 400, 'validation_failed');
  });
});
