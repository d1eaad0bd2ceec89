import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { draftTopic } from '../../src/server/features/drafts/service.js';
import { RedisBus } from '../../src/server/platform/bus.js';
import { call, createDraft, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();
const redis = new Redis(process.env.REDIS_URL!);
const buses: RedisBus[] = [];

afterAll(async () => {
  await Promise.all(buses.map((b) => b.close()));
  await redis.quit();
});

describe('two app instances on one PostgreSQL + Redis', () => {
  it('a change committed through instance A rings subscribers of instance B', async () => {
    const prefix = `onering:test:${randomBytes(4).toString('hex')}:`;
    const busA = new RedisBus(redis, { prefix });
    const busB = new RedisBus(redis, { prefix });
    buses.push(busA, busB);
    const a = (await t.build({ bus: busA })).app;
    const owner = await registerUser(a);
    const draft = await createDraft(a, owner);
    const heard: string[] = [];
    await busB.subscribe(draftTopic(draft.id), (m) => heard.push(m));
    await call(a, 'POST', `/v1/drafts/${draft.id}/segments`, { token: owner.accessToken, body: { content: 'from A' } });
    await expect.poll(() => heard).toEqual(['2']);
  });
});
