import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { BackgroundTasks } from './background-tasks.js';

/** A task that waits until the test lets it finish, and says when it started. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('BackgroundTasks', () => {
  it('runs at most `concurrency` tasks at once, drops what overflows the queue, and idles when all are done', async () => {
    const tasks = new BackgroundTasks(pino({ level: 'silent' }), { concurrency: 2, maxQueued: 3 });
    const release = gate();
    let active = 0;
    let peak = 0;
    let finished = 0;
    for (let i = 0; i < 10; i++) {
      tasks.run('test', async () => {
        active++;
        peak = Math.max(peak, active);
        await release.opened;
        active--;
        finished++;
      });
    }
    await expect.poll(() => active).toBe(2);
    release.open();
    await tasks.idle();
    expect(peak).toBe(2);
    // Two running and three waiting were kept; the other five were dropped.
    expect(finished).toBe(5);
  });
});
