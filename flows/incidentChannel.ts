import type { Incident, StatusReport } from '../incidents/model';
import {
  incidentAnnouncement,
  incidentPurpose,
  incidentSummary,
  incidentTopic,
  reporterNotice,
  setupFailureMessage,
} from '../slack/blocks/incident';
import { statusReportButton } from '../slack/blocks/statusReport';
import { timelineButton } from '../slack/blocks/timeline';
import { channelNameFromTemplate } from '../slack/channelNames';
import type { FlowDependencies } from './dependencies';
import { attachTemplatedResources } from './resources';
import { attemptStep, type StepFailure } from './steps';

/**
 * The incident channel as people see it: the channel itself, its topic and purpose, the pinned
 * summary and the announcements in SLACK_NOTIFICATION_CHANNELS. Each step is attempted on its
 * own, so one failure (a missing scope, an archived channel) does not stop the others; failures
 * come back in plain words, and nothing recorded is lost.
 */
export type IncidentChannelDependencies = Pick<
  FlowDependencies,
  'settings' | 'gateway' | 'users' | 'links' | 'logger' | 'incidents' | 'reports' | 'resources' | 'deferred'
>;

export interface RefreshOptions {
  /** Set the topic too (only when status, priority or commander changed: each change posts a system line). */
  topic?: boolean;
}

/** Setup and refresh steps never stop each other, whatever fails. */
function attempt(deps: IncidentChannelDependencies, step: string, failures: StepFailure[], work: () => Promise<void>): Promise<boolean> {
  return attemptStep(deps.logger, failures, step, work, { anyError: true });
}

/**
 * Sets up a reported incident in Slack. Safe to run again (the "Retry setup" button): what
 * exists already (channel, summary, announcements, bookmarks) is reused, not made twice.
 */
export async function setUpIncidentChannel(
  deps: IncidentChannelDependencies,
  incident: Incident,
): Promise<{ incident: Incident; failures: StepFailure[] }> {
  const { settings, gateway, incidents } = deps;
  const failures: StepFailure[] = [];
  let current = incident;
  if (!current.channelId) {
    const created = await attempt(deps, 'Creating the incident channel', failures, async () => {
      const name = channelNameFromTemplate(settings.incident.channelNameTemplate, {
        name: current.name,
        number: current.id,
        title: current.title,
        type: current.type,
        priority: current.priority,
      });
      const isPrivate = !(settings.incident.publicChannels && current.visibility === 'open');
      const channel = await gateway.createChannel(name, isPrivate);
      current = await incidents.recordSlackArtifacts(current.id, { channelId: channel.id, channelName: channel.name });
    });
    if (!created) {
      await tellReporter(deps, current, failures);
      return { incident: current, failures };
    }
  }
  const channelId = current.channelId as string;
  await attempt(deps, 'Inviting the reporter and the commander', failures, async () => {
    const outcome = await gateway.invite(channelId, [current.reporterId, current.commanderId ?? current.reporterId]);
    if (outcome.failed.length > 0) {
      throw outcome.failed[0].error;
    }
  });
  await attempt(deps, 'Setting the channel topic and purpose', failures, async () => {
    await gateway.setTopic(channelId, await topicOf(deps, current));
    await gateway.setPurpose(channelId, incidentPurpose(current));
  });
  // A retried setup may find a report already: read it once for the summary and the announcement.
  const latest = await deps.reports.latest(current.id);
  await attempt(deps, 'Posting and pinning the incident summary', failures, async () => {
    current = await upsertSummary(deps, current, latest);
  });
  await attempt(deps, 'Attaching the links from the URL templates', failures, () => attachTemplatedResources(deps, current));
  await attempt(deps, 'Announcing the incident', failures, () => syncAnnouncements(deps, current, latest));
  await tellReporter(deps, current, failures);
  return { incident: current, failures };
}

