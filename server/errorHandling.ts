import { randomBytes } from 'node:crypto';
import { type AnyMiddlewareArgs, type App, type CodedError, isCodedError } from '@slack/bolt';
import type { ExtendedErrorHandlerArgs } from '@slack/bolt/dist/App';
import { DomainError } from '../incidents/errors';
import type { AppLogger } from '../logging/logger';
import { problemMessage, unexpectedErrorMessage } from '../slack/blocks/feedback';
import { SlackCallError } from '../slack/errors';
import type { SlackGateway, SlackMessage } from '../slack/gateway';
import { replyTargetOf } from './requestInfo';

/** Thrown on by the error handler after it told the user and logged, so the receiver only acks. */
export class ReportedError extends Error {
  constructor(readonly original: unknown) {
    super('already reported');
    this.name = 'ReportedError';
  }
}

/** Bolt wraps listener errors; this gets the one(s) our code threw. */
function unwrap(error: CodedError): unknown[] {
  if (error.originals && error.originals.length > 0) return error.originals;
  if (error.original) return [error.original];
  return [error];
}

function messageFor(error: unknown, reference: string): SlackMessage {
  if (error instanceof DomainError) return problemMessage(error.message);
  if (error instanceof SlackCallError) return problemMessage(`That did not work: ${error.plainWords}. Nothing already recorded was lost.`);
  return unexpectedErrorMessage(reference);
}

function logFailure(logger: AppLogger, error: unknown, reference: string): void {
  if (error instanceof DomainError) {
    logger.info('request refused', { reason: error.code, detail: error.message });
  } else if (error instanceof SlackCallError) {
    logger.warn('slack call failed', { method: error.method, slackError: error.slackCode, reference });
  } else {
    const failure = error instanceof Error ? error : new Error(String(error));
    logger.error('request failed', { reference, error: failure.message, stack: failure.stack });
  }
}

/**
 * A stored event's listener failed: logged once, as a request's failure is. Nobody is told:
 * Slack was answered when the event was stored, and an event has no one waiting on a reply.
 */
export function reportStoredEventFailure(error: unknown, logger: AppLogger): void {
  logFailure(logger, error, randomBytes(4).toString('hex').toUpperCase());
}

/** Logs a failure once and tells the person behind the request, privately and in plain words. */
async function reportFailure(error: unknown, body: AnyMiddlewareArgs['body'] | undefined, gateway: SlackGateway, logger: AppLogger) {
  const errors = isCodedError(error) ? unwrap(error) : [error];
  const reference = randomBytes(4).toString('hex').toUpperCase();
  for (const failure of errors) logFailure(logger, failure, reference);
  const target = body ? replyTargetOf(body) : {};
  const message = messageFor(errors[0], reference);
  try {
    // A response_url that just failed is not posted to a second time; an ephemeral may still reach them.
    const responseUrl = target.responseUrl && !gateway.responseUrlFailed(target.responseUrl) ? target.responseUrl : undefined;
    if (responseUrl) await gateway.respond(responseUrl, message);
    else if (target.userId && target.channelId) await gateway.postEphemeral(target.channelId, target.userId, message);
    else if (target.userId && !('event' in (body ?? {}))) await gateway.sendDirectMessage(target.userId, message);
  } catch (notifyError) {
    logger.warn('could not tell the user about a failure', {
      reference,
      error: notifyError instanceof Error ? notifyError.message : String(notifyError),
    });
  }
  return new ReportedError(errors[0]);
}

/**
 * What a listener's failure becomes (the request middleware, server/middleware.ts, throws it on):
 * reported here, once, so shutdown and tests wait until the person has been told. A failure
 * reported already (a request whose work was stored for later) is only passed on.
 */
export async function reportedFailure(
  error: unknown,
  body: AnyMiddlewareArgs['body'],
  gateway: SlackGateway,
  logger: AppLogger,
): Promise<ReportedError> {
  const handled = (isCodedError(error) ? unwrap(error) : [error]).find((failure) => failure instanceof ReportedError);
  if (handled instanceof ReportedError) return handled;
  return reportFailure(error, body, gateway, logger);
}

/**
 * The one place errors end: what the middleware reported is only passed on; anything that
 * failed outside it (authorization, say) is reported here. Either way the receiver then answers
 * Slack with 200 so Slack shows no error of its own.
 */
export function installErrorHandling(app: App, gateway: SlackGateway, logger: AppLogger): void {
  app.error(async ({ error, body }: ExtendedErrorHandlerArgs) => {
    const [first] = unwrap(error);
    if (first instanceof ReportedError) throw first;
    throw await reportFailure(error, body, gateway, logger);
  });
}
