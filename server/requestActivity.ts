/**
 * When this process last took a request from Slack. While requests keep coming, the CPU is
 * theirs first: background work runs narrow (an eighth of its bound) and goes wide once they
 * stop, which is when a backlog left by a burst can be drained at full speed. What a stored
 * event's effect waits for on PostgreSQL (round trips) costs this process nothing, so the rule
 * is about requests competing for the event loop, not about the database.
 */
export class RequestActivity {
  private last = Number.NEGATIVE_INFINITY;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** A request arrived. */
  seen(): void {
    this.last = this.now();
  }

  /** True when a request arrived less than `ms` ago. */
  within(ms: number): boolean {
    return this.now() - this.last < ms;
  }
}
