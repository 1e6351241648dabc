/**
 * Answers that identical requests share: one computation for all the requests that ask while it runs, and
 * its result kept for `ttlMs` for the refreshes that follow (a dashboard polls; ten supervisors poll ten
 * times). Bounded: at most `maxEntries` results are kept, the oldest forgotten first.
 */
export class SharedResults<T> {
  private readonly running = new Map<string, Promise<T>>();
  private readonly kept = new Map<string, { until: number; value: T }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1000,
  ) {}

  get(key: string, compute: () => Promise<T>, now = Date.now()): Promise<T> {
    const kept = this.kept.get(key);
    if (kept && kept.until > now) return Promise.resolve(kept.value);
    const running = this.running.get(key);
    if (running) return running;
    const result = compute()
      .then((value) => {
        this.keep(key, value, Date.now());
        return value;
      })
      .finally(() => this.running.delete(key));
    this.running.set(key, result);
    return result;
  }

  private keep(key: string, value: T, now: number): void {
    if (this.ttlMs <= 0) return;
    this.kept.delete(key);
    if (this.kept.size >= this.maxEntries) {
      for (const [old, entry] of this.kept) {
        if (entry.until <= now || this.kept.size >= this.maxEntries) this.kept.delete(old);
        else break;
      }
    }
    this.kept.set(key, { until: now + this.ttlMs, value });
  }
}
