import type { Settings } from '../config';
import type { Clock } from '../incidents/clock';
import type { FollowService } from '../incidents/follows';
import type { ParticipantService } from '../incidents/participants';
import type { ReminderService } from '../incidents/reminders';
import type { StatusReportService } from '../incidents/reports';
import type { ResourceService } from '../incidents/resources';
import type { IncidentService } from '../incidents/service';
import type { TaskService } from '../incidents/tasks';
import type { TimelineService } from '../incidents/timeline';
import type { AppLogger } from '../logging/logger';
import type { OncallDirectory } from '../oncall';
import type { OncallEngagements } from '../oncall/engagements';
import type { SlackGateway } from '../slack/gateway';
import type { WorkspaceLinks } from '../slack/links';
import type { IncidentPresence } from '../slack/presence';
import type { UserDirectory } from '../slack/userDirectory';
import type { Store } from '../store';
import type { WorkQueueWorker } from './jobs/workQueueWorker';

/** What listeners are given: settings, the domain services, and the one Slack gateway. */
export interface Dependencies {
  settings: Settings;
  logger: AppLogger;
  clock: Clock;
  store: Store;
  gateway: SlackGateway;
  users: UserDirectory;
  links: WorkspaceLinks;
  /** The app's own bot user (from auth.test): never a participant, never invited. */
  botUserId: string;
  incidents: IncidentService;
  /** Who takes part in each incident, and their roles. */
  participants: ParticipantService;
  /** The incident's channel, summary, topic and announcements. */
  presence: IncidentPresence;
  /** The on-call provider ONCALL_PROVIDER names, with its cached service list; null when it is `none`. */
  oncall: OncallDirectory | null;
  oncallEngagements: OncallEngagements;
  /** Status reports and their reminders. */
  reports: StatusReportService;
  reminders: ReminderService;
  tasks: TaskService;
  resources: ResourceService;
  timeline: TimelineService;
  /**
   * Durable background work: register a handler per kind (before start), enqueue through
   * store.workQueue (inside the change's transaction), then wake() to run it without waiting
   * for the next poll.
   */
  work: WorkQueueWorker;
  /** People who get an incident's updates by DM without joining its channel. */
  follows: FollowService;
}