async function tellReporter(deps: IncidentChannelDependencies, incident: Incident, failures: StepFailure[]): Promise<void> {
  const message = failures.length > 0 ? setupFailureMessage(incident, failures) : reporterNotice(incident, deps.links);
  try {
    await deps.gateway.sendDirectMessage(incident.reporterId, message);
  } catch (error) {
    deps.logger.warn('could not send the reporter a direct message', {
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** Brings the summary, topic and announcements in line with the incident as recorded now. */
export async function refreshIncidentChannel(
  deps: IncidentChannelDependencies,
  incident: Incident,
  options: RefreshOptions = {},
): Promise<StepFailure[]> {
  const failures: StepFailure[] = [];
  const channelId = incident.channelId;
  const latest = await deps.reports.latest(incident.id);
  if (channelId) {
    await attempt(deps, 'Updating the pinned summary', failures, async () => {
      await upsertSummary(deps, incident, latest);
    });
    if (options.topic) {
      await attempt(deps, 'Updating the channel topic', failures, async () => {
        await deps.gateway.setTopic(channelId, await topicOf(deps, incident));
      });
    }
  }
  await attempt(deps, 'Updating the announcement', failures, () => syncAnnouncements(deps, incident, latest));
  return failures;
}

async function topicOf(deps: IncidentChannelDependencies, incident: Incident): Promise<string> {
  const commander = incident.commanderId ? await deps.users.profile(incident.commanderId) : null;
  return incidentTopic(incident, commander?.realName ?? null);
}

/** The summary's buttons beside the status ones: a status report while the incident is open, and the timeline. */
function summaryButtons(incident: Incident) {
  return [...(incident.status === 'closed' ? [] : [statusReportButton(incident)]), timelineButton(incident)];
}

/** Posts and pins the summary the first time, edits it in place afterwards. */
async function upsertSummary(deps: IncidentChannelDependencies, incident: Incident, latest: StatusReport | undefined): Promise<Incident> {
  const { gateway, incidents, links } = deps;
  const channelId = incident.channelId;
  if (!channelId) return incident;
  const message = incidentSummary(incident, links, {
    lastReportAt: latest?.createdAt ?? null,
    buttons: summaryButtons(incident),
    defaultType: deps.settings.incident.types[0],
  });
  if (incident.summaryTs) {
    await gateway.updateMessage(channelId, incident.summaryTs, message);
    return incident;
  }
  const ts = await gateway.postMessage(channelId, message);
  const updated = await incidents.recordSlackArtifacts(incident.id, { summaryTs: ts });
  await gateway.pin(channelId, ts);
  return updated;
}

/**
 * Open incidents are announced once per notification channel and then edited in place;
 * restricted ones are never announced, and an announcement is removed if one becomes restricted.
 */
async function syncAnnouncements(deps: IncidentChannelDependencies, incident: Incident, latest: StatusReport | undefined): Promise<void> {
  const { gateway, incidents, settings, links } = deps;
  const existing = await incidents.announcements(incident.id);
  if (incident.visibility === 'restricted') {
    for (const announcement of existing) {
      await gateway.deleteMessage(announcement.channelId, announcement.messageTs);
      await incidents.forgetAnnouncement(incident.id, announcement.channelId);
    }
    return;
  }
  if (settings.slack.notificationChannels.length === 0) return;
  const message = incidentAnnouncement(incident, links, { latestReport: latest ?? null });
  const problems: unknown[] = [];
  for (const channelId of settings.slack.notificationChannels) {
    const announcement = existing.find((candidate) => candidate.channelId === channelId);
    try {
      if (announcement) {
        await gateway.updateMessage(channelId, announcement.messageTs, message);
      } else if (incident.status !== 'closed') {
        const ts = await gateway.postMessage(channelId, message);
        await incidents.recordAnnouncement({ incidentId: incident.id, channelId, messageTs: ts });
      }
    } catch (error) {
      problems.push(error);
    }
  }
  if (problems.length > 0) throw problems[0];
}

/** The flows listeners may start from this module (bound to their dependencies by createFlows). */
export const flows = { retrySetup: setUpIncidentChannel };
