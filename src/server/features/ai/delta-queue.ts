/**
 * The deltas of a stream, buffered between the reader of the provider (which never waits for the
 * consumer, so the answer settles even if nobody reads) and the consumer. One consumer; leaving the loop
 * early calls `onLeave` (the stream is cancelled).
 */
export class DeltaQueue implements AsyncIterable<string> {
  private readonly items: string[] = [];
  private closed = false;
  private wake: (() => void) | null = null;

  constructor(private readonly onLeave: () => void) {}

  push(text: string): void {
    this.items.push(text);
    this.notify();
  }

  close(): void {
    this.closed = true;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<string> {
    let finished = false;
    try {
      for (;;) {
        const next = this.items.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (this.closed) {
          finished = true;
          return;
        }
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      if (!finished) this.onLeave();
    }
  }
}
