import type { ListenerRouter } from '../../listeners/routes';
import type { EventArgs } from '../../listeners/types';
import { runWithRequestContext } from '../../logging/context';
import type { AppLogger } from '../../logging/logger';
import { reportStoredEventFailure } from '../errorHandling';
import type { InFlightWork } from '../inflight';
import { describeRequest, eventTypeOf } from '../requestInfo';
import type { StoredEventRunner } from './eventInbox';

export interface StoredEventOptions {
  /** The Events API listeners. */
  routes: Pick<ListenerRouter, 'dispatchEvent'>;
  inflight: InFlightWork;
  logger: AppLogger;
  /** Events this app caused itself (stored before the inbox skipped them, or by another version). */
  isOwnEvent(body: Record<string, unknown>): boolean;
}

/**
 * Runs a stored event as a request is run (its log context, counted in flight, a failure logged
 * once), straight into the listener of its type: no Bolt app in between (see dispatchEvent).
 */
export function storedEventRunner(options: StoredEventOptions): StoredEventRunner {
  const { routes, inflight, logger } = options;
  return (body) => {
    if (options.isOwnEvent(body)) {
      logger.debug('ignored an event caused by this app', { eventType: eventTypeOf(body) });
      return Promise.resolve();
    }
    const event = body.event;
    if (typeof event !== 'object' || event === null || typeof (event as { type?: unknown }).type !== 'string') {
      logger.warn('a stored event has no event type; no listener runs it');
      return Promise.resolve();
    }
    return inflight.track(() =>
      runWithRequestContext(describeRequest(body), async () => {
        const started = Date.now();
        try {
          // The receiver stored only event_callback bodies whose event is an object with a type.
          await routes.dispatchEvent(body as EventArgs<string>['body']);
        } catch (error) {
          reportStoredEventFailure(error, logger);
          throw error;
        } finally {
          logger.debug('slack request handled', { durationMs: Date.now() - started });
        }
      }),
    );
  };
}
