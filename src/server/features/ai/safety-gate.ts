import type { SafetyNotice } from '../../../contract/coach.js';
import type { Db } from '../../db/client.js';
import { noticeFor } from '../safety/copy.js';
import { precheck } from '../safety/precheck.js';
import { recordSafetyEvent } from '../safety/repo.js';
import type { AiEnvelope } from './gateway-types.js';

/**
 * The safety precheck on the envelope's last user message: a match is written as a safety event (in the
 * caller's transaction; which rule, never the words) and answered with its notice instead of a model call.
 */
export async function screen(tx: Db, envelope: AiEnvelope, at: Date): Promise<SafetyNotice | null> {
  const last = envelope.messages.findLast((m) => m.role === 'user');
  const match = last ? precheck(last.content) : null;
  if (!match) return null;
  await recordSafetyEvent(tx, { userId: envelope.userId, feature: envelope.feature, category: match.category, ruleId: match.ruleId, at });
  return noticeFor(match.category);
}
