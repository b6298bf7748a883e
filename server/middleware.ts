import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Clock } from '../incidents/clock';
import { runWithRequestContext } from '../logging/context';
import type { AppLogger } from '../logging/logger';
import type { Store } from '../store';
import type { InFlightWork } from './inflight';
import { authoringAppOf, describeRequest, eventIdOf, eventTypeOf, eventUserOf } from './requestInfo';

/** Every request runs in its own log context and counts as in-flight work until it is done. */
export function trackRequests(inflight: InFlightWork, logger: AppLogger): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next }) => {
    const described = describeRequest(body);
    await inflight.track(() =>
      runWithRequestContext(described, async () => {
        const started = Date.now();
        try {
          await next();
        } finally {
          // Message events are frequent; the rest is worth a line at info.
          const level = described.kind === 'event' ? 'debug' : 'info';
          logger.log(level, 'slack request handled', { durationMs: Date.now() - started });
        }
      }),
    );
  };
}

/**
 * Skips events this app caused itself: its own messages and reactions carry its app id
 * (event.app_id or bot_profile.app_id; not api_app_id, which every delivery to us carries),
 * and its bot user joining a channel is not a person joining the incident.
 */
export function ignoreOwnEvents(appId: string, botUserId: string, logger: AppLogger): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next }) => {
    if (authoringAppOf(body) === appId || eventUserOf(body) === botUserId) {
      logger.debug('ignored an event caused by this app', { eventType: eventTypeOf(body) });
      return;
    }
    await next();
  };
}

/**
 * Slack retries an event when the ack is late; Bolt does not dedupe. The event id is recorded
 * under a unique key in the shared database, so a retry takes effect once on any replica.
 */
export function processEventsOnce(store: Store, clock: Clock, logger: AppLogger): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const eventId = eventIdOf(body);
    if (eventId && !(await store.processedEvents.claim(eventId, clock.now()))) {
      logger.info('skipped an event delivered before', { eventId, retryNum: context.retryNum, retryReason: context.retryReason });
      return;
    }
    await next();
  };
}
