import { describe, expect, it } from 'vitest';
import { CoalescingRunner } from './coalescing-runner.js';

/** A run that waits until the test lets it finish. */
function gatedWork() {
  const gates: Array<() => void> = [];
  let runs = 0;
  const work = () => {
    runs++;
    return new Promise<void>((resolve) => gates.push(resolve));
  };
  return { work, runs: () => runs, finish: () => gates.shift()?.() };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('CoalescingRunner', () => {
  it('runs once more after a run during which it was triggered, however many times', async () => {
    const gated = gatedWork();
    const runner = new CoalescingRunner(gated.work, () => undefined);
    runner.trigger();
    runner.trigger();
    runner.trigger();
    expect(gated.runs()).toBe(1);
    gated.finish();
    await settle();
    expect(gated.runs()).toBe(2);
    gated.finish();
    await settle();
    expect(gated.runs()).toBe(2);
  });

  it('hands a failed run to onError and still runs again when asked', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const runner = new CoalescingRunner(async () => {
      runs++;
      throw new Error(`run ${runs}`);
    }, (error) => errors.push(error));
    runner.trigger();
    await settle();
    runner.trigger();
    await settle();
    expect(errors.map((e) => (e as Error).message)).toEqual(['run 1', 'run 2']);
  });
});
