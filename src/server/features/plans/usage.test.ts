import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  activeGoals,
  collaboratorsOn,
  draftsInUse,
  isoWeekOf,
  mirrorSessionsThisWeek,
  PENDING_TURN_LEASE_MS,
  mostCollaborators,
  reduceUsage,
  turnsToday,
  utcDayOf,
  type UsageEvent,
} from './usage.js';

const ANN = '01900000-0000-7000-8000-0000000000a1';
const BEN = '01900000-0000-7000-8000-0000000000b1';
const CAT = '01900000-0000-7000-8000-0000000000c1';
const D1 = '01900000-0000-7000-8000-0000000000d1';
const D2 = '01900000-0000-7000-8000-0000000000d2';

const created = (draftId: string, ownerId: string): UsageEvent => ({ draftId, type: 'draft.created', payload: { title: 't', platform: 'x' }, actorId: ownerId });
const joined = (draftId: string, userId: string): UsageEvent => ({ draftId, type: 'collaborator.joined', payload: { userId }, actorId: userId });
const left = (draftId: string, userId: string): UsageEvent => ({ draftId, type: 'collaborator.left', payload: { userId, reason: 'removed' }, actorId: ANN });
const archived = (draftId: string): UsageEvent => ({ draftId, type: 'draft.archived', payload: { status: 'archived' }, actorId: ANN });
const published = (draftId: string): UsageEvent => ({ draftId, type: 'draft.published', payload: { status: 'published' }, actorId: ANN });

describe('usage reducers over the draft log', () => {
  it('count the drafts an owner has that are not archived (published ones count)', () => {
    const drafts = reduceUsage([created(D1, ANN), created(D2, ANN), published(D1), archived(D2)]);
    expect(draftsInUse(drafts, ANN)).toBe(1);
    expect(draftsInUse(drafts, BEN)).toBe(0);
  });

  it('count collaborators per draft against its owner: joins, leaves, rejoins, never the owner', () => {
    const drafts = reduceUsage([created(D1, ANN), joined(D1, BEN), joined(D1, CAT), left(D1, BEN), joined(D1, BEN), joined(D1, BEN), created(D2, ANN), joined(D2, CAT)]);
    expect(collaboratorsOn(drafts, D1)).toBe(2);
    expect(collaboratorsOn(drafts, D2)).toBe(1);
    expect(mostCollaborators(drafts, ANN)).toBe(2);
    expect(mostCollaborators(drafts, BEN)).toBe(0);
  });

  it('leave archived drafts out of the most collaborators', () => {
    const drafts = reduceUsage([created(D1, ANN), joined(D1, BEN), joined(D1, CAT), archived(D1), created(D2, ANN), joined(D2, CAT)]);
    expect(mostCollaborators(drafts, ANN)).toBe(1);
  });

  it('ignore events of drafts whose creation they did not see, and other event types', () => {
    const drafts = reduceUsage([joined(D1, BEN), { draftId: D1, type: 'segment.appended', payload: {}, actorId: ANN }]);
    expect(drafts.size).toBe(0);
  });

  it('agree with a set model for any interleaving of two drafts', () => {
    const people = [BEN, CAT, ANN];
    const step = fc.record({ draft: fc.constantFrom(D1, D2), kind: fc.constantFrom('join', 'leave', 'archive'), who: fc.constantFrom(...people) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const events: UsageEvent[] = [created(D1, ANN), created(D2, ANN)];
        const model = new Map([
          [D1, { members: new Set<string>(), archived: false }],
          [D2, { members: new Set<string>(), archived: false }],
        ]);
        for (const s of steps) {
          const m = model.get(s.draft)!;
          if (s.kind === 'archive') {
            events.push(archived(s.draft));
            m.archived = true;
          } else if (s.kind === 'join') {
            events.push(joined(s.draft, s.who));
            if (s.who !== ANN) m.members.add(s.who);
          } else {
            events.push(left(s.draft, s.who));
            m.members.delete(s.who);
          }
        }
        const drafts = reduceUsage(events);
        expect(draftsInUse(drafts, ANN)).toBe([...model.values()].filter((m) => !m.archived).length);
        expect(collaboratorsOn(drafts, D1)).toBe(model.get(D1)!.members.size);
        expect(mostCollaborators(drafts, ANN)).toBe(Math.max(0, ...[...model.values()].filter((m) => !m.archived).map((m) => m.members.size)));
      }),
    );
  });
});

