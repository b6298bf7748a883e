import { type IncidentPolicy, IncidentService } from '../../incidents/incidentService';
import { ParticipantService } from '../../incidents/participants';
import { type ReminderIntervals, ReminderService } from '../../incidents/reminders';
import { StatusReportService } from '../../incidents/reports';
import { ResourceService, type ResourceTemplates } from '../../incidents/resources';
import { TaskService } from '../../incidents/tasks';
import { TimelineService } from '../../incidents/timeline';
import { OncallEngagements } from '../../oncall/engagements';
import { Store } from '../../store';
import { ManualClock } from './clock';
import { type TestDatabase, testDatabase } from './database';

/** The domain as the app composes it, over a fresh database and a clock the test moves. */
export interface DomainFixture {
  store: Store;
  clock: ManualClock;
  incidents: IncidentService;
  participants: ParticipantService;
  reports: StatusReportService;
  reminders: ReminderService;
  tasks: TaskService;
  resources: ResourceService;
  timeline: TimelineService;
  oncallEngagements: OncallEngagements;
}

export interface DomainOptions {
  /** Where the clock starts (default 2026-11-28T09:00:00Z). */
  start?: Date | string;
  policy?: IncidentPolicy;
  /** The app's own user: never a participant. */
  appUserId?: string;
  templates?: Partial<ResourceTemplates>;
  reminderIntervals?: ReminderIntervals;
}

export const DEFAULT_POLICY: IncidentPolicy = { namePrefix: 'dispatch', types: ['Other'], priorities: ['Low', 'High'] };
const NO_TEMPLATES: ResourceTemplates = {
  conferenceUrlTemplate: null,
  documentUrlTemplate: null,
  ticketUrlTemplate: null,
  dashboardUrlTemplate: null,
};

/**
 * Registers beforeEach/afterEach that give every test a fresh store on `kind` (a new PostgreSQL
 * schema, or SQLite in memory), a ManualClock and every domain service over them, then close
 * and drop it all. `ready` runs after each setup: assign what the test file uses, or add data.
 */
export function useDomain(
  kind: 'sqlite' | 'postgres',
  options: DomainOptions,
  ready: (domain: DomainFixture) => void | Promise<void>,
): void {
  let database: TestDatabase;
  let store: Store | undefined;
  beforeEach(async () => {
    database = await testDatabase(kind);
    store = await Store.open(database.url);
    const clock = new ManualClock(options.start ?? '2026-11-28T09:00:00Z');
    await ready({
      store,
      clock,
      incidents: new IncidentService(store, clock, options.policy ?? DEFAULT_POLICY),
      participants: new ParticipantService(store, clock, options.appUserId ?? 'UBOT000001'),
      reports: new StatusReportService(store, clock),
      reminders: new ReminderService(store, clock, options.reminderIntervals ?? {}),
      tasks: new TaskService(store, clock),
      resources: new ResourceService(store, clock, { ...NO_TEMPLATES, ...options.templates }),
      timeline: new TimelineService(store, clock),
      oncallEngagements: new OncallEngagements(store, clock),
    });
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    await database.drop();
  });
}
