import { randomUUID } from 'node:crypto';
import type { AnalyticsEventType } from '../../src/contract/analytics.js';
import type { Database } from '../../src/server/db/client.js';
import { recordAnalyticsEvents, type NewAnalyticsEvent } from '../../src/server/features/analytics/record.js';

/** An analytics event as a domain action would record it; the draft is any id (the log has no foreign keys). */
export function analyticsEvent(
  type: AnalyticsEventType,
  userId: string,
  occurredAt: string | Date,
  over: Partial<Omit<NewAnalyticsEvent, 'type' | 'userId' | 'occurredAt'>> = {},
): NewAnalyticsEvent {
  return { type, userId, occurredAt: new Date(occurredAt), idempotencyKey: `test:${randomUUID()}`, draftId: randomUUID(), payload: {}, ...over };
}

/** A SegmentAdded by `userId` at each instant. */
export function segmentsAdded(userId: string, ...instants: string[]): NewAnalyticsEvent[] {
  return instants.map((at) => analyticsEvent('SegmentAdded', userId, at, { payload: { segmentId: randomUUID(), length: 40 } }));
}

/** Writes events through the real write path, in one transaction. */
export async function seedEvents(database: Database, events: readonly NewAnalyticsEvent[]): Promise<void> {
  await database.db.transaction((tx) => recordAnalyticsEvents(tx, events));
}
