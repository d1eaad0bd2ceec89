/** Where code takes the time from; never call Date.now() directly. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = {
  now: () => new Date(),
};

/** A clock that stands still until moved: for tests and for reproducible runs. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | string = '2026-01-01T00:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(to: Date | string): void {
    this.current = new Date(to).getTime();
  }
}

/** The instant a read is answered as of: its `?now=` (already validated) when given, else the clock's. */
export function asOf(clock: Clock, now: string | undefined): Date {
  return now === undefined ? clock.now() : new Date(now);
}
