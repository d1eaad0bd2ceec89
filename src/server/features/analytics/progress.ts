/** Where a progress line goes: a terminal is redrawn in place, anything else gets one plain line per update. */
export type ProgressSink = { isTTY?: boolean; columns?: number; write(text: string): unknown };

const WIDTH = 30;
const formatted = (n: number) => Math.round(n).toLocaleString('en-US');

/** One progress line: a bar, the share done, the count and the rate. */
export function progressLine(done: number, total: number, seconds: number, bar: boolean): string {
  const share = total === 0 ? 1 : done / total;
  const rate = seconds > 0 ? `${formatted(done / seconds)} events/s` : '– events/s';
  const counts = `${(share * 100).toFixed(0).padStart(3)}% ${formatted(done)}/${formatted(total)} events, ${rate}`;
  if (!bar) return counts;
  const filled = Math.round(share * WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${counts}`;
}

/** Reports progress on `sink` (stderr), timed by `elapsedSeconds`. */
export function progressReporter(sink: ProgressSink, elapsedSeconds: () => number) {
  return {
    update(done: number, total: number): void {
      const line = progressLine(done, total, elapsedSeconds(), true);
      sink.write(sink.isTTY ? `\r${line}` : `${line}\n`);
    },
    finish(): void {
      if (sink.isTTY) sink.write('\n');
    },
  };
}
