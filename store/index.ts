import type { Kysely } from 'kysely';
import { type IncidentEvent, type IncidentEventLog, noIncidentEvents } from '../incidents/incidentEvents';
import type { Repositories, UnitOfWork } from '../incidents/ports';
import { type DialectName, migrateToLatest, openDatabase, ping } from './database';
import { ProcessedEventRepository } from './events';
import { KyselyFeedbackRepository } from './feedback';
import { KyselyFollowerRepository } from './follows';
import { KyselyFollowUpRepository } from './followUps';
import { CachingIncidentRepository } from './incidentLookupCache';
import { KyselyIncidentRepository } from './incidents';
import { KyselyMetricsQueries } from './metrics';
import { KyselyOncallEngagementRepository } from './oncall';
import { KyselyParticipantRepository } from './participantRepository';
import type { DatabaseChanges } from './preparedStatements';
import { KyselyReminderRepository } from './reminders';
import { KyselyStatusReportRepository } from './reports';
import { KyselyResourceRepository } from './resources';
import type { Database } from './schema';
import { KyselySubmissionRepository } from './submissions';
import { KyselyTaskRepository } from './tasks';
import { KyselyTimelineRepository } from './timeline';
import { WorkQueueRepository } from './workQueue';

/**
 * Where the incident events of a unit of work go (the webhook outbox), given that unit of work's
 * repositories: whatever it writes commits or rolls back with the change.
 */
export type IncidentEventLogFactory = (repositories: StoreRepositories) => IncidentEventLog;

export interface StoreOptions {
  incidentEvents?: IncidentEventLogFactory;
}

/** The repositories over one connection or one transaction (the ports of incidents/ports.ts, plus the event ids). */
export class StoreRepositories implements Repositories {
  readonly events: IncidentEventLog;
  /** Events recorded through this unit of work, so its commit can tell whoever sends them. */
  eventsRecorded = 0;
  readonly incidents: KyselyIncidentRepository;
  readonly participants: KyselyParticipantRepository;
  readonly tasks: KyselyTaskRepository;
  readonly resources: KyselyResourceRepository;
  readonly reports: KyselyStatusReportRepository;
  readonly timeline: KyselyTimelineRepository;
  readonly processedEvents: ProcessedEventRepository;
  readonly reminders: KyselyReminderRepository;
  readonly oncallEngagements: KyselyOncallEngagementRepository;
  readonly followUps: KyselyFollowUpRepository;
  readonly feedback: KyselyFeedbackRepository;
  /** Read-only figures for App Home and the report export. */
  readonly metrics: KyselyMetricsQueries;
  readonly submissions: KyselySubmissionRepository;
  /** Durable background work; enqueued inside a transaction, it commits with the change. */
  readonly workQueue: WorkQueueRepository;
  readonly followers: KyselyFollowerRepository;

  constructor(
    readonly db: Kysely<Database>,
    incidentEvents?: IncidentEventLogFactory,
    /** Outside a transaction, where the engine can tell cheaply that nothing changed: lookups are remembered. */
    changes?: DatabaseChanges,
  ) {
    this.incidents = changes ? new CachingIncidentRepository(db, changes) : new KyselyIncidentRepository(db);
    this.participants = new KyselyParticipantRepository(db);
    this.tasks = new KyselyTaskRepository(db);
    this.resources = new KyselyResourceRepository(db);
    this.reports = new KyselyStatusReportRepository(db);
    this.timeline = new KyselyTimelineRepository(db);
    this.processedEvents = new ProcessedEventRepository(db);
    this.reminders = new KyselyReminderRepository(db);
    this.oncallEngagements = new KyselyOncallEngagementRepository(db);
    this.followUps = new KyselyFollowUpRepository(db);
    this.feedback = new KyselyFeedbackRepository(db);
    this.metrics = new KyselyMetricsQueries(db);
    this.submissions = new KyselySubmissionRepository(db);
    this.workQueue = new WorkQueueRepository(db);
    this.followers = new KyselyFollowerRepository(db);
    // Last: the log is built over the repositories above (the outbox enqueues into workQueue).
    const log = incidentEvents ? incidentEvents(this) : noIncidentEvents;
    this.events = {
      record: (event: IncidentEvent) => {
        this.eventsRecorded += 1;
        return log.record(event);
      },
    };
  }
}

/**
 * The app's database: the domain's unit of work (incidents/ports.ts), health and shutdown.
 * Every query goes through a driver that turns unique violations into ConflictError.
 */
export class Store extends StoreRepositories implements UnitOfWork {
  private readonly committedListeners = new Set<() => void>();

  private constructor(
    db: Kysely<Database>,
    readonly dialect: DialectName,
    private readonly options: StoreOptions,
    changes: DatabaseChanges | undefined,
  ) {
    super(db, options.incidentEvents, changes);
  }

  /** Opens DATABASE_URL and brings its schema up to date. */
  static async open(url: string, options: StoreOptions = {}): Promise<Store> {
    const opened = openDatabase(url);
    try {
      await migrateToLatest(opened);
    } catch (error) {
      await opened.db.destroy();
      throw error;
    }
    return new Store(opened.db, opened.dialect, options, opened.changes);
  }

  /** Runs `work` in one transaction: everything it writes lands together or not at all. */
  async transaction<T>(work: (repositories: StoreRepositories) => Promise<T>): Promise<T> {
    let repositories: StoreRepositories | undefined;
    const result = await this.db.transaction().execute((trx) => {
      repositories = new StoreRepositories(trx, this.options.incidentEvents);
      return work(repositories);
    });
    if (repositories && repositories.eventsRecorded > 0) for (const listener of this.committedListeners) listener();
    return result;
  }

  /** Calls `listener` after each commit that recorded incident events (to send them without waiting for a poll). */
  onEventsCommitted(listener: () => void): void {
    this.committedListeners.add(listener);
  }

  ping(): Promise<boolean> {
    return ping(this.db);
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}
