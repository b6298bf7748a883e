import { type App, ReceiverMultipleAckError } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { AppLogger } from '../../logging/logger';
import type { SlackMessage } from '../../slack/blocks/message';
import type { JsonValue, WorkQueueRepository } from '../../store/workQueue';
import { ReportedError } from '../errorHandling';
import { workMetrics } from '../jobs/metrics';
import { PermanentWorkError, type WorkQueueWorker } from '../jobs/workQueueWorker';
import { markAcknowledged } from './acknowledged';

/** The work kind of a request whose work after the ack waits in the database. */
export const SLACK_REQUEST_WORK = 'slack.request';

/**
 * Thrown out of `ack()` once the answer is sent, when the request's remaining work was stored to
 * run later: the listener stops there. Handled like a reported error (nothing to tell anyone).
 */
export class DeferredRequest extends ReportedError {
  constructor() {
    super('the work after the ack was stored in the work queue');
    this.name = 'DeferredRequest';
  }
}

export interface AfterAckLimits {
  /** Requests whose work after the ack runs at once in this process. */
  maxRunning: number;
  /** Requests that may wait here for one of those slots; past that, the work waits in the database. */
  maxWaiting: number;
}

/** A running slot, given back when the request is done. */
export type Release = () => void;

/** Posts an answer to a request's response_url (the gateway's respond). */
export type AnswerLater = (responseUrl: string, message: SlackMessage) => Promise<void>;

/**
 * What a listener gave its ack, as a message: a string or an object with text or blocks.
 * Nothing (an empty ack, or one only a form needs, such as errors for its fields) is null.
 */
export function ackedMessage(response: unknown): SlackMessage | null {
  if (typeof response === 'string') return response ? { text: response } : null;
  if (typeof response !== 'object' || response === null) return null;
  const { text, blocks } = response as { text?: unknown; blocks?: unknown };
  if (typeof text !== 'string' && !Array.isArray(blocks)) return null;
  return { text: typeof text === 'string' ? text : '', ...(Array.isArray(blocks) ? { blocks: blocks as KnownBlock[] } : {}) };
}

/**
 * Bounds the work requests do after their ack (response_url posts, Slack calls, writes). An
 * ack is never delayed by it: a request is admitted only once answered. Up to `maxRunning` run;
 * the next `maxWaiting` wait in memory, in order; past that the request is stored in the work
 * queue (where the worker's own bound applies) and replayed from there, so a burst costs
 * database rows, not memory.
 */
export class AfterAckWork {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private deferredCount = 0;
  private recheck: NodeJS.Timeout | undefined;

  /**
   * `busy`: the event loop is late (requests are waiting for the CPU); then only an eighth of
   * `maxRunning` carry on at once, so the CPU goes to the acks first and the rest waits.
   */
  constructor(
    private readonly limits: AfterAckLimits,
    private readonly queue: WorkQueueRepository,
    private readonly worker: WorkQueueWorker,
    private readonly logger: AppLogger,
    private readonly busy: () => boolean = () => false,
    private readonly answerLater?: AnswerLater,
  ) {}

  private get capacity(): number {
    return this.busy() ? Math.max(1, Math.floor(this.limits.maxRunning / 8)) : this.limits.maxRunning;
  }

  /** Requests running or waiting here now. */
  get load(): { running: number; waiting: number; deferred: number } {
    return { running: this.running, waiting: this.waiting.length, deferred: this.deferredCount };
  }

