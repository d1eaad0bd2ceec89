import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEvents, emptyDraft } from '../../src/contract/apply-event.js';
import type { Draft } from '../../src/contract/drafts.js';
import type { DraftEvent } from '../../src/contract/events.js';
import { addCollaborator, call, createDraft, registerUser, type Account } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';
import { putOnPlan } from '../helpers/plans.js';

const t = useTestApp();

// What people do to a draft, as indexes and choices that are resolved against the draft as it is when the
// action runs: the ring holder mostly acts, and some actions are refused (stale, no ring, not a member),
// which must leave no event behind.
type Action =
  | { kind: 'append'; text: string; by: number | null }
  | { kind: 'edit'; pick: number; text: string; stale: boolean; by: number | null }
  | { kind: 'delete'; pick: number; stale: boolean }
  | { kind: 'reorder'; keys: number[]; stale: boolean }
  | { kind: 'pass'; to: number }
  | { kind: 'take' }
  | { kind: 'join'; who: number; via: 'invite' | 'add' }
  | { kind: 'leave'; who: number; removed: boolean }
  | { kind: 'rename'; title: string }
  | { kind: 'comment'; text: string; pick: number | null };

const text = fc
  .string({ unit: fc.constantFrom('a', 'b', 'z', ' ', 'é', '🙂', '\n', '語'), minLength: 1, maxLength: 24 })
  .filter((s) => s.trim().length > 0);
const person = fc.integer({ min: 0, max: 3 });
/** Who changes the thread: the ring holder (null) four times in five, else anyone. */
const by = fc.oneof({ arbitrary: fc.constant(null), weight: 4 }, { arbitrary: person, weight: 1 });
const pick = fc.nat(50);

const action: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('append' as const), text, by }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('edit' as const), pick, text, stale: fc.boolean(), by }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), pick, stale: fc.boolean() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('reorder' as const), keys: fc.array(fc.nat(100), { minLength: 20, maxLength: 20 }), stale: fc.boolean() }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('pass' as const), to: person }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('take' as const) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('join' as const), who: fc.integer({ min: 1, max: 3 }), via: fc.constantFrom('invite' as const, 'add' as const) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('leave' as const), who: fc.integer({ min: 1, max: 3 }), removed: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('rename' as const), title: text }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('comment' as const), text, pick: fc.option(pick) }), weight: 1 },
);
const history = fc.record({ opening: fc.option(text), actions: fc.array(action, { minLength: 1, maxLength: 30, size: 'max' }), end: fc.constantFrom(null, null, 'publish', 'archive') });

async function read(who: Account, draftId: string): Promise<Draft> {
  const res = await call(t.app, 'GET', `/v1/drafts/${draftId}`, { token: who.accessToken });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Draft;
}

/** The whole log, read a few events at a time so that paging is part of what is checked. */
async function wholeLog(who: Account, draftId: string): Promise<DraftEvent[]> {
  const events: DraftEvent[] = [];
  for (;;) {
    const res = await call(t.app, 'GET', `/v1/drafts/${draftId}/events?since=${events.at(-1)?.serverSeq ?? 0}&limit=7`, { token: who.accessToken });
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json().events as DraftEvent[];
    if (page.length === 0) return events;
    events.push(...page);
  }
}

