import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { PlanId } from '../../src/contract/plans.js';
import type { Db } from '../../src/server/db/client.js';
import { entitlementOverrides, userPlans } from '../../src/server/db/schema/index.js';

/**
 * Moves a test user to a plan, for tests whose subject is not the limits but that need more drafts or
 * collaborators than the free plan allows (free: 10 drafts + 2 grace, 3 collaborators + 1; team: no draft
 * limit, 50 collaborators + 5).
 */
export async function putOnPlan(db: Db, userId: string, plan: PlanId): Promise<void> {
  await db.update(userPlans).set({ planId: plan }).where(eq(userPlans.userId, userId));
}

/** Sets a user's allowance of an entitlement, as an admin's override does (no expiry). */
export async function allowEntitlement(db: Db, userId: string, key: string, value: number, at: Date): Promise<void> {
  await db.insert(entitlementOverrides).values({ id: randomUUID(), userId, key, value, expiresAt: null, createdAt: at, createdBy: userId });
}
