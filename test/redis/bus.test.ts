import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisBus } from '../../src/server/platform/bus.js';

const connections: Redis[] = [];
const buses: RedisBus[] = [];
function instance(prefix: string): RedisBus {
  const redis = new Redis(process.env.REDIS_URL!);
  connections.push(redis);
  const bus = new RedisBus(redis, { prefix });
  buses.push(bus);
  return bus;
}

afterAll(async () => {
  await Promise.all(buses.map((b) => b.close()));
  await Promise.all(connections.map((c) => c.quit()));
});

describe('RedisBus', () => {
  it('carries a publish on one instance to subscribers on another', async () => {
    const prefix = `onering:test:${randomBytes(4).toString('hex')}:`;
    const a = instance(prefix);
    const b = instance(prefix);
    const heard: string[] = [];
    const stop = await b.subscribe('draft:x', (m) => heard.push(m));
    await b.subscribe('draft:x', (m) => heard.push(`again ${m}`));
    await a.publish('draft:x', '41');
    await expect.poll(() => heard).toEqual(['41', 'again 41']);
    await stop();
    await a.publish('draft:x', '42');
    await expect.poll(() => heard).toEqual(['41', 'again 41', 'again 42']);
  });
});

