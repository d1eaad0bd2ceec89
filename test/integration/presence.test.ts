import { afterEach, describe, expect, it } from 'vitest';
import { addCollaborator, call, createDraft, expectProblem, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';
import { lastPresence, LiveClient } from '../helpers/live.js';

const t = useTestApp();
const clients: LiveClient[] = [];
afterEach(() => clients.splice(0).forEach((c) => c.close()));

async function connect(draftId: string, token: string) {
  const client = await LiveClient.open(t.app, draftId);
  clients.push(client);
  client.hello(token);
  return client;
}

async function twoWriters() {
  const owner = await registerUser(t.app, { displayName: 'Frodo' });
  const sam = await registerUser(t.app, { displayName: 'Sam' });
  const draft = await createDraft(t.app, owner, { initialSegment: 'one' });
  await addCollaborator(t.app, owner, draft.id, sam);
  return { owner, sam, draft };
}

describe('presence', () => {
  it('broadcasts who is viewing and who is typing where', async () => {
    const { owner, sam, draft } = await twoWriters();
    const a = await connect(draft.id, owner.accessToken);
    const b = await connect(draft.id, sam.accessToken);
    await expect.poll(() => lastPresence(a)?.map((u) => `${u.userId === owner.user.id ? 'Frodo' : 'Sam'}:${u.state}`)).toEqual([
      'Frodo:viewing',
      'Sam:viewing',
    ]);
    b.send({ type: 'presence', state: 'typing', position: 1 });
    await expect.poll(() => lastPresence(a)?.find((u) => u.userId === sam.user.id)).toMatchObject({ state: 'typing', position: 1 });
    const res = await call(t.app, 'GET', `/v1/drafts/${draft.id}/presence`, { token: owner.accessToken });
    expect(res.json().users).toEqual([
      { userId: owner.user.id, displayName: 'Frodo', state: 'viewing', position: null },
      { userId: sam.user.id, displayName: 'Sam', state: 'typing', position: 1 },
    ]);
  });

  it('applies a presence frame sent right after hello, before ready, once ready', async () => {
    const { owner, sam, draft } = await twoWriters();
    const a = await connect(draft.id, owner.accessToken);
    await expect.poll(() => lastPresence(a)?.length).toBe(1);
    const b = await connect(draft.id, sam.accessToken);
    b.send({ type: 'presence', state: 'typing', position: 1 });
    await expect.poll(() => lastPresence(a)?.find((u) => u.userId === sam.user.id)).toMatchObject({ state: 'typing', position: 1 });
    expect(b.frames[0]).toMatchObject({ type: 'ready' });
  });

  it('drops a user when their connection closes', async () => {
    const { owner, sam, draft } = await twoWriters();
    const a = await connect(draft.id, owner.accessToken);
    const b = await connect(draft.id, sam.accessToken);
    await expect.poll(() => lastPresence(a)?.length).toBe(2);
    b.close();
    await expect.poll(() => lastPresence(a)?.map((u) => u.userId)).toEqual([owner.user.id]);
  });

  it('expires 30 s after the last heartbeat, by the injected clock', async () => {
    const { owner, sam, draft } = await twoWriters();
    const a = await connect(draft.id, owner.accessToken);
    await connect(draft.id, sam.accessToken);
    await expect.poll(() => lastPresence(a)?.length).toBe(2);
    t.clock.advance(20_000);
    a.send({ type: 'presence', state: 'viewing' });
    await expect.poll(async () => (await call(t.app, 'GET', `/v1/drafts/${draft.id}/presence`, { token: owner.accessToken })).json().users.length).toBe(2);
    t.clock.advance(10_001);
    // The periodic sweep notices Sam's silence and tells the others.
    await t.app.sweepPresence();
    await expect.poll(() => lastPresence(a)?.map((u) => u.userId)).toEqual([owner.user.id]);
    const users = (await call(t.app, 'GET', `/v1/drafts/${draft.id}/presence`, { token: owner.accessToken })).json().users;
    expect(users.map((u: { userId: string }) => u.userId)).toEqual([owner.user.id]);
  });

  it('turns typing back into viewing 5 s after the last typing frame, by the injected clock', async () => {
    const { owner, sam, draft } = await twoWriters();
    const a = await connect(draft.id, owner.accessToken);
    const b = await connect(draft.id, sam.accessToken);
    await expect.poll(() => lastPresence(a)?.length).toBe(2);
    const samOn = () => lastPresence(a)?.find((u) => u.userId === sam.user.id);
    b.send({ type: 'presence', state: 'typing', position: 1 });
    await expect.poll(samOn).toMatchObject({ state: 'typing', position: 1 });
    t.clock.advance(3_000);
    // Still typing: the repeated frame changes nothing the others see, but restarts the 5 s.
    b.send({ type: 'presence', state: 'typing', position: 1 });
    await b.flush();
    t.clock.advance(4_999);
    await t.app.sweepPresence();
    const states = async () => (await call(t.app, 'GET', `/v1/drafts/${draft.id}/presence`, { token: owner.accessToken })).json().users.map((u: { state: string }) => u.state);
    expect(await states()).toEqual(['viewing', 'typing']);
    t.clock.advance(1);
    await t.app.sweepPresence();
    await expect.poll(samOn).toEqual({ userId: sam.user.id, displayName: 'Sam', state: 'viewing', position: null });
    expect(await states()).toEqual(['viewing', 'viewing']);
  });

  it('is visible to members only', async () => {
    const { draft } = await twoWriters();
    const stranger = await registerUser(t.app);
    expectProblem(await call(t.app, 'GET', `/v1/drafts/${draft.id}/presence`, { token: stranger.accessToken }), 404, 'draft_not_found');
    expectProblem(await call(t.app, 'GET', `/v1/drafts/${draft.id}/presence`), 401, 'unauthorized');
  });
});
