import { type AnyMiddlewareArgs, type Middleware, ReceiverMultipleAckError } from '@slack/bolt';
import { runInRequestContext } from '../logging/context';
import type { AppLogger } from '../logging/logger';
import type { SlackGateway } from '../slack/gateway';
import { reportedFailure } from './errorHandling';
import type { InFlightWork } from './inflight';
import { wasAcknowledged } from './receiver/acknowledged';
import { authoringAppOf, describeRequest, eventTypeOf, eventUserOf } from './requestInfo';

/** True for an event this app caused (see handleRequests). */
export function isOwnEvent(body: Parameters<typeof authoringAppOf>[0], appId: string, botUserId: string): boolean {
  return authoringAppOf(body) === appId || eventUserOf(body) === botUserId;
}

/**
 * A request that took this long (its ack and the work after it) is written at info; the others
 * at debug. A line for every request was the largest cost left on a cached command (~15 % of its
 * CPU at info, measured with `npm run bench -- --phases list`), and says nothing at info that is
 * not there already: what a request changed is logged by its flow, a refusal or a failure by the
 * error handling, and the count and timing of every request are metrics (/metrics).
 */
export const SLOW_REQUEST_MS = 1_000;

export interface RequestHandlingOptions {
  inflight: InFlightWork;
  gateway: SlackGateway;
  logger: AppLogger;
  /** This app's id and its bot user's: events they caused are not a person's doing. */
  appId: string;
  botUserId: string;
  /**
   * Answer a request no listener acknowledged. HTTP only: Socket Mode's ack ignores a second
   * call silently, so an unhandled request cannot be told apart there.
   */
  ackUnhandled: boolean;
}

/**
 * The app's one global middleware, around every request Bolt routes to a listener. (It was four
 * nested ones; Bolt gives each its own copy of the arguments and a promise chain, on every
 * request, which cost more than a cached command's own work.) In order:
 * - skips events this app caused itself: its own messages and reactions carry its app id
 *   (event.app_id or bot_profile.app_id; not api_app_id, which every delivery to us carries),
 *   and its bot user joining a channel is not a person joining the incident;
 * - counts the request as in-flight work until it is done, in its log context (the receiver's,
 *   or one opened here), and writes a line when it ends (at info when slow, else at debug);
 * - a listener's failure is reported (logged once, the person told privately) and thrown on;
 * - a command, button, form or menu request no listener acknowledged (an unknown action id
 *   from an old message, a slug the app does not serve) is answered at once, instead of Bolt's
 *   404 after 3 seconds that Slack shows as an error.
 */
export function handleRequests(options: RequestHandlingOptions): Middleware<AnyMiddlewareArgs> {
  const { inflight, gateway, logger } = options;
  return async (args) => {
    const { body } = args;
    if (isOwnEvent(body, options.appId, options.botUserId)) {
      logger.debug('ignored an event caused by this app', { eventType: eventTypeOf(body) });
      return;
    }
    await inflight.track(() =>
      runInRequestContext(
        body,
        () => describeRequest(body),
        async () => {
          const started = Date.now();
          try {
            await args.next();
            if (options.ackUnhandled && !wasAcknowledged(body)) await ackUnhandledRequest(args, logger);
          } catch (error) {
            throw await reportedFailure(error, body, gateway, logger);
          } finally {
            const durationMs = Date.now() - started;
            logger.log(durationMs >= SLOW_REQUEST_MS ? 'info' : 'debug', 'slack request handled', { durationMs });
          }
        },
      ),
    );
  };
}

/** Answers a request no listener acknowledged, as its surface expects (see handleRequests). */
async function ackUnhandledRequest(args: AnyMiddlewareArgs, logger: AppLogger): Promise<void> {
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
    // Acknowledged meanwhile by its listener's work.
    if (!(error instanceof ReceiverMultipleAckError)) throw error;
  }
}
