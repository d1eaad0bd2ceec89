import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collaboratorsOn, draftsInUse, mostCollaborators, reduceUsage, type UsageEvent } from './usage.js';

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
