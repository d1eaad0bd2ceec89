import type { SafetyNotice } from '../../../contract/coach.js';
import type { Db } from '../../db/client.js';
import type { AiEnvelope } from './gateway-types.js';

/**
 * The safety precheck on the envelope's last user message: a match is written as a safety event (in the
 * caller's transaction) and answered with its notice instead of a model call. Until the precheck lands
 * (features/safety), nothing matches.
 */
export async function screen(_tx: Db, _envelope: AiEnvelope, _at: Date): Promise<SafetyNotice | null> {
  return null;
}
