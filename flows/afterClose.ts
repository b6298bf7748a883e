import type { Incident } from '../incidents/model';
import type { FlowDependencies } from './dependencies';
import { askDueFeedback, askForFeedback, type FeedbackDependencies } from './feedback';
import { type FollowUpDependencies, type FollowUpReminderScan, remindOverdueFollowUps } from './followUps';
import { type PostmortemDependencies, uploadPostmortem } from './postmortem';

export type AfterCloseDependencies = PostmortemDependencies & FeedbackDependencies & Pick<FlowDependencies, 'afterCloseQueue'>;

/**
 * What follows a close: the postmortem draft goes to the channel (through the work queue, so a
 * Slack outage delays it instead of losing it; right away when the channel is about to be
 * archived) and, unless delayed or turned off, everyone who took part is asked for feedback.
 */
export async function incidentClosed(deps: AfterCloseDependencies, incident: Incident): Promise<void> {
  const { afterClose } = deps.settings;
  if (afterClose.postmortemOnClose && incident.channelId) {
    if (deps.settings.incident.archiveOnClose) await uploadPostmortem(deps, { incident, requestedBy: null });
    else await deps.afterCloseQueue.postmortemUpload(incident);
  }
  if (afterClose.feedbackEnabled && afterClose.feedbackDelayMs === 0) await askForFeedback(deps, incident);
}

export interface AfterCloseScan {
  followUps: FollowUpReminderScan;
  feedback: { asked: number; failed: number };
}

/** One scan: the daily reminders of overdue follow-ups, and feedback forms whose delay has passed. */
export async function afterCloseScan(deps: FollowUpDependencies & FeedbackDependencies): Promise<AfterCloseScan> {
  return { followUps: await remindOverdueFollowUps(deps), feedback: await askDueFeedback(deps) };
}
