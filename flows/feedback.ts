import type { Incident } from '../incidents/model';
import type { Dependencies } from '../server/dependencies';
import { feedbackRequestMessage } from '../slack/blocks/responderFeedback';
import { SlackCallError } from '../slack/errors';

type FeedbackDeps = Pick<Dependencies, 'feedback' | 'gateway' | 'logger' | 'store' | 'settings' | 'clock' | 'incidents'>;

/** Feedback is asked for incidents closed within this long (a scan after downtime still catches up). */
const FEEDBACK_WINDOW_MS = 14 * 86_400_000;

/**
 * Sends the feedback form to everyone who took part and has not been asked yet. The claim in the
 * database makes each person asked once per incident, however often this runs and on any
 * replica; a DM that fails gives its claim back for the next scan.
 */
export async function askForFeedback(deps: FeedbackDeps, incident: Incident): Promise<{ asked: number; failed: number }> {
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
export async function askDueFeedback(deps: FeedbackDeps): Promise<{ asked: number; failed: number }> {
  const total = { asked: 0, failed: 0 };
  if (!deps.settings.afterClose.feedbackEnabled) return total;
  const now = deps.clock.now().getTime();
  const closedBefore = new Date(now - deps.settings.afterClose.feedbackDelayMs);
  for (const incidentId of await deps.store.metrics.closedBetween(new Date(now - FEEDBACK_WINDOW_MS), closedBefore)) {
    const incident = await deps.incidents.get(incidentId);
    if (incident?.status !== 'closed') continue;
    const result = await askForFeedback(deps, incident);
    total.asked += result.asked;
    total.failed += result.failed;
  }
  return total;
}
