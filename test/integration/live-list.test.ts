import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE } from '../../src/server/features/live/close-codes.js';
import { addCollaborator, call, createDraft, registerUser, type Account } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';
import { LiveClient, type Frame } from '../helpers/live.js';

const t = useTestApp();
const clients: LiveClient[] = [];
afterEach(() => clients.splice(0).forEach((c) => c.close()));

/** The drafts-list channel of `who`, once it answered ready. */
async function listChannel(who: Account): Promise<LiveClient> {
  const client = await LiveClient.openList(t.app);
  clients.push(client);
  client.hello(who.accessToken);
  await expect.poll(() => client.frames[0]).toEqual({ type: 'ready' });
  return client;
}

const notices = (client: LiveClient): Frame[] => client.frames.filter((f) => f.type !== 'ready');

const append = (who: Account, draftId: string, content: string) =>
  call(t.app, 'POST', `/v1/drafts/${draftId}/segments`, { token: who.accessToken, body: { content } });

describe('the drafts list channel', () => {
  it('says which of my drafts changed and where its log now ends', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app);
    const draft = await createDraft(t.app, owner);
    await addCollaborator(t.app, owner, draft.id, sam);
    const samList = await listChannel(sam);
    await call(t.app, 'PATCH', `/v1/drafts/${draft.id}`, { token: owner.accessToken, body: { title: 'Renamed' } });
    await expect.poll(() => notices(samList)).toEqual([{ type: 'changed', draftId: draft.id, lastServerSeq: 4 }]);
    expect(samList.closed).toBeNull();
  });

  it('follows drafts I create, am added to or join by invite while connected, and drops those I leave', async () => {
    const owner = await registerUser(t.app);
    const sam = await registerUser(t.app);
    const samList = await listChannel(sam);
    const mine = await createDraft(t.app, sam);
    await expect.poll(() => notices(samList)).toEqual([{ type: 'changed', draftId: mine.id, lastServerSeq: 1 }]);

    const theirs = await createDraft(t.app, owner);
    await addCollaborator(t.app, owner, theirs.id, sam);
    await expect.poll(() => notices(samList).at(-1)).toEqual({ type: 'changed', draftId: theirs.id, lastServerSeq: 3 });
    await append(owner, theirs.id, 'hello sam');
    await expect.poll(() => notices(samList).at(-1)).toEqual({ type: 'changed', draftId: theirs.id, lastServerSeq: 4 });
    // Now that they share a draft, the owner may add Sam to another one directly.
    const another = await createDraft(t.app, owner, { title: 'Added directly' });
    await call(t.app, 'POST', `/v1/drafts/${another.id}/collaborators`, { token: owner.accessToken, body: { userId: sam.user.id } });
    await expect.poll(() => notices(samList).at(-1)).toEqual({ type: 'changed', draftId: another.id, lastServerSeq: 2 });

    await call(t.app, 'DELETE', `/v1/drafts/${theirs.id}/collaborators/${sam.user.id}`, { token: owner.accessToken });
    await expect.poll(() => notices(samList).at(-1)).toEqual({ type: 'removed', draftId: theirs.id });
    const before = notices(samList).length;
    await append(owner, theirs.id, 'sam is gone');
    await append(sam, mine.id, 'still mine');
    await expect.poll(() => notices(samList).at(-1)).toEqual({ type: 'changed', draftId: mine.id, lastServerSeq: 2 });
    expect(notices(samList).slice(before).map((f) => f.draftId)).not.toContain(theirs.id);

    const invited = await createDraft(t.app, owner, { title: 'By invite' });
    // Creating the invite is the second event, joining the third.
    const invite = (await call(t.app, 'POST', `/v1/drafts/${invited.id}/invites`, { token: owner.accessToken, body: {} })).json();
    await call(t.app, 'POST', '/v1/invites/accept', { token: sam.accessToken, body: { token: invite.token } });
    await expect.poll(() => notices(samList).at(-1)).toEqual({ type: 'changed', draftId: invited.id, lastServerSeq: 3 });
  });

  it("never tells me about other people's drafts", async () => {
    const owner = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const strangerList = await listChannel(stranger);
    const draft = await createDraft(t.app, owner);
    await append(owner, draft.id, 'private');
    const own = await createDraft(t.app, stranger);
    await expect.poll(() => notices(strangerList)).toEqual([{ type: 'changed', draftId: own.id, lastServerSeq: 1 }]);
  });

  it('closes with 4401 for a bad token, 4400 for a bad first frame and 4408 without hello', async () => {
    const bad = await LiveClient.openList(t.app);
    clients.push(bad);
    bad.hello('not-a-token');
    await expect.poll(() => bad.closed?.code).toBe(CLOSE.UNAUTHORIZED);
    const garbled = await LiveClient.openList(t.app);
    clients.push(garbled);
    garbled.send({ type: 'presence', state: 'viewing' });
    await expect.poll(() => garbled.closed?.code).toBe(CLOSE.BAD_FRAME);
    const { app } = await t.build({ live: { helloTimeoutMs: 100 } });
    const silent = await LiveClient.openList(app);
    clients.push(silent);
    await expect.poll(() => silent.closed?.code).toBe(CLOSE.HELLO_TIMEOUT);
  });
});
