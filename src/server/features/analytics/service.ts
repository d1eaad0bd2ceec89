import type { DraftAnalytics, Leaderboard, LeaderboardMetric, LeaderboardWindow, UserAnalytics } from '../../../contract/analytics.js';
import type { Database } from '../../db/client.js';
import type { AuthUser } from '../../platform/auth.js';
import type { Clock } from '../../platform/clock.js';
import { requireMember } from '../drafts/service.js';
import type { Enforce } from '../plans/enforce.js';
import { userNotFound } from '../users/errors.js';
import { findPublicUser } from '../users/repo.js';
import { displayNames } from '../users/service.js';
import { draftAnalyticsModel, leaderboardModel, userAnalyticsModel, type DraftAnalyticsModel, type LeaderboardModel } from './model.js';
import { peopleIn, presentDraftAnalytics, presentLeaderboard } from './present.js';
import { draftCounts, leaderboardCounts, userCounts } from './repo.js';

/** `enforce` gates the analytics reads on the reader's `analytics.enabled`. */
export type AnalyticsDeps = { database: Database; clock: Clock; enforce: Enforce };

// The read models from the projections, for this feature's routes and for other features (share cards,
// profiles): each equals its reducer in reducers.ts for the same events and `now`.

export async function readDraftAnalytics(database: Database, draftId: string, now: Date): Promise<DraftAnalyticsModel> {
  return draftAnalyticsModel(draftId, await draftCounts(database, draftId, now), now);
}

export async function readUserAnalytics(database: Database, userId: string, now: Date): Promise<UserAnalytics> {
  return userAnalyticsModel(userId, await userCounts(database, userId, now), now);
}

export async function readLeaderboard(database: Database, metric: LeaderboardMetric, window: LeaderboardWindow, now: Date): Promise<LeaderboardModel> {
  return leaderboardModel(metric, window, await leaderboardCounts(database, metric, window, now), now);
}

/** Only members see a draft's analytics; for anyone else the draft does not exist. */
export async function draftAnalytics(deps: AnalyticsDeps, actor: AuthUser, draftId: string, now: Date): Promise<DraftAnalytics> {
  const { db } = deps.database;
  await requireMember({ db }, actor, draftId);
  await deps.enforce(db, actor.id, 'analytics.enabled', deps.clock.now());
  const model = await readDraftAnalytics(deps.database, draftId, now);
  return presentDraftAnalytics(model, await displayNames(db, peopleIn(model)));
}

/** A user's own analytics, or anyone's for an admin; everyone else gets the 404 of an unknown user. */
export async function userAnalytics(deps: AnalyticsDeps, actor: AuthUser, userId: string, now: Date): Promise<UserAnalytics> {
  if (actor.id !== userId) {
    if (actor.role !== 'admin') throw userNotFound();
    if (!(await findPublicUser(deps.database.db, userId))) throw userNotFound();
  }
  await deps.enforce(deps.database.db, actor.id, 'analytics.enabled', deps.clock.now());
  return readUserAnalytics(deps.database, userId, now);
}

export async function leaderboard(deps: AnalyticsDeps, metric: LeaderboardMetric, window: LeaderboardWindow, now: Date): Promise<Leaderboard> {
  const model = await readLeaderboard(deps.database, metric, window, now);
  return presentLeaderboard(model, await displayNames(deps.database.db, peopleIn(model)));
}
