import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { addCollaborator, call, createDraft, expectProblem, passRing, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();

describe('concurrent changes to one draft', () => {
  it('gives 100 parallel appends positions 0..99 and server sequence numbers without gap or duplicate', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        call(t.app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: owner.accessToken, body: { content: `segment ${i}` } }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(100).fill(201));
    expect(results.map((r) => r.json().position).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const { events, lastServerSeq } = (await call(t.app, 'GET', `/v1/drafts/${draft.id}/events?limit=1000`, { token: owner.accessToken })).json();
    expect(events.map((e: { serverSeq: number }) => e.serverSeq)).toEqual(Array.from({ length: 101 }, (_, i) => i + 1));
    expect(lastServerSeq).toBe(101);
    const view = (await call(t.app, 'GET', `/v1/drafts/${draft.id}`, { token: owner.accessToken })).json();
    expect(view.segments.map((s: { position: number }) => s.position)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('stores 50 client events exactly once when each is also retried in parallel', async () => {
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    const send = (i: number) =>
      call(t.app, 'POST', `/v1/drafts/${draft.id}/events`, {
        token: owner.accessToken,
        body: { type: 'comment.added', clientId: 'tab', clientSeq: i, payload: { text: `comment ${i}` } },
      });
    const results = await Promise.all([...Array.from({ length: 50 }, (_, i) => send(i)), ...Array.from({ length: 50 }, (_, i) => send(i))]);
    expect(results.every((r) => r.statusCode === 200 || r.statusCode === 201)).toBe(true);
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(50);
    const { events } = (await call(t.app, 'GET', `/v1/drafts/${draft.id}/events?limit=1000`, { token: owner.accessToken })).json();
    const comments = events.filter((e: { type: string }) => e.type === 'comment.added');
    expect(comments).toHaveLength(50);
    expect(new Set(comments.map((e: { clientSeq: number }) => e.clientSeq)).size).toBe(50);
    expect(events.map((e: { serverSeq: number }) => e.serverSeq)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
  });
});

describe('a change that fails half-way', () => {
  afterEach(async () => {
    await t.database.db.execute(sql`drop trigger if exists fail_boom on draft_events`);
    await t.database.db.execute(sql`drop trigger if exists fail_ring on ring_passes`);
  });

  it('rolls back every earlier statement of the change', async () => {
    // Removing the ring holder deletes the membership, logs it, then records a ring pass: make that last step fail.
    await t.database.db.execute(sql`
      create or replace function fail_always() returns trigger language plpgsql as $$
      begin raise exception 'injected failure'; end $$`);
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    await addCollaborator(t.app, owner, draft.id, sam);
    await passRing(t.app, owner, draft.id, sam);
    await t.database.db.execute(sql`create trigger fail_ring before insert on ring_passes for each row execute function fail_always()`);
    const before = (await call(t.app, 'GET', `/v1/drafts/${draft.id}`, { token: owner.accessToken })).json();
    const res = await call(t.app, 'DELETE', `/v1/drafts/${draft.id}/collaborators/${sam.user.id}`, { token: owner.accessToken });
    expectProblem(res, 500, 'internal_error');
    const after = (await call(t.app, 'GET', `/v1/drafts/${draft.id}`, { token: owner.accessToken })).json();
    expect(after).toEqual(before);
    const { events } = (await call(t.app, 'GET', `/v1/drafts/${draft.id}/events`, { token: owner.accessToken })).json();
    expect(events.at(-1).type).toBe('ring.passed');
    expect(events).toHaveLength(before.lastServerSeq);
  });

  it('leaves no segment and no event behind', async () => {
    // A real database failure after the segment row is written: the event insert raises.
    await t.database.db.execute(sql`
      create or replace function fail_on_boom() returns trigger language plpgsql as $$
      begin
        if new.payload -> 'segment' ->> 'content' = 'boom' then raise exception 'injected failure'; end if;
        return new;
      end $$`);
    await t.database.db.execute(sql`create trigger fail_boom before insert on draft_events for each row execute function fail_on_boom()`);
    const owner = await registerUser(t.app);
    const draft = await createDraft(t.app, owner, { initialSegment: 'fine' });
    const res = await call(t.app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: owner.accessToken, body: { content: 'boom' } });
    expectProblem(res, 500, 'internal_error');
    const view = (await call(t.app, 'GET', `/v1/drafts/${draft.id}`, { token: owner.accessToken })).json();
    expect(view.segments.map((s: { content: string }) => s.content)).toEqual(['fine']);
    expect(view.lastServerSeq).toBe(2);
    const next = await call(t.app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: owner.accessToken, body: { content: 'after' } });
    expect(next.json().position).toBe(1);
    const { events } = (await call(t.app, 'GET', `/v1/drafts/${draft.id}/events`, { token: owner.accessToken })).json();
    expect(events.map((e: { serverSeq: number }) => e.serverSeq)).toEqual([1, 2, 3]);
  });
});
