import { type App, type ReceiverEvent, SocketModeReceiver, type SocketModeReceiverOptions } from '@slack/bolt';
import type { AppLogger } from '../../logging/logger';
import { runBeforeAck } from '../../store/ackPhase';
import { observeRequest } from '../metrics';
import { type AfterAckWork, DeferredRequest, type Release } from './afterAck';
import { classifySlackBody } from './payloads';
import type { EventAcceptance, EventDelivery } from './slackHttpReceiver';

/**
 * Socket Mode with the same inbox as HTTP: Bolt acknowledges an Events API envelope before any
 * middleware runs, so an event would be "received" with nothing stored. Here the envelope is
 * acknowledged only once the event is in the database; its listeners then run from there.
 * Events are counted and their acks timed here, as the HTTP receiver does (the inbox's later run
 * is not counted again); every other envelope is counted by the app's instrumented processEvent.
 * Commands and interactions carry on after their ack under the same bound as over HTTP (the one
 * AfterAckWork of the process): past it, they wait, or are stored and finished from the queue.
 */
export class InboxSocketModeReceiver extends SocketModeReceiver {
  private readonly acceptEvent: (delivery: EventDelivery) => Promise<EventAcceptance>;
  private readonly appLogger: AppLogger;
  private readonly afterAck: AfterAckWork | undefined;

  constructor(
    options: SocketModeReceiverOptions & {
      acceptEvent(delivery: EventDelivery): Promise<EventAcceptance>;
      appLogger: AppLogger;
      /** Bounds what commands and interactions do after their ack; without it, nothing waits. */
      afterAck?: AfterAckWork;
    },
  ) {
    const { acceptEvent, appLogger, afterAck, ...socketOptions } = options;
    super(socketOptions);
    this.acceptEvent = acceptEvent;
    this.appLogger = appLogger;
    this.afterAck = afterAck;
  }

  override init(app: App): void {
    const route = (event: ReceiverEvent) => this.route(app, event);
    // Everything else of the app stays as it is; only the entry point for envelopes is ours.
    super.init(
      new Proxy(app, {
        get: (target, property, receiver) => (property === 'processEvent' ? route : Reflect.get(target, property, receiver)),
      }),
    );
  }

  private async route(app: App, event: ReceiverEvent): Promise<void> {
    const classified = classifySlackBody(event.body);
    if (classified.kind === 'refused') {
      this.appLogger.warn('refused a Socket Mode envelope: not a payload this app can route', { reason: classified.reason });
      await event.ack();
      return;
    }
    if (classified.kind !== 'event') {
      const { afterAck } = this;
      let release: Release | undefined;
      try {
        // What the listener reads before its ack runs on the ack lane (store/ackPhase.ts).
        await runBeforeAck((acknowledged) =>
          app.processEvent({
            ...event,
            ack: async (reply) => {
              try {
                await event.ack(reply);
              } finally {
                acknowledged();
              }
              // The rest of the listener waits for a slot (or is stored for later and stops here).
              if (afterAck) release = await afterAck.afterAnswer(classified.body, reply);
            },
          }),
        );
      } catch (error) {
        // Stored to run from the work queue: its ack went out, nothing else is owed now.
        if (!(error instanceof DeferredRequest)) throw error;
      } finally {
        release?.();
      }
      return;
    }
    const acked = observeRequest('event');
    try {
      await this.acceptEvent({ body: classified.body, retryNum: event.retryNum, retryReason: event.retryReason });
    } catch (error) {
      // Not acknowledged (so no ack time): Slack delivers the envelope again.
      this.appLogger.error('could not store a Slack event; Slack will deliver it again', {
        error: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    await event.ack();
    acked();
  }
}
