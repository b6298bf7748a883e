import type { Button } from '@slack/types';
import type { Settings } from '../config';
import type { Incident, StatusReport } from '../incidents/model';
import type { IncidentService } from '../incidents/service';
import type { AppLogger } from '../logging/logger';
import type { Store } from '../store';
import {
  incidentAnnouncement,
  incidentPurpose,
  incidentSummary,
  incidentTopic,
  reporterNotice,
  setupFailureMessage,
} from './blocks/incident';
import { channelNameFromTemplate } from './channelNames';
import type { SlackGateway } from './gateway';
import type { WorkspaceLinks } from './links';
import { attemptStep, type StepFailure } from './steps';
import type { UserDirectory } from './userDirectory';

export interface PresenceDependencies {
  settings: Settings;
  store: Store;
  gateway: SlackGateway;
  users: UserDirectory;
  links: WorkspaceLinks;
  logger: AppLogger;
  incidents: IncidentService;
}

/** A step other features add to the setup of a new incident (attach resources, engage on-call...). */
export interface SetupStep {
  name: string;
  run(incident: Incident): Promise<void>;
}

/** Buttons other features add to the pinned summary. */
export type SummaryButtons = (incident: Incident) => Button[];

export interface RefreshOptions {
  /** Set the topic too (only when status, priority or commander changed: each change posts a system line). */
  topic?: boolean;
}

/**
 * What an incident looks like in Slack: its channel, topic, pinned summary and announcements.
 * Each step is attempted on its own, so one failure (a missing scope, an archived channel)
 * does not stop the others; failures come back in plain words, and nothing recorded is lost.
 */
export class IncidentPresence {
  private readonly setupSteps: SetupStep[] = [];
  private readonly summaryButtonSources: SummaryButtons[] = [];

  constructor(private readonly deps: PresenceDependencies) {}

  addSetupStep(step: SetupStep): void {
    this.setupSteps.push(step);
  }

  addSummaryButtons(source: SummaryButtons): void {
    this.summaryButtonSources.push(source);
  }

  /** Setup and refresh steps never stop each other, whatever fails. */
  private attempt(step: string, failures: StepFailure[], work: () => Promise<void>): Promise<boolean> {
    return attemptStep(this.deps.logger, failures, step, work, { anyError: true });
  }

  /**
   * Sets up a reported incident in Slack. Safe to run again (the "Retry setup" button): what
   * exists already (channel, summary, announcements) is reused, not made twice.
   */
  async setUp(incident: Incident): Promise<{ incident: Incident; failures: StepFailure[] }> {
    const { settings, gateway, incidents } = this.deps;
    const failures: StepFailure[] = [];
    let current = incident;
    if (!current.channelId) {
      const created = await this.attempt('Creating the incident channel', failures, async () => {
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
        await this.tellReporter(current, failures);
        return { incident: current, failures };
      }
    }
    const channelId = current.channelId as string;
    await this.attempt('Inviting the reporter and the commander', failures, async () => {
      const outcome = await gateway.invite(channelId, [current.reporterId, current.commanderId ?? current.reporterId]);
      if (outcome.failed.length > 0) {
        throw outcome.failed[0].error;
      }
    });
    await this.attempt('Setting the channel topic and purpose', failures, async () => {
      await gateway.setTopic(channelId, await this.topic(current));
      await gateway.setPurpose(channelId, incidentPurpose(current));
    });
    // A retried setup may find a report already: read it once for the summary and the announcement.
    const latest = await this.deps.store.reports.latest(current.id);
    await this.attempt('Posting and pinning the incident summary', failures, async () => {
      current = await this.upsertSummary(current, latest);
    });
    for (const step of this.setupSteps) {
      await this.attempt(step.name, failures, () => step.run(current));
    }
    await this.attempt('Announcing the incident', failures, () => this.syncAnnouncements(current, latest));
    await this.tellReporter(current, failures);
    return { incident: current, failures };
  }

  private async tellReporter(incident: Incident, failures: StepFailure[]): Promise<void> {
    const message = failures.length > 0 ? setupFailureMessage(incident, failures) : reporterNotice(incident, this.deps.links);
    try {
      await this.deps.gateway.sendDirectMessage(incident.reporterId, message);
    } catch (error) {
      this.deps.logger.warn('could not send the reporter a direct message', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** Brings the summary, topic and announcements in line with the incident as recorded now. */
  async refresh(incident: Incident, options: RefreshOptions = {}): Promise<StepFailure[]> {
    const failures: StepFailure[] = [];
    const channelId = incident.channelId;
    const latest = await this.deps.store.reports.latest(incident.id);
    if (channelId) {
      await this.attempt('Updating the pinned summary', failures, async () => {
        await this.upsertSummary(incident, latest);
      });
      if (options.topic) {
        await this.attempt('Updating the channel topic', failures, async () => {
          await this.deps.gateway.setTopic(channelId, await this.topic(incident));
        });
      }
    }
    await this.attempt('Updating the announcement', failures, () => this.syncAnnouncements(incident, latest));
    return failures;
  }

  private async topic(incident: Incident): Promise<string> {
    const commander = incident.commanderId ? await this.deps.users.profile(incident.commanderId) : null;
    return incidentTopic(incident, commander?.realName ?? null);
  }

  /** Posts and pins the summary the first time, edits it in place afterwards. */
  private async upsertSummary(incident: Incident, latest: StatusReport | undefined): Promise<Incident> {
    const { gateway, incidents, links } = this.deps;
    const channelId = incident.channelId;
    if (!channelId) return incident;
    const buttons = this.summaryButtonSources.flatMap((source) => source(incident));
    const message = incidentSummary(incident, links, {
      lastReportAt: latest?.createdAt ?? null,
      buttons,
      defaultType: this.deps.settings.incident.types[0],
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
  private async syncAnnouncements(incident: Incident, latest: StatusReport | undefined): Promise<void> {
    const { gateway, store, settings, links } = this.deps;
    const existing = await store.incidents.announcements(incident.id);
    if (incident.visibility === 'restricted') {
      for (const announcement of existing) {
        await gateway.deleteMessage(announcement.channelId, announcement.messageTs);
        await store.incidents.deleteAnnouncement(incident.id, announcement.channelId);
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
          await store.incidents.saveAnnouncement({ incidentId: incident.id, channelId, messageTs: ts });
        }
      } catch (error) {
        problems.push(error);
      }
    }
    if (problems.length > 0) throw problems[0];
  }
}
