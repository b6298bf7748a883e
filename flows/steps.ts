import { DomainError } from '../incidents/errors';
import type { AppLogger } from '../logging/logger';
import { noticeMessage } from '../slack/blocks/feedback';
import type { StepFailure } from '../slack/blocks/message';
import { SlackCallError } from '../slack/errors';
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
    failures.push({ step, problem: problemOf(error) });
    return false;
  }
}

/** Tells the actor what changed and, if any, which Slack updates failed. */
export async function reportOutcome(reply: Reply, done: string, failures: StepFailure[]): Promise<void> {
  if (failures.length === 0) return;
  const lines = failures.map((failure) => `• ${failure.step}: ${failure.problem}`).join('\n');
  await reply(noticeMessage(`${done}, but some Slack updates failed:\n${lines}\nNothing recorded was lost.`));
}
