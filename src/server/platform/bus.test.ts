import { describe, expect, it } from 'vitest';
import { MemoryBus } from './bus.js';

describe('MemoryBus', () => {
  it('delivers to every subscriber of a topic until it unsubscribes', async () => {
    const bus = new MemoryBus();
    const heard: string[] = [];
    const stop = await bus.subscribe('draft:1', (m) => heard.push(`a:${m}`));
    await bus.subscribe('draft:1', (m) => heard.push(`b:${m}`));
    await bus.subscribe('draft:2', (m) => heard.push(`c:${m}`));
    await bus.publish('draft:1', '5');
    await stop();
    await bus.publish('draft:1', '6');
    expect(heard).toEqual(['a:5', 'b:5', 'b:6']);
  });
});
