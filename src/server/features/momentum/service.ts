import type { Archetype, Momentum, Profile, Today } from '../../../contract/analytics.js';
import type { Db } from '../../db/client.js';
import type { AuthUser } from '../../platform/auth.js';
import { asOf, type Clock } from '../../platform/clock.js';
import { findPublicUser } from '../users/repo.js';
import { displayNameOf } from '../users/present.js';
import { archetypeOf, presentArchetype } from './archetype.js';
import { userNotFound } from '../users/errors.js';
import { momentumFromDays, type MomentumModel } from './momentum.js';
import * as repo from './repo.js';
import { todayFrom } from './today.js';

export type MomentumDeps = { db: Db; clock: Clock };

/** A user's momentum as of `now`, from their SegmentAdded events counted per UTC day. */
export async function momentumOf(deps: MomentumDeps, userId: string, now: Date): Promise<MomentumModel> {
  return momentumFromDays(await repo.segmentDays(deps.db, userId, now), now);
}

/** A user's archetype as of `now`, from the signals in their own events. */
export async function archetypeOfUser(deps: MomentumDeps, userId: string, now: Date): Promise<Archetype> {
  return presentArchetype(archetypeOf(await repo.archetypeSignals(deps.db, userId, now)));
}

/** `GET /v1/me/momentum`. */
export async function myMomentum(deps: MomentumDeps, actor: AuthUser, query: { now?: string | undefined }): Promise<Momentum> {
  const now = asOf(deps.clock, query.now);
  return { ...(await momentumOf(deps, actor.id, now)), generatedAt: now.toISOString() };
}

/** `GET /v1/today`: the streak, the day's challenge and the coach's suggestions. */
export async function myToday(deps: MomentumDeps, actor: AuthUser, query: { now?: string | undefined }): Promise<Today> {
  const now = asOf(deps.clock, query.now);
  const [momentum, drafts] = await Promise.all([momentumOf(deps, actor.id, now), repo.draftsState(deps.db, actor.id)]);
  return todayFrom(momentum, drafts, now);
}

/** `GET /v1/users/:id/profile`: public facts only (display name, archetype, momentum); 404 for no such user. */
export async function publicProfile(deps: MomentumDeps, userId: string, query: { now?: string | undefined }): Promise<Profile> {
  const now = asOf(deps.clock, query.now);
  const user = await findPublicUser(deps.db, userId);
  if (!user) throw userNotFound();
  const [archetype, momentum] = await Promise.all([archetypeOfUser(deps, userId, now), momentumOf(deps, userId, now)]);
  return { userId, displayName: displayNameOf(user), archetype, momentum, generatedAt: now.toISOString() };
}
