import type { Db } from '../db/client.js';

/** A change in progress: where its statements run, and what to do once it has committed. */
export type Unit = {
  tx: Db;
  /** Runs `effect` once the change has committed (bus announcements); never when it rolls back. */
  afterCommit(effect: () => Promise<void>): void;
};

/**
 * How a mutating service commits: runs `work` as one unit, then the effects it registered. Services take
 * one as their last, optional argument and return what their unit returned, unchanged: under an
 * Idempotency-Key the route passes a runner that stores that value as the response in the same
 * transaction (see idempotency.ts).
 */
export type Transact = <T>(work: (unit: Unit) => Promise<T>) => Promise<T>;

async function runEffects(effects: Array<() => Promise<void>>): Promise<void> {
  for (const effect of effects) await effect();
}

/** The ordinary runner: a transaction of its own. */
export function transaction(db: Db): Transact {
  return async (work) => {
    const effects: Array<() => Promise<void>> = [];
    const result = await db.transaction((tx) => work({ tx, afterCommit: (effect) => effects.push(effect) }));
    await runEffects(effects);
    return result;
  };
}

/**
 * No transaction of its own: each statement commits by itself. Only for work that is one statement (the
 * append), sparing the BEGIN/COMMIT round trips; a write followed by its notice needs `transaction`.
 */
export function autocommit(db: Db): Transact {
  return async (work) => {
    const effects: Array<() => Promise<void>> = [];
    const result = await work({ tx: db, afterCommit: (effect) => effects.push(effect) });
    await runEffects(effects);
    return result;
  };
}
