import { useSyncExternalStore } from 'react';

const MINUTE = 60_000;

/**
 * One clock for every relative time on the page, ticking once a minute while any is shown (not a timer
 * per time in a long list).
 */
const minuteClock = (() => {
  let now = new Date().getTime();
  let timer: ReturnType<typeof setInterval> | undefined;
  const listeners = new Set<() => void>();
  return {
    subscribe(listener: () => void) {
      listeners.add(listener);
      if (!timer) {
        now = new Date().getTime();
        timer = setInterval(() => {
          now = new Date().getTime();
          for (const l of listeners) l();
        }, MINUTE);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) timer = void clearInterval(timer);
      };
    },
    now: () => now,
  };
})();

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 60 * MINUTE],
  ['month', 30 * 24 * 60 * MINUTE],
  ['week', 7 * 24 * 60 * MINUTE],
  ['day', 24 * 60 * MINUTE],
  ['hour', 60 * MINUTE],
  ['minute', MINUTE],
];

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

/** "3 min. ago", "yesterday", "in 2 hr."… in the reader's language; under a minute is "now". */
export function relativeTime(date: Date, now: number): string {
  const elapsed = date.getTime() - now;
  for (const [unit, size] of UNITS) {
    // Rounded away from now by halves alike in both directions (Math.round takes -1.5 to -1, 1.5 to 2).
    if (Math.abs(elapsed) >= size) return relative.format(Math.sign(elapsed) * Math.round(Math.abs(elapsed) / size), unit);
  }
  return relative.format(0, 'second');
}

/** A time said relatively ("5 min. ago"), the full date on hover and to machines, kept current each minute. */
export function RelativeTime({ iso }: { iso: string }) {
  const now = useSyncExternalStore(minuteClock.subscribe, minuteClock.now);
  const date = new Date(iso);
  return (
    <time dateTime={iso} title={full.format(date)}>
      {relativeTime(date, now)}
    </time>
  );
}
