import type { Kysely } from 'kysely';
import type { Repositories, UnitOfWork } from '../incidents/ports';
import { type DialectName, migrateToLatest, openDatabase, ping } from './database';
import { ProcessedEventRepository } from './events';
import { KyselyIncidentRepository } from './incidents';
import { KyselyOncallEngagementRepository } from './oncall';
import { KyselyParticipantRepository } from './participants';
import { KyselyReminderRepository } from './reminders';
import { KyselyStatusReportRepository } from './reports';
import { KyselyResourceRepository } from './resources';
import type { Database } from './schema';
import { KyselyTaskRepository } from './tasks';
import { KyselyTimelineRepository } from './timeline';
import { WorkQueueRepository } from './workQueue';

/** The repositories over one connection or one transaction (the ports of incidents/ports.ts, plus the event ids). */
export class StoreRepositories implements Repositories {
  readonly incidents: KyselyIncidentRepository;
  readonly participants: KyselyParticipantRepository;
  readonly tasks: KyselyTaskRepository;
  readonly resources: KyselyResourceRepository;
  readonly reports: KyselyStatusReportRepository;
  readonly timeline: KyselyTimelineRepository;
  readonly processedEvents: ProcessedEventRepository;
  readonly reminders: KyselyReminderRepository;
  readonly oncallEngagements: KyselyOncallEngagementRepository;
  /** Durable background work; enqueued inside a transaction, it commits with the change. */
  readonly workQueue: WorkQueueRepository;

  constructor(readonly db: Kysely<Database>) {
    this.incidents = new KyselyIncidentRepository(db);
    this.participants = new KyselyParticipantRepository(db);
    this.tasks = new KyselyTaskRepository(db);
    this.resources = new KyselyResourceRepository(db);
    this.reports = new KyselyStatusReportRepository(db);
    this.timeline = new KyselyTimelineRepository(db);
    this.processedEvents = new ProcessedEventRepository(db);
    this.reminders = new KyselyReminderRepository(db);
    this.oncallEngagements = new KyselyOncallEngagementRepository(db);
    this.workQueue = new WorkQueueRepository(db);
  }
}

/**
 * The app's database: the domain's unit of work (incidents/ports.ts), health and shutdown.
 * Every query goes through a driver that turns unique violations into ConflictError.
 */
export class Store extends StoreRepositories implements UnitOfWork {
  private constructor(
    db: Kysely<Database>,
    readonly dialect: DialectName,
  ) {
    super(db);
  }

  /** Opens DATABASE_URL and brings its schema up to date. */
  static async open(url: string): Promise<Store> {
    const opened = openDatabase(url);
    try {
      await migrateToLatest(opened);
    } catch (error) {
      await opened.db.destroy();
      throw error;
    }
    return new Store(opened.db, opened.dialect);
  }

  /** Runs `work` in one transaction: everything it writes lands together or not at all. */
  transaction<T>(work: (repositories: StoreRepositories) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => work(new StoreRepositories(trx)));
  }

  ping(): Promise<boolean> {
    return ping(this.db);
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}
