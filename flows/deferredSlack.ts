import type { Incident } from '../incidents/model';
import type { SlackMessage, StepFailure } from '../slack/blocks/message';

/**
 * Slack work that failed because Slack was not answering, handed to the durable work queue so
 * it happens later, on whichever replica, after restarts too. Interactive requests keep a short
 * retry budget (the person is told within seconds); this is where the long retrying happens.
 */
export interface DeferredSlackWork {
  /**
   * Brings the incident's Slack side in line with its record, until Slack accepts it: creates
   * the channel and the rest of the setup when there is none yet, otherwise the pinned summary,
   * topic and announcements.
   */
  resync(incidentId: number): Promise<void>;
  /** Posts the message in the channel later, until Slack accepts it. */
  post(channelId: string, message: SlackMessage): Promise<void>;
  /** Posts and pins a recorded status report later (unless it was posted meanwhile). */
  postStatusReport(incidentId: number, reportId: number): Promise<void>;
  /**
   * Sends a direct message from the queue, until Slack accepts it (a person's messages in the
   * order they were handed over). `key` names the message: the same key twice sends it once.
   */
  directMessage(userId: string, message: SlackMessage, key: string): Promise<void>;
}

/**
 * After the inline Slack steps of a recorded change: when any failed because Slack was not
 * answering, the incident is resynced later; a channel post that failed so is posted later.
 */
export async function deferFailedSteps(
  deferred: DeferredSlackWork,
  incident: Incident,
  failures: StepFailure[],
  failedPosts: Array<{ channelId: string; message: SlackMessage }> = [],
): Promise<void> {
  if (!failures.some((failure) => failure.transient)) return;
  for (const post of failedPosts) await deferred.post(post.channelId, post.message);
  await deferred.resync(incident.id);
}
