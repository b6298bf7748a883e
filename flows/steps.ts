import { DomainError } from '../incidents/errors';
import type { AppLogger } from '../logging/logger';
import { noticeMessage } from '../slack/blocks/feedback';
import type { SlackMessage, StepFailure } from '../slack/blocks/message';
import { isTransientSlackError, SlackCallError } from '../slack/errors';
import type { SlackGateway } from '../slack/gateway';
import type { DeferredSlackWork } from './deferredSlack';
import type { Reply } from './reply';

export type { StepFailure };

function problemOf(error: unknown): string {
  if (error instanceof SlackCallError) return error.plainWords;
  if (error instanceof DomainError) return error.message;
  return 'an unexpected error (see the app log)';
}

/**
 * Runs one Slack step that follows a recorded change. A refusal (Slack's or the domain's) is
 * collected in plain words so the remaining steps still run and nothing recorded is undone;
 * other errors are bugs and propagate, unless `anyError` says this step must never stop the rest.
 */
export async function attemptStep(
  logger: AppLogger,
  failures: StepFailure[],
  step: string,
  work: () => Promise<unknown>,
  options: { anyError?: boolean } = {},
): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (error) {
    const refusal = error instanceof SlackCallError || error instanceof DomainError;
    if (!refusal && !options.anyError) throw error;
    logger.log(refusal ? 'warn' : 'error', 'slack step failed', {
      step,
      slackError: error instanceof SlackCallError ? error.slackCode : undefined,
      error: error instanceof Error ? error.message : String(error),
      stack: refusal ? undefined : error instanceof Error ? error.stack : undefined,
    });
    failures.push({ step, problem: problemOf(error), transient: isTransientSlackError(error) || undefined });
    return false;
  }
}

/**
 * Posts a message in a channel as one step of a recorded change. When Slack is not answering,
 * the post is handed to the background (posted later, on any replica) instead of being lost.
 */
export async function postStep(
  deps: { logger: AppLogger; gateway: Pick<SlackGateway, 'postMessage'>; deferred: DeferredSlackWork },
  failures: StepFailure[],
  step: string,
  channelId: string,
  message: SlackMessage,
): Promise<string | undefined> {
  let ts: string | undefined;
  const posted = await attemptStep(deps.logger, failures, step, async () => {
    ts = await deps.gateway.postMessage(channelId, message);
  });
  if (!posted && failures[failures.length - 1]?.transient) await deps.deferred.post(channelId, message);
  return ts;
}

/**
 * Tells the actor what changed and, if any, which Slack updates failed. Failures because Slack
 * was not answering are retried in the background (flows/deferredSlack.ts), and the actor is
 * told so; refusals need a person to fix the cause.
 */
export async function reportOutcome(reply: Reply, done: string, failures: StepFailure[]): Promise<void> {
  if (failures.length === 0) return;
  const lines = failures.map((failure) => `• ${failure.step}: ${failure.problem}`).join('\n');
  const retried = failures.some((failure) => failure.transient);
  const after = retried
    ? 'Slack is not answering right now; Dispatch keeps retrying these updates in the background. Nothing recorded was lost.'
    : 'Nothing recorded was lost.';
  await reply(noticeMessage(`${done}, but some Slack updates failed:\n${lines}\n${after}`));
}
