/**
 * The requests this process is taking from Slack: when the last one arrived, and how many wait
 * for their ack now. While requests keep coming, the CPU is theirs first: background work runs
 * narrow (an eighth of its bound), and yields altogether while several wait for their acks at
 * once (a burst, or a process that cannot keep up: back-to-back acks never make the event loop
 * late by much, but they queue). It goes wide once requests stop, which is when a backlog left
 * by a burst can be drained at full speed. What a stored event's effect waits for on PostgreSQL
 * (round trips) costs this process nothing, so the rule is about requests competing for the
 * event loop, not about the database.
 */
export class RequestActivity {
  private last = Number.NEGATIVE_INFINITY;
  private unanswered = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** A request arrived; the function returned is called once it is answered (again, it does nothing). */
  arrived(): () => void {
    this.last = this.now();
    this.unanswered += 1;
    let answered = false;
    return () => {
      if (answered) return;
      answered = true;
      this.unanswered -= 1;
    };
  }

  /** True when a request arrived less than `ms` ago. */
  within(ms: number): boolean {
    return this.now() - this.last < ms;
  }

  /** Requests that arrived and are not answered yet. */
  get waiting(): number {
    return this.unanswered;
  }
}
