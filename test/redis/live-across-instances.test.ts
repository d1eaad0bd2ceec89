import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisPresenceStore } from '../../src/server/features/live/presence.js';
import { RedisBus } from '../../src/server/platform/bus.js';
import { addCollaborator, call, createDraft, registerUser } from '../helpers/api.js';
import { ManualClock } from '../../src/server/platform/clock.js';
import { TEST_START, useTestApp } from '../helpers/app.js';
import { lastPresence, LiveClient } from '../helpers/live.js';

const t = useTestApp();
const redis = new Redis(process.env.REDIS_URL!);
const buses: RedisBus[] = [];
const clients: LiveClient[] = [];

afterAll(async () => {
  clients.forEach((c) => c.close());
  await Promise.all(buses.map((b) => b.close()));
  await redis.quit();
});

/** Two app instances sharing the database and, under a fresh prefix, the Redis bus (and presence when asked). */
async function twoInstances(sharePresence = false) {
  const prefix = `onering:test:${randomBytes(4).toString('hex')}:`;
  const [busA, busB] = [new RedisBus(redis, { prefix }), new RedisBus(redis, { prefix })];
  buses.push(busA, busB);
  const presence = sharePresence ? { presence: new RedisPresenceStore(redis, `${prefix}presence:`) } : {};
  const clock = new ManualClock(TEST_START);
  const a = (await t.build({ bus: busA, ...presence }, clock)).app;
  const b = (await t.build({ bus: busB, ...presence }, clock)).app;
  return [a, b, clock] as const;
}

describe('live updates across instances', () => {
  it('a socket on instance B receives an append made through instance A', async () => {
    const [a, b] = await twoInstances();
    const owner = await registerUser(a);
    const draft = await createDraft(a, owner);
    const live = await LiveClient.open(b, draft.id);
    clients.push(live);
    live.hello(owner.accessToken, 0);
    await expect.poll(() => live.seqs).toEqual([1]);
    await call(a, 'POST', `/v1/drafts/${draft.id}/segments`, { token: owner.accessToken, body: { content: 'through A' } });
    await expect.poll(() => live.seqs).toEqual([1, 2]);
  });

  it('a drafts-list channel on instance B hears of a draft joined and changed through instance A', async () => {
    const [a, b] = await twoInstances();
    const owner = await registerUser(a);
    const sam = await registerUser(a);
    const draft = await createDraft(a, owner);
    const list = await LiveClient.openList(b);
    clients.push(list);
    list.hello(sam.accessToken);
    await expect.poll(() => list.frames).toEqual([{ type: 'ready' }]);
    await addCollaborator(a, owner, draft.id, sam);
    await call(a, 'POST', `/v1/drafts/${draft.id}/segments`, { token: owner.accessToken, body: { content: 'through A' } });
    await expect.poll(() => list.frames.at(-1)).toEqual({ type: 'changed', draftId: draft.id, lastServerSeq: 4 });
  });

  it('shares presence: a viewer on instance A sees a typist on instance B, and the typing lapse', async () => {
    const [a, b, clock] = await twoInstances(true);
    const owner = await registerUser(a);
    const sam = await registerUser(a);
    const draft = await createDraft(a, owner);
    await addCollaborator(a, owner, draft.id, sam);
    const onA = await LiveClient.open(a, draft.id);
    const onB = await LiveClient.open(b, draft.id);
    clients.push(onA, onB);
    onA.hello(owner.accessToken);
    onB.hello(sam.accessToken);
    await expect.poll(() => lastPresence(onA)?.length).toBe(2);
    onB.send({ type: 'presence', state: 'typing', position: 0 });
    await expect.poll(() => lastPresence(onA)?.find((u) => u.userId === sam.user.id)?.state).toBe('typing');
    const res = await call(b, 'GET', `/v1/drafts/${draft.id}/presence`, { token: owner.accessToken });
    expect(res.json().users).toHaveLength(2);
    clock.advance(5_000);
    // The typist's own instance lets it lapse; the other instance's viewer hears of it.
    await b.sweepPresence();
    await expect.poll(() => lastPresence(onA)?.find((u) => u.userId === sam.user.id)?.state).toBe('viewing');
    const after = await call(a, 'GET', `/v1/drafts/${draft.id}/presence`, { token: owner.accessToken });
    expect(after.json().users.map((u: { state: string }) => u.state)).toEqual(['viewing', 'viewing']);
  });
});
