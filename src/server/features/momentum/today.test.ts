import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChallengeSchema, TodaySchema } from '../../../contract/analytics.js';
import { CHALLENGE_IDS } from './challenges.js';
import { momentumFromDays } from './momentum.js';
import { challengeFor, MAX_SUGGESTIONS, moodOf, suggestionsFor, todayFrom, type DraftsState } from './today.js';

const DAY = 24 * 60 * 60 * 1000;
const SHARED = '01a200cb-3f70-74d5-8e75-7a0ac9ba7ba1';
const SOLO = '01a200cb-3f70-74d5-8e75-7a0ac9ba7ba2';
const NO_DRAFTS: DraftsState = { sharedTurnDraftId: null, soloTurnDraftId: null, hasDrafts: false, hasDraftInProgress: false };
const IN_PROGRESS: DraftsState = { ...NO_DRAFTS, hasDrafts: true, hasDraftInProgress: true };
const quiet = { wroteToday: false, streakDays: 0 };
const ids = (list: Array<{ id: string }>) => list.map((s) => s.id);

describe("the day's challenge", () => {
  it('has at least 14 challenges, each with a distinct id, title and prompt', () => {
    expect(CHALLENGE_IDS.length).toBeGreaterThanOrEqual(14);
    const all = CHALLENGE_IDS.map((_, i) => challengeFor(new Date(i * DAY)));
    for (const challenge of all) expect(ChallengeSchema.parse(challenge)).toEqual(challenge);
    for (const key of ['id', 'title', 'prompt'] as const) expect(new Set(all.map((c) => c[key])).size).toBe(CHALLENGE_IDS.length);
  });

  it('is the same all UTC day long and changes at UTC midnight', () => {
    const day = challengeFor(new Date('2026-03-15T00:00:00.000Z'));
    expect(challengeFor(new Date('2026-03-15T23:59:59.999Z'))).toEqual(day);
    expect(challengeFor(new Date('2026-03-15T23:30:00.000-05:00'))).not.toEqual(day);
    expect(challengeFor(new Date('2026-03-16T00:00:00.000Z'))).not.toEqual(day);
  });

  it('rotates through every challenge in turn, before 1970 too (property)', () => {
    const day = fc.integer({ min: -700_000, max: 2_900_000 });
    fc.assert(
      fc.property(day, (d) => {
        const today = challengeFor(new Date(d * DAY + 5));
        const next = challengeFor(new Date((d + 1) * DAY));
        const at = (c: { id: string }) => CHALLENGE_IDS.indexOf(c.id as (typeof CHALLENGE_IDS)[number]);
        expect(at(next)).toBe((at(today) + 1) % CHALLENGE_IDS.length);
        expect(challengeFor(new Date((d + CHALLENGE_IDS.length) * DAY))).toEqual(challengeFor(new Date(d * DAY)));
      }),
    );
  });
});

describe('the coach', () => {
  it('welcomes someone with no drafts to a first one', () => {
    expect(ids(suggestionsFor(quiet, NO_DRAFTS))).toEqual(['first-draft', 'start-streak', 'try-challenge']);
  });

  it('offers a new draft when none is in progress', () => {
    expect(ids(suggestionsFor(quiet, { ...NO_DRAFTS, hasDrafts: true }))).toEqual(['new-draft', 'start-streak', 'try-challenge']);
  });

  it('points at the shared draft waiting for the user first, then their own, each by its id', () => {
    const list = suggestionsFor(quiet, { ...IN_PROGRESS, sharedTurnDraftId: SHARED, soloTurnDraftId: SOLO });
    expect(list.map((s) => [s.id, s.draftId])).toEqual([
      ['your-turn', SHARED],
      ['continue-draft', SOLO],
      ['start-streak', null],
    ]);
  });

  it('encourages an open streak with its length, and acknowledges a day already written', () => {
    const keep = suggestionsFor({ wroteToday: false, streakDays: 4 }, IN_PROGRESS);
    expect(keep.map((s) => [s.id, s.text])).toEqual([
      ['keep-streak', 'Add a post today to carry your 4-day streak into tomorrow.'],
      ['try-challenge', expect.any(String)],
    ]);
    expect(ids(suggestionsFor({ wroteToday: true, streakDays: 4 }, IN_PROGRESS))).toEqual(['wrote-today', 'try-challenge']);
  });

  it('gives at most three, the same every time for the same state (property)', () => {
    const draftId = fc.option(fc.uuid(), { nil: null });
    const state = fc.record({ sharedTurnDraftId: draftId, soloTurnDraftId: draftId, hasDrafts: fc.boolean(), hasDraftInProgress: fc.boolean() });
    const momentum = fc.record({ wroteToday: fc.boolean(), streakDays: fc.nat({ max: 400 }) });
    fc.assert(
      fc.property(momentum, state, (m, drafts) => {
        const list = suggestionsFor(m, drafts);
        expect(list.length).toBeGreaterThan(0);
        expect(list.length).toBeLessThanOrEqual(MAX_SUGGESTIONS);
        expect(new Set(ids(list)).size).toBe(list.length);
        expect(suggestionsFor(m, drafts)).toEqual(list);
      }),
    );
  });
});

describe('the today page', () => {
  it('picks the message of the day from how the day looks', () => {
    expect(moodOf({ wroteToday: true, streakDays: 3, longestStreak: 3 })).toBe('wrote-today');
    expect(moodOf({ wroteToday: false, streakDays: 3, longestStreak: 3 })).toBe('streak-open');
    expect(moodOf({ wroteToday: false, streakDays: 0, longestStreak: 3 })).toBe('fresh-start');
    expect(moodOf({ wroteToday: false, streakDays: 0, longestStreak: 0 })).toBe('first-steps');
  });

  it("answers the contract's shape, dated by now's UTC day", () => {
    const now = new Date('2026-03-15T23:30:00.000-05:00');
    const today = todayFrom(momentumFromDays([{ date: '2026-03-16', segments: 1 }], now), IN_PROGRESS, now);
    expect(TodaySchema.parse(today)).toEqual(today);
    expect(today).toMatchObject({ date: '2026-03-16', streakDays: 1, wroteToday: true, generatedAt: '2026-03-16T04:30:00.000Z' });
  });
});
