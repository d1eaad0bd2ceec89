/**
 * Runs `work` when triggered, one run at a time; triggers during a run ask for exactly one more run after it.
 * For work that handles "everything new since last time": triggers may be merged, never dropped.
 */
export class CoalescingRunner {
  private running = false;
  private again = false;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  trigger(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.work()
      .catch(this.onError)
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.trigger();
        }
      });
  }
}
