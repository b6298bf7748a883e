import type { Kysely } from 'kysely';
import { type DialectName, migrateToLatest, openDatabase, ping } from './database';
import { ProcessedEventRepository } from './events';
import { FollowerRepository } from './follows';
import { IncidentRepository } from './incidents';
import { OncallEngagementRepository } from './oncall';
import { ParticipantRepository } from './participants';
import { ReminderRepository } from './reminders';
import { StatusReportRepository } from './reports';
import { ResourceRepository } from './resources';
import type { Database } from './schema';
import { TaskRepository } from './tasks';
import { TimelineRepository } from './timeline';
import { WorkQueueRepository } from './workQueue';

/** The repositories over one connection or one transaction. */
export class Repositories {
  readonly incidents: IncidentRepository;
  readonly participants: ParticipantRepository;
  readonly tasks: TaskRepository;
  readonly resources: ResourceRepository;
  readonly reports: StatusReportRepository;
  readonly timeline: TimelineRepository;
  readonly processedEvents: ProcessedEventRepository;
  readonly reminders: ReminderRepository;
  readonly oncallEngagements: OncallEngagementRepository;
  /** Durable background work; enqueued inside a transaction, it commits with the change. */
  readonly workQueue: WorkQueueRepository;
  readonly followers: FollowerRepository;

  constructor(readonly db: Kysely<Database>) {
    this.incidents = new IncidentRepository(db);
    this.participants = new ParticipantRepository(db);
    this.tasks = new TaskRepository(db);
    this.resources = new ResourceRepository(db);
    this.reports = new StatusReportRepository(db);
    this.timeline = new TimelineRepository(db);
    this.processedEvents = new ProcessedEventRepository(db);
    this.reminders = new ReminderRepository(db);
    this.oncallEngagements = new OncallEngagementRepository(db);
    this.workQueue = new WorkQueueRepository(db);
    this.followers = new FollowerRepository(db);
  }
}

/** The app's database: repositories, transactions, health and shutdown. */
export class Store extends Repositories {
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
  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => work(new Repositories(trx)));
  }

  ping(): Promise<boolean> {
    return ping(this.db);
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}
