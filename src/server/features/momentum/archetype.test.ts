import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ARCHETYPES, ArchetypeSchema } from '../../../contract/analytics.js';
import { archetypeOf, archetypeSignalsFromEvents, NO_SIGNALS, presentArchetype, type ArchetypeSignals, type SignalEvent } from './archetype.js';
import { UnknownSchemaVersionError } from '../analytics/reducers.js';

const USER = '01a200cb-3f70-74d5-8e75-7a0ac9ba7b91';
const OTHER = '01a200cb-3f70-74d5-8e75-7a0ac9ba7b92';
const DRAFT_A = '01a200cb-3f70-74d5-8e75-7a0ac9ba7ba1';
const DRAFT_B = '01a200cb-3f70-74d5-8e75-7a0ac9ba7ba2';
const NOW = new Date('2026-03-15T12:00:00.000Z');

const signals = (s: Partial<ArchetypeSignals>): ArchetypeSignals => ({ ...NO_SIGNALS, ...s });
const event = (type: string, over: Partial<SignalEvent> = {}): SignalEvent => ({
  schemaVersion: 1,
  type,
  userId: USER,
  occurredAt: NOW,
  draftId: DRAFT_A,
  payload: {},
  ...over,
});

describe('archetype rules', () => {
  it('makes a new user a creator', () => {
    expect(archetypeOf(NO_SIGNALS)).toBe('creative');
    expect(archetypeOf(signals({ segmentsWritten: 2, segmentsEdited: 2, segmentCharacters: 900 }))).toBe('creative');
  });

  it('makes someone who starts threads and hands each one on a leader', () => {
    expect(archetypeOf(signals({ draftsCreated: 3, ringPassesMade: 3, segmentsWritten: 20 }))).toBe('leader');
    expect(archetypeOf(signals({ draftsCreated: 3, ringPassesMade: 2, segmentsWritten: 2 }))).not.toBe('leader');
    expect(archetypeOf(signals({ draftsCreated: 2, ringPassesMade: 9 }))).not.toBe('leader');
  });

  it('makes someone who passes the ring across drafts as often as every other post a connector', () => {
    const connector = signals({ ringPassesMade: 3, draftsContributed: 2, segmentsWritten: 6 });
    expect(archetypeOf(connector)).toBe('connector');
    expect(archetypeOf({ ...connector, segmentsWritten: 7 })).not.toBe('connector');
    expect(archetypeOf({ ...connector, draftsContributed: 1 })).not.toBe('connector');
    expect(archetypeOf({ ...connector, ringPassesMade: 2, segmentsWritten: 4 })).not.toBe('connector');
  });

  it('makes someone who revises or writes long posts analytical', () => {
    expect(archetypeOf(signals({ segmentsWritten: 4, segmentsEdited: 2 }))).toBe('analytical');
    expect(archetypeOf(signals({ segmentsWritten: 4, segmentsEdited: 1 }))).toBe('creative');
    expect(archetypeOf(signals({ segmentsWritten: 3, segmentCharacters: 540 }))).toBe('analytical');
    expect(archetypeOf(signals({ segmentsWritten: 3, segmentCharacters: 539 }))).toBe('creative');
  });

  it('applies the rules in order: leader, connector, analytical, creative', () => {
    const all = signals({ draftsCreated: 3, ringPassesMade: 3, draftsContributed: 3, segmentsWritten: 4, segmentsEdited: 4 });
    expect(archetypeOf(all)).toBe('leader');
    expect(archetypeOf({ ...all, draftsCreated: 0 })).toBe('connector');
    expect(archetypeOf({ ...all, draftsCreated: 0, ringPassesMade: 0 })).toBe('analytical');
  });

  it('names and describes every archetype in the contract’s shape', () => {
    for (const id of ARCHETYPES) {
      const archetype = presentArchetype(id);
      expect(ArchetypeSchema.parse(archetype)).toEqual(archetype);
      expect(archetype.name.length).toBeGreaterThan(0);
      expect(archetype.description.length).toBeGreaterThan(0);
    }
  });

  it('always answers one of the four, whatever the signals (property)', () => {
    const n = fc.nat({ max: 1000 });
    const any = fc.record({
      segmentsWritten: n,
      segmentCharacters: fc.nat({ max: 500_000 }),
      segmentsEdited: n,
      draftsCreated: n,
      draftsContributed: n,
      ringPassesMade: n,
    });
    fc.assert(
      fc.property(any, (s) => {
        expect(ARCHETYPES).toContain(archetypeOf(s));
      }),
    );
  });
});

describe('archetype signals from events', () => {
  it("counts the user's own events up to now", () => {
    const events = [
      event('SegmentAdded', { payload: { segmentId: 'a', length: 120 } }),
      event('SegmentAdded', { payload: { segmentId: 'b', length: 80 }, draftId: DRAFT_B }),
      event('SegmentAdded', { payload: { segmentId: 'c', length: 10 } }),
      event('SegmentEdited'),
      event('DraftCreated'),
      event('RingPassed', { payload: { kind: 'pass', heldSince: NOW.toISOString() } }),
      // Not the user handing the ring on: the owner took it, or the holder left.
      event('RingPassed', { payload: { kind: 'take', heldSince: NOW.toISOString() } }),
      event('RingPassed', { payload: { kind: 'return', heldSince: NOW.toISOString() } }),
      event('SegmentAdded', { userId: OTHER, payload: { length: 999 } }),
      event('SegmentAdded', { occurredAt: new Date(NOW.getTime() + 1), payload: { length: 999 } }),
      event('DraftViewed'),
    ];
    expect(archetypeSignalsFromEvents(USER, events, NOW)).toEqual({
      segmentsWritten: 3,
      segmentCharacters: 210,
      segmentsEdited: 1,
      draftsCreated: 1,
      draftsContributed: 2,
      ringPassesMade: 1,
    });
  });

  it('counts a missing or malformed length as 0', () => {
    const events = [event('SegmentAdded'), event('SegmentAdded', { payload: { length: '12' } }), event('SegmentAdded', { payload: { length: 1.5 } })];
    expect(archetypeSignalsFromEvents(USER, events, NOW)).toMatchObject({ segmentsWritten: 3, segmentCharacters: 0 });
  });

  it('refuses an unknown schema version', () => {
    expect(() => archetypeSignalsFromEvents(USER, [event('DraftCreated', { schemaVersion: 3 })], NOW)).toThrow(UnknownSchemaVersionError);
  });
});