  /**
   * Called right after a request's ack was sent. Resolves with the slot's release once the
   * request may go on; for a request that may be replayed later (`replayable`: its work before
   * the ack only reads), when the wait is full, it stores the request and throws DeferredRequest.
   * `answered`: the ack that was sent carried an answer (a run again must not send it twice).
   */
  async admit(body: Record<string, unknown>, replayable: boolean, answered = false): Promise<Release> {
    if (this.running < this.capacity && this.waiting.length === 0) return this.take();
    if (this.waiting.length >= this.limits.maxWaiting && replayable) {
      try {
        await this.queue.enqueue({ kind: SLACK_REQUEST_WORK, payload: { body, answered } as unknown as JsonValue });
        this.deferredCount += 1;
        workMetrics().requestsDeferred.inc();
        this.worker.wake();
      } catch (error) {
        // Not stored: it waits here after all rather than be lost.
        this.logger.warn('could not store the work of a request in the work queue; it waits in memory', {
          error: error instanceof Error ? error.message : String(error),
        });
        return this.wait();
      }
      throw new DeferredRequest();
    }
    return this.wait();
  }

  /**
   * `admit` as every receiver calls it once a request's ack went out with `message`: whether it
   * may be replayed is read from the body, whether it was answered from the ack, so HTTP and
   * Socket Mode requests are bounded alike.
   */
  afterAnswer(body: Record<string, unknown>, message: unknown): Promise<Release> {
    return this.admit(body, isReplayable(body), ackedMessage(message) !== null);
  }

  private take(): Release {
    // Taken at once by the caller: a slot it holds until the request is done.
    this.running += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
      this.next();
    };
  }

  /** Lets waiting requests go on while there is room (a busy loop leaves less). */
  private next(): void {
    while (this.waiting.length > 0 && this.running < this.capacity) this.waiting.shift()?.();
    // Held back by a busy loop, not by the slots: look again shortly, as no release may come.
    if (this.waiting.length > 0 && this.running < this.limits.maxRunning && !this.recheck) {
      this.recheck = setTimeout(() => {
        this.recheck = undefined;
        this.next();
      }, 20);
      this.recheck.unref();
    }
  }

  private wait(): Promise<Release> {
    const waited = new Promise<Release>((resolve) => {
      this.waiting.push(() => resolve(this.take()));
    });
    this.next();
    return waited;
  }

  /**
   * Replays stored requests through the app's middleware and listeners. Their ack was sent
   * already. When it went out empty, what a listener answers in its ack this time (a
   * participant list whose profiles are now at hand, say) is what the person would have seen,
   * so it goes to the request's response_url rather than nowhere; when it carried the answer,
   * the person has it and the run's ack goes nowhere.
   */
  attach(app: App): void {
    this.worker.register(
      SLACK_REQUEST_WORK,
      async (payload) => {
        const body =
          typeof payload === 'object' && payload !== null && !Array.isArray(payload) && typeof payload.body === 'object'
            ? payload.body
            : null;
        if (body === null || Array.isArray(body)) throw new PermanentWorkError('the stored request has no body');
        try {
          const answered = typeof payload === 'object' && payload !== null && !Array.isArray(payload) && payload.answered === true;
          const responseUrl = typeof body.response_url === 'string' && !answered ? body.response_url : undefined;
          let acknowledged = false;
          await app.processEvent({
            body: body as Record<string, unknown>,
            // Like a real ack, once: a second call (ackUnhandled's, after a listener acked) is refused.
            ack: async (response?: unknown) => {
              if (acknowledged) throw new ReceiverMultipleAckError();
              acknowledged = true;
              markAcknowledged(body);
              const message = ackedMessage(response);
              if (message && responseUrl && this.answerLater) await this.answerLater(responseUrl, message);
            },
          });
        } catch (error) {
          // The person was told already (reportFailures): running it again would tell them twice.
          if (error instanceof ReportedError) return;
          throw error;
        }
      },
      // Once: a second run would repeat what the first one did before failing.
      { maxAttempts: 1 },
    );
  }
}

/**
 * Requests whose work before the ack only reads, so running them again from the start (with an
 * ack that goes nowhere) does the rest once: slash commands, buttons and menus, shortcuts. A
 * form submission may store before its ack and waits in memory instead.
 */
export function isReplayable(body: Record<string, unknown>): boolean {
  if (typeof body.command === 'string') return true;
  return body.type === 'block_actions' || body.type === 'shortcut' || body.type === 'message_action';
}
