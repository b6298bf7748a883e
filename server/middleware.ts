import { type AnyMiddlewareArgs, type Middleware, ReceiverMultipleAckError } from '@slack/bolt';
import { runWithRequestContext } from '../logging/context';
import type { AppLogger } from '../logging/logger';
import type { InFlightWork } from './inflight';
import { wasAcknowledged } from './receiver/acknowledged';
import { authoringAppOf, describeRequest, eventTypeOf, eventUserOf } from './requestInfo';

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

/** True for an event this app caused (see ignoreOwnEvents). */
export function isOwnEvent(body: Parameters<typeof authoringAppOf>[0], appId: string, botUserId: string): boolean {
  return authoringAppOf(body) === appId || eventUserOf(body) === botUserId;
}

/**
 * Skips events this app caused itself: its own messages and reactions carry its app id
 * (event.app_id or bot_profile.app_id; not api_app_id, which every delivery to us carries),
 * and its bot user joining a channel is not a person joining the incident.
 */
export function ignoreOwnEvents(appId: string, botUserId: string, logger: AppLogger): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next }) => {
    if (isOwnEvent(body, appId, botUserId)) {
      logger.debug('ignored an event caused by this app', { eventType: eventTypeOf(body) });
      return;
    }
    await next();
  };
}

/**
 * Innermost global middleware: a command, button, form or menu request that no listener
 * acknowledged (an unknown action id from an old message, a slug the app does not serve) is
 * answered at once, instead of Bolt's 404 after 3 seconds that Slack shows as an error.
 */
export function ackUnhandled(logger: AppLogger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    await args.next();
    if (wasAcknowledged(args.body)) return;
    try {
      if ('command' in args) {
        await args.ack({ response_type: 'ephemeral', text: `Dispatch does not handle ${args.command.command}.` });
      } else if ('options' in args) {
        await args.ack({ options: [] });
      } else if ('ack' in args && args.ack) {
        await args.ack();
      } else {
        return;
      }
      logger.warn('acknowledged a request no listener handled', { kind: describeRequest(args.body).kind });
    } catch (error) {
      // Already acknowledged by its listener: the usual case.
      if (!(error instanceof ReceiverMultipleAckError)) throw error;
    }
  };
}
