/**
 * Open live sockets per key (a user, an address) on this instance, against a cap. A count is taken by
 * `tryOpen` and given back by `closed` when the socket closes; keys at zero are forgotten.
 */
export class OpenSockets {
  private readonly counts = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Counts one more socket for `key`; false (nothing counted) when `key` already holds the cap. */
  tryOpen(key: string): boolean {
    const count = this.counts.get(key) ?? 0;
    if (count >= this.max) return false;
    this.counts.set(key, count + 1);
    return true;
  }

  closed(key: string): void {
    const count = (this.counts.get(key) ?? 0) - 1;
    if (count > 0) this.counts.set(key, count);
    else this.counts.delete(key);
  }
}
