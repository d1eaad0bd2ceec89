import type { DraftAnalytics, Leaderboard } from '../../../contract/analytics.js';
import { displayNameOf } from '../users/present.js';
import type { DraftAnalyticsModel, LeaderboardModel } from './model.js';

/** A user's name from `names`, or the default name when they are not found (the log outlives accounts). */
const nameOf = (names: ReadonlyMap<string, string>, userId: string) => names.get(userId) ?? displayNameOf({ id: userId, displayName: null });

/** Every user id a model names, for one lookup of their display names. */
export const peopleIn = (model: DraftAnalyticsModel | LeaderboardModel): string[] =>
  'contributors' in model ? model.contributors.map((c) => c.userId) : model.entries.map((e) => e.userId);

export function presentDraftAnalytics(model: DraftAnalyticsModel, names: ReadonlyMap<string, string>): DraftAnalytics {
  return { ...model, contributors: model.contributors.map((c) => ({ userId: c.userId, displayName: nameOf(names, c.userId), segments: c.segments })) };
}

export function presentLeaderboard(model: LeaderboardModel, names: ReadonlyMap<string, string>): Leaderboard {
  return { ...model, entries: model.entries.map((e) => ({ ...e, displayName: nameOf(names, e.userId) })) };
}
