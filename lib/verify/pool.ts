/**
 * Runs async tasks with at most `limit` in flight. `submit` resolves once the
 * task has *started*, so a producer that awaits it (the listing) pauses while
 * the pool is full: that back-pressure is what keeps memory bounded.
 */
export class BoundedPool {
  private running = 0;
  private readonly waiters: (() => void)[] = [];
  private idle: (() => void)[] = [];
  private failure: unknown;

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`pool limit must be a whole number >= 1 (got ${limit})`);
  }

  /** Tasks currently running. */
  public get inFlight(): number {
    return this.running;
  }

  /** Waits for a free slot, starts `task`, and returns. A task's error is rethrown by `drain`. */
  public async submit(task: () => Promise<void>): Promise<void> {
    this.throwIfFailed();
    while (this.running >= this.limit) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.running++;
    task().catch((err) => {
      this.failure ??= err;
    }).finally(() => {
      this.running--;
      this.waiters.shift()?.();
      if (this.running === 0) {
        const idle = this.idle;
        this.idle = [];
        idle.forEach((resolve) => resolve());
      }
    });
  }

  /** Waits until every submitted task has finished; rethrows the first task error. */
  public async drain(): Promise<void> {
    if (this.running > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}
