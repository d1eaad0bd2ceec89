import type { FastifyBaseLogger } from 'fastify';
import pLimit from 'p-limit';

/** How many tasks run at once, and how many may wait: a flood of requests cannot pile up unbounded work. */
export const BACKGROUND_LIMITS = { concurrency: 4, maxQueued: 1000 };

/**
 * Work done after the response: a request hands a task over and answers at once, so how long the
 * task takes — or whether there was any work at all — cannot be read from the answer's timing.
 * In-process and best effort: a task cut off by a crash, or dropped because the queue is full, is lost
 * (the user asks again); a graceful shutdown waits for the tasks still running or queued.
 */
export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();
  private readonly limit: ReturnType<typeof pLimit>;

  constructor(
    private readonly log: FastifyBaseLogger,
    private readonly limits = BACKGROUND_LIMITS,
  ) {
    this.limit = pLimit(limits.concurrency);
  }

  /** Queues `task` to start on a later turn of the event loop, after the current request has answered. */
  run(name: string, task: () => Promise<void>): void {
    if (this.limit.pendingCount >= this.limits.maxQueued) {
      this.log.warn({ task: name }, 'background queue full; task dropped');
      return;
    }
    const done: Promise<void> = this.limit(async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      await task();
    })
      .catch((error: unknown) => {
        // Only the error's kind: messages from mail servers and databases may quote addresses or values.
        const { name: errorName, code } = innermost(error);
        this.log.error({ task: name, errorName, errorCode: code }, 'background task failed');
      })
      .finally(() => this.running.delete(done));
    this.running.add(done);
  }

  /** Resolves once no task is running or queued (tasks started meanwhile included). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}

type ErrorKind = { name?: unknown; code?: unknown; cause?: unknown };

/** The root cause of a wrapped error (Drizzle wraps the driver's error, which carries the SQLSTATE). */
function innermost(error: unknown): ErrorKind {
  let current = (error ?? {}) as ErrorKind;
  for (let depth = 0; depth < 5 && current.cause !== null && typeof current.cause === 'object'; depth++) current = current.cause as ErrorKind;
  return current;
}
