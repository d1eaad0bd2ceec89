import { describe, expect, it } from 'vitest';
import { MemoryPresenceStore, presenceByUser } from './presence.js';

const viewing = (userId: string, displayName: string) => ({ userId, displayName, state: 'viewing' as const, position: null });

describe('presence', () => {
  it('keeps one line per user, typing first, sorted by name', () => {
    expect(
      presenceByUser([viewing('2', 'Sam'), { userId: '2', displayName: 'Sam', state: 'typing', position: 3 }, viewing('1', 'Frodo')]),
    ).toEqual([
      { userId: '1', displayName: 'Frodo', state: 'viewing', position: null },
      { userId: '2', displayName: 'Sam', state: 'typing', position: 3 },
    ]);
  });

  it('drops entries past their expiry', async () => {
    const store = new MemoryPresenceStore();
    await store.set('d', 'c1', viewing('1', 'Frodo'), 1000);
    await store.set('d', 'c2', viewing('2', 'Sam'), 2000);
    expect((await store.entries('d', 999)).live).toHaveLength(2);
    const later = await store.entries('d', 1500);
    expect(later.dropped).toBe(true);
    expect(later.live.map((e) => e.userId)).toEqual(['2']);
  });
});
