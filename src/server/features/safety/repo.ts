import { v7 as uuidv7 } from 'uuid';
import type { SafetyCategory } from '../../../contract/coach.js';
import type { Db } from '../../db/client.js';
import { safetyEvents } from '../../db/schema/index.js';

/** A precheck match worth counting: who, where and which rule; the user's words are never recorded. */
export interface SafetyEvent {
  userId: string;
  /** The feature the text was sent to: 'turn', 'mirror', 'lens'. */
  feature: string;
  category: SafetyCategory;
  ruleId: string;
  at: Date;
}

/** Records a precheck match, in the caller's transaction. */
export async function recordSafetyEvent(tx: Db, e: SafetyEvent): Promise<void> {
  await tx.insert(safetyEvents).values({ id: uuidv7(), userId: e.userId, feature: e.feature, category: e.category, ruleId: e.ruleId, createdAt: e.at });
}
