import { DomainError } from '../incidents/errors';
import type { FeedbackAnswer } from '../incidents/feedback';
import type { Incident } from '../incidents/model';
import { noticeMessage } from '../slack/blocks/feedback';
import { feedbackModal, feedbackRequestMessage, feedbackThanksMessage } from '../slack/blocks/responderFeedback';
import { SlackCallError } from '../slack/errors';
import type { FlowDependencies } from './dependencies';
import type { Reply } from './reply';

export type FeedbackDependencies = Pick<FlowDependencies, 'feedback' | 'gateway' | 'logger' | 'settings' | 'incidents' | 'metrics'>;

/** Feedback is asked for incidents closed within this long (a scan after downtime still catches up). */
const FEEDBACK_WINDOW_MS = 14 * 86_400_000;

/**
 * Sends the feedback form to everyone who took part and has not been asked yet. The claim in the
 * database makes each person asked once per incident, however often this runs and on any
 * replica; a DM that fails gives its claim back for the next scan.
 */
export async function askForFeedback(deps: FeedbackDependencies, incident: Incident): Promise<{ asked: number; failed: number }> {
  let asked = 0;
  let failed = 0;
  for (const userId of await deps.feedback.recipients(incident.id)) {
    if (!(await deps.feedback.claimRequest(incident.id, userId))) continue;
    try {
      await deps.gateway.sendDirectMessage(userId, feedbackRequestMessage(incident));
      asked += 1;
    } catch (error) {
      await deps.feedback.releaseRequest(incident.id, userId);
      failed += 1;
      deps.logger.warn('feedback form not sent; the next scan tries again', {
        incident: incident.name,
        slackError: error instanceof SlackCallError ? error.slackCode : undefined,
      });
    }
  }
  if (asked > 0) deps.logger.info('feedback asked', { incident: incident.name, asked });
  return { asked, failed };
}

/** Closed incidents whose feedback delay (FEEDBACK_DELAY) has passed: ask whoever was not asked yet. */
export async function askDueFeedback(deps: FeedbackDependencies): Promise<{ asked: number; failed: number }> {
  const total = { asked: 0, failed: 0 };
  if (!deps.settings.afterClose.feedbackEnabled) return total;
  for (const incidentId of await deps.metrics.closedAgo(FEEDBACK_WINDOW_MS, deps.settings.afterClose.feedbackDelayMs)) {
    const incident = await deps.incidents.get(incidentId);
    if (incident?.status !== 'closed') continue;
    const result = await askForFeedback(deps, incident);
    total.asked += result.asked;
    total.failed += result.failed;
  }
  return total;
}

/** "Give feedback" in the DM after close: the form, unless this person answered already. */
export async function openFeedbackForm(
  deps: Pick<FlowDependencies, 'gateway' | 'feedback' | 'incidents'>,
  request: { triggerId: string; incidentId: number; userId: string; reply: Reply },
): Promise<void> {
  const incident = await deps.incidents.require(request.incidentId);
  if (await deps.feedback.hasAnswered(incident.id, request.userId)) {
    await request.reply(noticeMessage(`You already gave feedback on ${incident.name}; thank you.`));
    return;
  }
  await deps.gateway.openView(request.triggerId, feedbackModal(incident));
}

/**
 * Stores the answer (once per person and incident) and thanks them by DM. A refusal (answered
 * already, never asked) comes back as a sentence for the form instead.
 */
export async function submitFeedback(
  deps: Pick<FlowDependencies, 'gateway' | 'feedback' | 'incidents'>,
  request: FeedbackAnswer,
): Promise<string | undefined> {
  const incident = await deps.incidents.require(request.incidentId);
  try {
    await deps.feedback.submit(request);
  } catch (error) {
    if (error instanceof DomainError) return error.message;
    throw error;
  }
  await deps.gateway.sendDirectMessage(request.userId, feedbackThanksMessage(incident));
  return undefined;
}

/** The flows listeners may start from this module (bound to their dependencies by createFlows). */
export const flows = { openFeedbackForm, submitFeedback };
