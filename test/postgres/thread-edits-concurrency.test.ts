import { describe, expect, it } from 'vitest';
import { applyEvents, emptyDraft } from '../../src/contract/apply-event.js';
import type { Draft } from '../../src/contract/drafts.js';
import type { DraftEvent } from '../../src/contract/events.js';
import { call, createDraft, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();

/** A deterministic shuffle, so a failure replays the same requests. */
function shuffled<T>(items: T[], seed: number): T[] {
  const copy = [...items];
  let state = seed;
  for (let i = copy.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe('edits, deletes, reorders and appends to one draft, all at once', () => {
  it('keep positions dense and unique and the log gapless, refusing stale changes with 412 and never failing', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const base = `/v1/drafts/${draft.id}`;
    for (let i = 0; i < 30; i++) await call(t.app, 'POST', `${base}/segments`, { token: owner.accessToken, body: { content: `segment ${i}` } });
    const start = (await call(t.app, 'GET', base, { token: owner.accessToken })).json() as Draft;
    const ids = start.segments.map((s) => s.id);
    const token = owner.accessToken;

    const requests = [
      ...Array.from({ length: 30 }, (_, i) => ({ kind: 'append', run: () => call(t.app, 'POST', `${base}/segments`, { token, body: { content: `appended ${i}` } }) })),
      // Two writers per segment on the revision they read: one of each pair lands, the other is stale.
      ...Array.from({ length: 40 }, (_, i) => ({
        kind: 'edit',
        run: () => call(t.app, 'PATCH', `${base}/segments/${ids[i % 20]}`, { token, body: { content: `edit ${i}` }, headers: { 'if-match': '"1"' } }),
      })),
      ...Array.from({ length: 15 }, (_, i) => ({
        kind: 'delete',
        run: () => call(t.app, 'DELETE', `${base}/segments/${ids[15 + i]}`, { token, headers: { 'if-match': i % 2 === 0 ? '*' : '"1"' } }),
      })),
      // Reorders based on what was read at the start: stale once anything else lands.
      ...Array.from({ length: 10 }, (_, i) => ({
        kind: 'reorder',
        run: () =>
          call(t.app, 'POST', `${base}/segments/reorder`, { token, body: { order: shuffled(ids, i + 1) }, headers: { 'if-match': `"${start.lastServerSeq}"` } }),
      })),
      // Writers who, told their view is stale, read the draft again and retry until their order lands.
      ...Array.from({ length: 10 }, (_, i) => ({
        kind: 'retried reorder',
        run: async () => {
          for (;;) {
            const now = (await call(t.app, 'GET', base, { token })).json() as Draft;
            const order = shuffled(now.segments.map((s) => s.id), 100 + i);
            const res = await call(t.app, 'POST', `${base}/segments/reorder`, { token, body: { order }, headers: { 'if-match': `"${now.lastServerSeq}"` } });
            if (res.statusCode !== 412) return res;
          }
        },
      })),
    ];
    const answers = await Promise.all(shuffled(requests, 7).map(async (r) => ({ kind: r.kind, res: await r.run() })));

    const statuses = answers.map((a) => `${a.kind} ${a.res.statusCode}`);
    for (const { kind, res } of answers) {
      const allowed = { append: [201], edit: [200, 404, 412], delete: [204, 412], reorder: [200, 412], 'retried reorder': [200] }[kind]!;
      expect(allowed, `${kind} answered ${res.statusCode}: ${res.body}`).toContain(res.statusCode);
    }
    const count = (status: string) => statuses.filter((s) => s === status).length;
    expect(count('append 201')).toBe(30);
    expect(count('edit 200')).toBeGreaterThan(0);
    expect(count('edit 412')).toBeGreaterThan(0);
    expect(count('retried reorder 200')).toBe(10);

    const after = (await call(t.app, 'GET', base, { token })).json() as Draft;
    expect(after.segments.map((s) => s.position)).toEqual(after.segments.map((_, i) => i));
    expect(after.segments).toHaveLength(30 + 30 - count('delete 204'));
    const summary = (await call(t.app, 'GET', '/v1/drafts', { token })).json().items[0];
    expect(summary.segmentCount).toBe(after.segments.length);

    const events: DraftEvent[] = [];
    for (;;) {
      const page = (await call(t.app, 'GET', `${base}/events?since=${events.at(-1)?.serverSeq ?? 0}&limit=1000`, { token })).json().events as DraftEvent[];
      if (page.length === 0) break;
      events.push(...page);
    }
    expect(events.map((e) => e.serverSeq)).toEqual(Array.from({ length: after.lastServerSeq }, (_, i) => i + 1));
    const logged = (type: string) => events.filter((e) => e.type === type).length;
    expect(logged('segment.appended')).toBe(60);
    expect(logged('segment.edited')).toBe(count('edit 200'));
    expect(logged('segment.deleted')).toBe(count('delete 204'));
    expect(logged('segments.reordered')).toBeLessThanOrEqual(count('reorder 200') + count('retried reorder 200'));
    expect(applyEvents(emptyDraft(draft.id), events)).toEqual(after);
  });
});