describe('coach usage reducers', () => {
  const at = (iso: string) => new Date(iso);

  it('bound a UTC day and an ISO week (Monday 00:00 UTC to the next Monday), whatever the weekday', () => {
    expect(utcDayOf(at('2026-03-01T23:59:59.999Z'))).toEqual({ start: at('2026-03-01T00:00:00.000Z'), end: at('2026-03-02T00:00:00.000Z') });
    // 2026-03-01 is a Sunday: its week began on Monday 2026-02-23.
    expect(isoWeekOf(at('2026-03-01T09:00:00.000Z'))).toEqual({ start: at('2026-02-23T00:00:00.000Z'), end: at('2026-03-02T00:00:00.000Z') });
    expect(isoWeekOf(at('2026-03-02T00:00:00.000Z'))).toEqual({ start: at('2026-03-02T00:00:00.000Z'), end: at('2026-03-09T00:00:00.000Z') });
    expect(isoWeekOf(at('0001-04-01T00:00:00.000Z')).start.toISOString()).toBe('0001-03-26T00:00:00.000Z');
    fc.assert(
      fc.property(fc.date({ min: at('0001-04-01T00:00:00.000Z'), max: at('9999-12-31T23:59:59.999Z'), noInvalidDate: true }), (now) => {
        const week = isoWeekOf(now);
        return week.start.getUTCDay() === 1 && week.start <= now && now < week.end && week.end.getTime() - week.start.getTime() === 7 * 86_400_000;
      }),
    );
  });

  it("count a user's turns answered, or claimed within the lease, today (UTC), never failed or safety turns, nor another day's", () => {
    const now = at('2026-03-01T12:00:00.000Z');
    const turns = [
      { userId: ANN, status: 'pending', createdAt: new Date(now.getTime() - PENDING_TURN_LEASE_MS + 1) },
      { userId: ANN, status: 'pending', createdAt: new Date(now.getTime() - PENDING_TURN_LEASE_MS) },
      { userId: ANN, status: 'pending', createdAt: at('2026-03-01T00:00:00.000Z') },
      { userId: ANN, status: 'done', createdAt: at('2026-03-01T23:59:59.999Z') },
      { userId: ANN, status: 'failed', createdAt: at('2026-03-01T10:00:00.000Z') },
      { userId: ANN, status: 'safety', createdAt: at('2026-03-01T10:00:00.000Z') },
      { userId: ANN, status: 'done', createdAt: at('2026-02-28T23:59:59.999Z') },
      { userId: ANN, status: 'done', createdAt: at('2026-03-02T00:00:00.000Z') },
      { userId: BEN, status: 'done', createdAt: at('2026-03-01T10:00:00.000Z') },
    ];
    expect(turnsToday(turns, ANN, now)).toBe(2);
    expect(turnsToday(turns, BEN, now)).toBe(1);
  });

  it('count the Mirror sessions started this ISO week, and the active goals', () => {
    const sessions = [
      { userId: ANN, createdAt: at('2026-02-23T00:00:00.000Z') },
      { userId: ANN, createdAt: at('2026-02-22T23:59:59.999Z') },
      { userId: ANN, createdAt: at('2026-03-01T23:59:59.999Z') },
      { userId: BEN, createdAt: at('2026-02-25T00:00:00.000Z') },
    ];
    expect(mirrorSessionsThisWeek(sessions, ANN, at('2026-03-01T09:00:00.000Z'))).toBe(2);
    expect(mirrorSessionsThisWeek(sessions, ANN, at('2026-03-02T00:00:00.000Z'))).toBe(0);
    const goals = [
      { userId: ANN, status: 'active' },
      { userId: ANN, status: 'completed' },
      { userId: ANN, status: 'archived' },
      { userId: ANN, status: 'active' },
      { userId: CAT, status: 'active' },
    ];
    expect(activeGoals(goals, ANN)).toBe(2);
    expect(activeGoals(goals, BEN)).toBe(0);
  });
});
