import type { Settings } from '../config';
import type { Clock } from '../incidents/clock';
import type { FeedbackService } from '../incidents/feedback';
import type { FollowService } from '../incidents/follows';
import type { FollowUpService } from '../incidents/followUps';
import type { IncidentService } from '../incidents/incidentService';
import type { MetricsService } from '../incidents/metrics';
import type { Incident } from '../incidents/model';
import type { ParticipantService } from '../incidents/participants';
import type { IncidentRecords } from '../incidents/record';
import type { ReminderService } from '../incidents/reminders';
import type { StatusReportService } from '../incidents/reports';
import type { ResourceService } from '../incidents/resources';
import type { TaskService } from '../incidents/tasks';
import type { TimelineService } from '../incidents/timeline';
import type { AppLogger } from '../logging/logger';
import type { OncallDirectory } from '../oncall';
import type { OncallEngagements } from '../oncall/engagements';
import type { ChartLinks } from '../reports/chartLinks';
import type { SlackGateway } from '../slack/gateway';
import type { WorkspaceLinks } from '../slack/links';
import type { UserDirectory } from '../slack/userDirectory';
import type { DeferredSlackWork } from './deferredSlack';
import type { ParticipantListCache } from './participantListCache';

/** Durable after-close work: the composition enqueues it in the database; a worker runs it with retries. */
export interface AfterCloseQueue {
  /** The postmortem draft of this close goes to the channel (once per close). */
  postmortemUpload(incident: Incident): Promise<void>;
}

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
  /** The participant list last rendered per incident in this process, while its roster is unchanged. */
  participantLists: ParticipantListCache;
  /** The on-call provider ONCALL_PROVIDER names, with its cached service list; null when it is `none`. */
  oncall: OncallDirectory | null;
  oncallEngagements: OncallEngagements;
  /** Status reports and their reminders. */
  reports: StatusReportService;
  reminders: ReminderService;
  tasks: TaskService;
  resources: ResourceService;
  timeline: TimelineService;
  /** People who get an incident's updates by DM without joining its channel. */
  follows: FollowService;
  /** Follow-ups: tasks with an owner and a due day that outlive the incident. */
  followUps: FollowUpService;
  /** The feedback form after close. */
  feedback: FeedbackService;
  /** Incidents per week and time to stable/close, for the Home tab, the chart and the export. */
  metrics: MetricsService;
  /** An incident's whole record (the postmortem draft is written from it). */
  records: IncidentRecords;
  /** Signed App Home chart URLs; null without PUBLIC_URL (the Home tab shows a table then). */
  chartLinks: ChartLinks | null;
  /** Durable after-close work (the postmortem upload), retried by the work queue. */
  afterCloseQueue: AfterCloseQueue;
  /** Slack work that failed because Slack was not answering, retried durably in the background. */
  deferred: DeferredSlackWork;
}
