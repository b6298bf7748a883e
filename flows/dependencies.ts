import type { Settings } from '../config';
import type { Clock } from '../incidents/clock';
import type { IncidentService } from '../incidents/incidentService';
import type { ParticipantService } from '../incidents/participants';
import type { ReminderService } from '../incidents/reminders';
import type { StatusReportService } from '../incidents/reports';
import type { ResourceService } from '../incidents/resources';
import type { TaskService } from '../incidents/tasks';
import type { TimelineService } from '../incidents/timeline';
import type { AppLogger } from '../logging/logger';
import type { OncallDirectory } from '../oncall';
import type { OncallEngagements } from '../oncall/engagements';
import type { SlackGateway } from '../slack/gateway';
import type { WorkspaceLinks } from '../slack/links';
import type { UserDirectory } from '../slack/userDirectory';
import type { DeferredSlackWork } from './deferredSlack';

/**
 * Everything a flow may use: settings, the domain services and the one Slack gateway; never the
 * store. Each flow declares the few members it needs (`Pick<FlowDependencies, ...>`), so what a
 * flow can reach is in its signature.
 */
export interface FlowDependencies {
  settings: Settings;
  logger: AppLogger;
  clock: Clock;
  gateway: SlackGateway;
  users: UserDirectory;
  links: WorkspaceLinks;
  /** The app's own bot user (from auth.test): never a participant, never invited. */
  botUserId: string;
  incidents: IncidentService;
  /** Who takes part in each incident, and their roles. */
  participants: ParticipantService;
  /** The on-call provider ONCALL_PROVIDER names, with its cached service list; null when it is `none`. */
  oncall: OncallDirectory | null;
  oncallEngagements: OncallEngagements;
  /** Status reports and their reminders. */
  reports: StatusReportService;
  reminders: ReminderService;
  tasks: TaskService;
  resources: ResourceService;
  timeline: TimelineService;
  /** Slack work that failed because Slack was not answering, retried durably in the background. */
  deferred: DeferredSlackWork;
}
