import { ANALYTICS_SCHEMA_VERSION, type Archetype, type ArchetypeId } from '../../../contract/analytics.js';
import type { AnalyticsEventRow } from '../../db/schema/analytics.js';
import { archetypeCopy } from '../analytics/copy.js';
import { UnknownSchemaVersionError } from '../analytics/reducers.js';

/** What a user's own analytics events say about how they write, up to `now`. */
export type ArchetypeSignals = {
  /** SegmentAdded by the user. */
  segmentsWritten: number;
  /** The characters of those segments (SegmentAdded `payload.length`), summed. */
  segmentCharacters: number;
  /** SegmentEdited by the user. */
  segmentsEdited: number;
  /** DraftCreated by the user. */
  draftsCreated: number;
  /** Distinct drafts in which the user added a segment. */
  draftsContributed: number;
  /** RingPassed by the user of kind `pass` (a take or a return is not the user handing the ring on). */
  ringPassesMade: number;
};

export const NO_SIGNALS: ArchetypeSignals = {
  segmentsWritten: 0,
  segmentCharacters: 0,
  segmentsEdited: 0,
  draftsCreated: 0,
  draftsContributed: 0,
  ringPassesMade: 0,
};

/** Average characters per segment at or past which the writing counts as long-form. */
export const LONG_SEGMENT_CHARACTERS = 180;

/**
 * The archetype, by the first rule that holds (every rule needs a little history, so a new user falls
 * through to the default):
 * 1. leader — created 3+ drafts and passed the ring at least once per draft created: starts threads and
 *    brings people in;
 * 2. connector — passed the ring 3+ times, wrote in 2+ drafts, and passes at least once per two segments
 *    written: keeps shared threads moving;
 * 3. analytical — wrote 3+ segments and either edits at least once per two segments or averages
 *    180+ characters a segment: considered, revised writing;
 * 4. creative — everyone else, including a new user: writing new posts is where every thread starts.
 * Integer comparisons only (no averages), so the rules never depend on rounding.
 */
export function archetypeOf(s: ArchetypeSignals): ArchetypeId {
  if (s.draftsCreated >= 3 && s.ringPassesMade >= s.draftsCreated) return 'leader';
  if (s.ringPassesMade >= 3 && s.draftsContributed >= 2 && s.ringPassesMade * 2 >= s.segmentsWritten) return 'connector';
  if (s.segmentsWritten >= 3 && (s.segmentsEdited * 2 >= s.segmentsWritten || s.segmentCharacters >= LONG_SEGMENT_CHARACTERS * s.segmentsWritten)) {
    return 'analytical';
  }
  return 'creative';
}

export function presentArchetype(id: ArchetypeId): Archetype {
  return { id, name: archetypeCopy.name(id), description: archetypeCopy.description(id) };
}

/** What the signals reducer reads of an analytics event. */
export type SignalEvent = Pick<AnalyticsEventRow, 'schemaVersion' | 'type' | 'userId' | 'occurredAt' | 'draftId' | 'payload'>;

/** Longest `payload.length` counted; a larger or malformed one counts 0, as in the repo's SQL. */
const MAX_SEGMENT_LENGTH = 999_999_999;

function lengthIn(payload: unknown): number {
  const value = (payload as Record<string, unknown> | null)?.length;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_SEGMENT_LENGTH ? value : 0;
}

/** The signals straight from events (the repo computes the same in SQL); refuses an unknown schema version. */
export function archetypeSignalsFromEvents(userId: string, events: Iterable<SignalEvent>, now: Date): ArchetypeSignals {
  const signals = { ...NO_SIGNALS };
  const drafts = new Set<string>();
  for (const event of events) {
    if (event.schemaVersion !== ANALYTICS_SCHEMA_VERSION) throw new UnknownSchemaVersionError(event.schemaVersion);
    if (event.userId !== userId || event.occurredAt > now) continue;
    if (event.type === 'SegmentAdded') {
      signals.segmentsWritten++;
      signals.segmentCharacters += lengthIn(event.payload);
      drafts.add(event.draftId);
    } else if (event.type === 'SegmentEdited') signals.segmentsEdited++;
    else if (event.type === 'DraftCreated') signals.draftsCreated++;
    else if (event.type === 'RingPassed' && (event.payload as Record<string, unknown> | null)?.kind === 'pass') signals.ringPassesMade++;
  }
  signals.draftsContributed = drafts.size;
  return signals;
}
