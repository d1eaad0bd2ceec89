import type { Challenge, Suggestion, Today } from '../../../contract/analytics.js';
import { todayCopy, type DayMood } from '../analytics/copy.js';
import { CHALLENGE_IDS } from './challenges.js';
import { dateOfEpochDay, epochDayOf, type MomentumModel } from './momentum.js';

/** Coach suggestions offered at most. */
export const MAX_SUGGESTIONS = 3;

/** Where the user stands with their drafts, for the coach. */
export type DraftsState = {
  /** The most recently active draft in progress where the user holds the ring and has collaborators. */
  sharedTurnDraftId: string | null;
  /** The most recently active draft in progress where the user holds the ring alone. */
  soloTurnDraftId: string | null;
  /** Whether the user belongs to any draft at all (in progress, published or archived). */
  hasDrafts: boolean;
  /** Whether the user belongs to a draft still in progress. */
  hasDraftInProgress: boolean;
};

/**
 * The day's challenge, from the UTC date alone: the list in rotation, `days since 1970-01-01 mod N`, so
 * everyone has the same challenge on the same day and it changes at UTC midnight.
 */
export function challengeFor(now: Date): Challenge {
  const count = CHALLENGE_IDS.length;
  const id = CHALLENGE_IDS[((epochDayOf(now) % count) + count) % count]!;
  return { id, title: todayCopy.challengeTitle(id), prompt: todayCopy.challengePrompt(id) };
}

/** wrote today → "wrote-today"; a streak still open → "streak-open"; a streak before → "fresh-start"; else "first-steps". */
export function moodOf(momentum: Pick<MomentumModel, 'wroteToday' | 'streakDays' | 'longestStreak'>): DayMood {
  if (momentum.wroteToday) return 'wrote-today';
  if (momentum.streakDays > 0) return 'streak-open';
  if (momentum.longestStreak > 0) return 'fresh-start';
  return 'first-steps';
}

/**
 * The coach's suggestions: the first three of, in this order,
 * 1. `your-turn` — the ring is with the user on a shared draft (that draft);
 * 2. `continue-draft` — the ring is with the user on a draft of their own (that draft);
 * 3. `first-draft` when they belong to no draft yet, else `new-draft` when none is in progress;
 * 4. `wrote-today` when they wrote today, else `keep-streak` while a streak is open, else `start-streak`;
 * 5. `try-challenge`.
 * The same state always gives the same list.
 */
export function suggestionsFor(momentum: Pick<MomentumModel, 'wroteToday' | 'streakDays'>, drafts: DraftsState): Suggestion[] {
  const suggestions: Suggestion[] = [];
  const add = (id: string, text: string, draftId: string | null = null) => suggestions.push({ id, text, draftId });
  if (drafts.sharedTurnDraftId) add('your-turn', todayCopy.yourTurn, drafts.sharedTurnDraftId);
  if (drafts.soloTurnDraftId) add('continue-draft', todayCopy.continueDraft, drafts.soloTurnDraftId);
  if (!drafts.hasDrafts) add('first-draft', todayCopy.firstDraft);
  else if (!drafts.hasDraftInProgress) add('new-draft', todayCopy.newDraft);
  if (momentum.wroteToday) add('wrote-today', todayCopy.wroteToday);
  else if (momentum.streakDays > 0) add('keep-streak', todayCopy.keepStreak(momentum.streakDays));
  else add('start-streak', todayCopy.startStreak);
  add('try-challenge', todayCopy.tryChallenge);
  return suggestions.slice(0, MAX_SUGGESTIONS);
}

/** The today page: the user's streak, the message of the day, the day's challenge and the coach. */
export function todayFrom(momentum: MomentumModel, drafts: DraftsState, now: Date): Today {
  return {
    date: dateOfEpochDay(epochDayOf(now)),
    streakDays: momentum.streakDays,
    longestStreak: momentum.longestStreak,
    wroteToday: momentum.wroteToday,
    message: todayCopy.message(moodOf(momentum)),
    challenge: challengeFor(now),
    suggestions: suggestionsFor(momentum, drafts),
    generatedAt: now.toISOString(),
  };
}
