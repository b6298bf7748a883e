import { randomBytes } from 'node:crypto';
import type { App, CodedError } from '@slack/bolt';
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
 * The one place listener errors end: log once, tell the person who asked (privately, in plain
 * words), then let the receiver answer Slack with 200 so Slack shows no error of its own.
 */
export function installErrorHandling(app: App, gateway: SlackGateway, logger: AppLogger): void {
  app.error(async ({ error, body }: ExtendedErrorHandlerArgs) => {
    const errors = unwrap(error);
    const reference = randomBytes(4).toString('hex').toUpperCase();
    for (const failure of errors) logFailure(logger, failure, reference);
    const target = body ? replyTargetOf(body) : {};
    const message = messageFor(errors[0], reference);
    try {
      if (target.responseUrl) await gateway.respond(target.responseUrl, message);
      else if (target.userId && target.channelId) await gateway.postEphemeral(target.channelId, target.userId, message);
      else if (target.userId && !('event' in (body ?? {}))) await gateway.sendDirectMessage(target.userId, message);
    } catch (notifyError) {
      logger.warn('could not tell the user about a failure', {
        reference,
        error: notifyError instanceof Error ? notifyError.message : String(notifyError),
      });
    }
    throw new ReportedError(errors[0]);
  });
}

/**
 * HTTP: a failed listener still answers 200 (an empty ack) unless it already answered, instead
 * of Bolt's default 500 that makes Slack show "dispatch_failed" to the user.
 */
export function ackAfterFailure(logger: AppLogger) {
  return async ({ error, response }: { error: Error; response: import('node:http').ServerResponse }): Promise<boolean> => {
    if (!(error instanceof ReportedError)) logger.error('request failed before reaching a listener', { error: error.message });
    if (!response.headersSent) {
      response.writeHead(200);
      response.end();
    }
    return true;
  };
}