/** Runs one action against the draft as it is now; refusals are part of the history. */
async function perform(people: Account[], draftId: string, a: Action, clientSeq: number): Promise<void> {
  const [owner] = people as [Account];
  const now = await read(owner, draftId);
  const holder = people.find((p) => p.user.id === now.ringHolderId)!;
  const actor = (by: number | null) => (by === null ? holder : people[by]!);
  const segment = now.segments.length > 0 ? now.segments[a.kind === 'edit' || a.kind === 'delete' ? a.pick % now.segments.length : 0] : undefined;
  const base = `/v1/drafts/${draftId}`;
  switch (a.kind) {
    case 'append':
      await call(t.app, 'POST', `${base}/segments`, { token: actor(a.by).accessToken, body: { content: a.text } });
      return;
    case 'edit':
      if (!segment) return;
      await call(t.app, 'PATCH', `${base}/segments/${segment.id}`, {
        token: actor(a.by).accessToken,
        body: { content: a.text },
        headers: { 'if-match': `"${a.stale ? segment.revision - 1 : segment.revision}"` },
      });
      return;
    case 'delete':
      if (!segment) return;
      await call(t.app, 'DELETE', `${base}/segments/${segment.id}`, {
        token: holder.accessToken,
        headers: { 'if-match': `"${a.stale ? segment.revision + 1 : segment.revision}"` },
      });
      return;
    case 'reorder': {
      const order = now.segments.map((s, i) => ({ id: s.id, key: a.keys[i % a.keys.length]! + i / 1000 })).sort((x, y) => x.key - y.key);
      await call(t.app, 'POST', `${base}/segments/reorder`, {
        token: holder.accessToken,
        body: { order: order.map((o) => o.id) },
        headers: { 'if-match': `"${a.stale ? now.lastServerSeq - 1 : now.lastServerSeq}"` },
      });
      return;
    }
    case 'pass':
      await call(t.app, 'POST', `${base}/ring/pass`, { token: holder.accessToken, body: { toUserId: people[a.to]!.user.id } });
      return;
    case 'take':
      await call(t.app, 'POST', `${base}/ring/take`, { token: owner.accessToken });
      return;
    case 'join': {
      const who = people[a.who]!;
      if (a.via === 'add') {
        await call(t.app, 'POST', `${base}/collaborators`, { token: owner.accessToken, body: { userId: who.user.id } });
        return;
      }
      const invite = await call(t.app, 'POST', `${base}/invites`, { token: owner.accessToken, body: {} });
      if (invite.statusCode === 201) await call(t.app, 'POST', '/v1/invites/accept', { token: who.accessToken, body: { token: invite.json().token } });
      return;
    }
    case 'leave': {
      const who = people[a.who]!;
      await call(t.app, 'DELETE', `${base}/collaborators/${who.user.id}`, { token: (a.removed ? owner : who).accessToken });
      return;
    }
    case 'rename':
      await call(t.app, 'PATCH', base, { token: owner.accessToken, body: { title: a.title } });
      return;
    case 'comment': {
      const position = a.pick === null || now.segments.length === 0 ? {} : { position: a.pick % now.segments.length };
      await call(t.app, 'POST', `${base}/events`, {
        token: holder.accessToken,
        body: { type: 'comment.added', clientId: 'fold', clientSeq, payload: { text: a.text, ...position } },
      });
      return;
    }
  }
}

describe('applyEvent', () => {
  it('folds the log of any history into exactly the draft GET /v1/drafts/:id answers', async () => {
    const people = [
      await registerUser(t.app, { displayName: 'Frodo' }),
      await registerUser(t.app, { displayName: 'Sam' }),
      await registerUser(t.app),
      await registerUser(t.app, { displayName: 'Pip' }),
    ];
    const [owner] = people as [Account];
    // One draft per run, 25 runs: more drafts than the free plan allows (the limits are not this test's subject).
    await putOnPlan(t.database.db, owner.user.id, 'team');
    // Everyone shares an earlier draft with the owner, so the owner may also add them directly.
    const earlier = await createDraft(t.app, owner, { title: 'Where we met' });
    for (const p of people.slice(1)) await addCollaborator(t.app, owner, earlier.id, p);

    await fc.assert(
      fc.asyncProperty(history, async ({ opening, actions, end }) => {
        const draft = await createDraft(t.app, owner, { title: 'Folded', ...(opening === null ? {} : { initialSegment: opening }) });
        for (const [i, a] of actions.entries()) {
          // Small steps, some none (ties in joining times): the access tokens last 15 minutes of this clock.
          t.clock.advance(i % 3);
          await perform(people, draft.id, a, i);
        }
        if (end) await call(t.app, 'POST', `/v1/drafts/${draft.id}/${end}`, { token: owner.accessToken });
        const events = await wholeLog(owner, draft.id);
        const served = await read(owner, draft.id);
        expect(events.map((e) => e.serverSeq)).toEqual(Array.from({ length: served.lastServerSeq }, (_, i) => i + 1));
        expect(applyEvents(emptyDraft(draft.id), events)).toEqual(served);
        // Replaying events the draft already reflects (a reconnect) changes nothing.
        expect(applyEvents(served, events)).toEqual(served);
      }),
      { numRuns: 25 },
    );
  }, 600_000);
});
