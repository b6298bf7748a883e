import { DomainError } from '../../incidents/errors';
import type { AppLogger } from '../../logging/logger';
import type { JsonValue, WorkEnqueuer } from '../../store/workQueue';
import { workMetrics } from '../jobs/metrics';
import { PermanentWorkError, type WorkQueueWorker } from '../jobs/workQueueWorker';
import { eventIdOf } from '../requestInfo';
import type { EventAcceptance, EventDelivery } from './slackHttpReceiver';

/** The work kind of an Events API delivery waiting in the inbox. */
export const SLACK_EVENT_WORK = 'slack.event';

export interface EventInboxOptions {
  /** The queue on the ack lane: its own connections, so an ack never waits behind background work. */
  ackLane: WorkEnqueuer;
  worker: WorkQueueWorker;
  logger: AppLogger;
  /** Events that are not ours to store (the app's own messages and reactions). */
  ignore(body: Record<string, unknown>): boolean;
  /** The longest the store may take before Slack is answered 503 (and retries). */
  ackBudgetMs: number;
}

interface StoredDelivery {
  body: Record<string, unknown>;
  retryNum: number | null;
  retryReason: string | null;
}

/**
 * Runs a stored event's listener (Slack was answered already). A failure it reports as a
 * DomainError is final (running it again gives the same answer); any other is retried.
 */
export type StoredEventRunner = (body: Record<string, unknown>) => Promise<void>;

function isStoredDelivery(payload: JsonValue): payload is StoredDelivery & { [key: string]: JsonValue } {
  return (
    typeof payload === 'object' && payload !== null && !Array.isArray(payload) && typeof payload.body === 'object' && payload.body !== null
  );
}

function withinBudget<T>(work: Promise<T>, budgetMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`the inbox did not answer within ${budgetMs} ms`)), budgetMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Slack's "received" made durable: each Events API delivery is stored under its event_id (the
 * unique dedupe key) before the 200, and its effects run from that record through the work
 * queue, on whichever replica claims it. A retried delivery finds the record and is only
 * acknowledged; a process killed after the 200 leaves the record for the next one to run.
 */
export class SlackEventInbox {
  constructor(private readonly options: EventInboxOptions) {}

  async accept(delivery: EventDelivery): Promise<EventAcceptance> {
    const { logger } = this.options;
    const metrics = workMetrics();
    if (delivery.retryNum !== undefined) metrics.eventsRedelivered.inc();
    if (this.options.ignore(delivery.body)) {
      logger.debug('ignored an event caused by this app');
      return 'ignored';
    }
    const eventId = eventIdOf(delivery.body);
    if (!eventId) throw new Error('an event without event_id reached the inbox');
    const payload: StoredDelivery = { body: delivery.body, retryNum: delivery.retryNum ?? null, retryReason: delivery.retryReason ?? null };
    // With room in this process's worker, the event is stored already claimed by it and handed
    // over at once: no claim query per event. Without, it waits in the database for a claim.
    const room = this.options.worker.reserve(SLACK_EVENT_WORK);
    const enqueued = this.options.ackLane.enqueue({
      kind: SLACK_EVENT_WORK,
      dedupeKey: eventId,
      payload: payload as unknown as JsonValue,
      leaseTo: room?.lease,
    });
    if (room) {
      // The room follows the insert, not the ack budget: stored late (Slack was told 503 and
      // retries, finding it stored), the event still runs here rather than after its lease.
      enqueued.then(
        (result) => (result.leased ? room.adopt(result.leased) : room.cancel()),
        () => room.cancel(),
      );
    }
    const stored = await withinBudget(enqueued, this.options.ackBudgetMs);
    if (!stored.created) {
      metrics.eventsDeduplicated.inc();
      logger.info('skipped an event delivered before', { eventId, retryNum: delivery.retryNum, retryReason: delivery.retryReason });
      return 'duplicate';
    }
    metrics.eventsAccepted.inc();
    if (!stored.leased) this.options.worker.wake();
    return 'accepted';
  }

  /** Runs stored events with `run` (their listeners; see startDispatch). */
  attach(run: StoredEventRunner): void {
    this.options.worker.register(
      SLACK_EVENT_WORK,
      async (payload) => {
        if (!isStoredDelivery(payload)) throw new PermanentWorkError('the stored event is not a delivery');
        try {
          await run(payload.body);
        } catch (error) {
          // Refused by the domain (logged already): running it again gives the same answer.
          if (error instanceof DomainError) return;
          throw error;
        }
      },
      { maxAttempts: 5, retryBaseMs: 2_000, retryMaxMs: 60_000 },
    );
  }
}
