import { eq } from 'drizzle-orm';
import type { PlanId } from '../../src/contract/plans.js';
import type { Db } from '../../src/server/db/client.js';
import { userPlans } from '../../src/server/db/schema/index.js';

/**
 * Moves a test user to a plan, for tests whose subject is not the limits but that need more drafts or
 * collaborators than the free plan allows (free: 10 drafts + 2 grace, 3 collaborators + 1; team: no draft
 * limit, 50 collaborators + 5).
 */
export async function putOnPlan(db: Db, userId: string, plan: PlanId): Promise<void> {
  await db.update(userPlans).set({ planId: plan }).where(eq(userPlans.userId, userId));
}
