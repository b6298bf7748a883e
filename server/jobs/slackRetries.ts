import type { KnownBlock } from '@slack/types';
import type { DeferredSlackWork } from '../../flows/deferredSlack';
import type { FlowDependencies } from '../../flows/dependencies';
import { refreshIncidentChannel, setUpIncidentChannel } from '../../flows/incidentChannel';
import { listParticipants } from '../../flows/roles';
import { postAndPinReport } from '../../flows/statusReports';
import type { StepFailure } from '../../flows/steps';
import type { SlackMessage } from '../../slack/blocks/message';
import { isTransientSlackError } from '../../slack/errors';
import type { JsonValue, WorkEnqueuer } from '../../store/workQueue';
import { PermanentWorkError, type WorkQueueWorker } from './workQueueWorker';

export const SLACK_RESYNC = 'slack.incident_resync';
export const SLACK_POST = 'slack.post';
export const SLACK_STATUS_REPORT_POST = 'slack.status_report_post';
/** Stored only by earlier versions (see its handler below). */
export const SLACK_PARTICIPANT_LIST = 'slack.participant_list';
export const SLACK_DIRECT_MESSAGE = 'slack.direct_message';

/** Slack outages last minutes, not days: retries back off to 5 minutes and give up after about a day. */
const RETRIES = { maxAttempts: 300, retryBaseMs: 2_000, retryMaxMs: 300_000 };
/** A resync soon after the failure, but not while the interactive request may still be finishing. */
const RESYNC_DELAY_MS = 2_000;

const isRecord = (value: JsonValue): value is { [key: string]: JsonValue } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function numberField(payload: JsonValue, field: string): number {
  const value = isRecord(payload) ? payload[field] : undefined;
  if (typeof value !== 'number') throw new PermanentWorkError(`the work item has no ${field}`);
  return value;
}

function stringField(payload: JsonValue, field: string): string {
  const value = isRecord(payload) ? payload[field] : undefined;
  if (typeof value !== 'string') throw new PermanentWorkError(`the work item has no ${field}`);
  return value;
}

/** The deferred Slack work of flows/deferredSlack.ts, as items in the durable work queue. */
export class QueuedSlackWork implements DeferredSlackWork {
  constructor(
    private readonly queue: WorkEnqueuer,
    private readonly now: () => Date = () => new Date(),
    /** Tells the worker there is new work (it does not look after every finished item). */
    private readonly enqueued: () => void = () => undefined,
  ) {}

  async resync(incidentId: number): Promise<void> {
    const now = this.now();
    await this.queue.enqueue({
      kind: SLACK_RESYNC,
      payload: { incidentId },
      // One resync per incident and minute is plenty: each brings everything in line.
      dedupeKey: `${incidentId}:${Math.floor(now.getTime() / 60_000)}`,
      orderingKey: `slack:incident:${incidentId}`,
      runAfter: new Date(now.getTime() + RESYNC_DELAY_MS),
    });
    this.enqueued();
  }

  async post(channelId: string, message: SlackMessage): Promise<void> {
    const payload: JsonValue = { channelId, text: message.text, blocks: JSON.parse(JSON.stringify(message.blocks ?? [])) as JsonValue };
    await this.queue.enqueue({ kind: SLACK_POST, payload, orderingKey: `slack:channel:${channelId}` });
    this.enqueued();
  }

  async directMessage(userId: string, message: SlackMessage, key: string): Promise<void> {
    const payload: JsonValue = { userId, text: message.text, blocks: JSON.parse(JSON.stringify(message.blocks ?? [])) as JsonValue };
    await this.queue.enqueue({ kind: SLACK_DIRECT_MESSAGE, payload, dedupeKey: key, orderingKey: `slack:dm:${userId}` });
    this.enqueued();
  }

  async postStatusReport(incidentId: number, reportId: number): Promise<void> {
    await this.queue.enqueue({
      kind: SLACK_STATUS_REPORT_POST,
      payload: { incidentId, reportId },
      dedupeKey: String(reportId),
      orderingKey: `slack:incident:${incidentId}`,
    });
    this.enqueued();
  }
}

/** A step failure the queue should retry (Slack not answering), or the end of it (a refusal). */
function retryOrStop(failures: StepFailure[], what: string): void {
  const transient = failures.filter((failure) => failure.transient);
  if (transient.length > 0) throw new Error(`${what}: ${transient.map((failure) => `${failure.step} (${failure.problem})`).join('; ')}`);
}

function rethrow(error: unknown): never {
  if (isTransientSlackError(error)) throw error;
  throw new PermanentWorkError(error instanceof Error ? error.message : String(error), { cause: error });
}

type SlackWorkDependencies = Pick<
  FlowDependencies,
  | 'settings'
  | 'gateway'
  | 'users'
  | 'links'
  | 'logger'
  | 'incidents'
  | 'reports'
  | 'resources'
  | 'deferred'
  | 'participants'
  | 'participantLists'
>;

/** The handlers of the deferred Slack work, registered on every replica's worker. */
export function registerSlackWork(worker: WorkQueueWorker, deps: SlackWorkDependencies): void {
  worker.register(
    SLACK_RESYNC,
    async (payload) => {
      const incident = await deps.incidents.get(numberField(payload, 'incidentId'));
      if (!incident) return;
      if (!incident.channelId || !incident.summaryTs) {
        const { failures } = await setUpIncidentChannel(deps, incident);
        retryOrStop(failures, `setting up ${incident.name}`);
        deps.logger.info('incident setup completed in the background', { incident: incident.name });
        return;
      }
      retryOrStop(await refreshIncidentChannel(deps, incident, { topic: true }), `refreshing ${incident.name}`);
    },
    RETRIES,
  );
  worker.register(
    SLACK_POST,
    async (payload) => {
      if (!isRecord(payload) || typeof payload.channelId !== 'string' || typeof payload.text !== 'string') {
        throw new PermanentWorkError('the work item is not a message');
      }
      const blocks = Array.isArray(payload.blocks) ? (payload.blocks as unknown as KnownBlock[]) : undefined;
      await deps.gateway.postMessage(payload.channelId, { text: payload.text, blocks }).catch(rethrow);
    },
    RETRIES,
  );
  worker.register(
    SLACK_DIRECT_MESSAGE,
    async (payload) => {
      if (!isRecord(payload) || typeof payload.userId !== 'string' || typeof payload.text !== 'string') {
        throw new PermanentWorkError('the work item is not a direct message');
      }
      const blocks = Array.isArray(payload.blocks) ? (payload.blocks as unknown as KnownBlock[]) : undefined;
      // Slack refusing this person (a deactivated account) ends it; Slack not answering retries it.
      await deps.gateway.sendDirectMessage(payload.userId, { text: payload.text, blocks }).catch(rethrow);
    },
    RETRIES,
  );
  worker.register(
    SLACK_STATUS_REPORT_POST,
    async (payload) => {
      const incidentId = numberField(payload, 'incidentId');
      const [incident, report] = await Promise.all([
        deps.incidents.get(incidentId),
        deps.reports.find(incidentId, numberField(payload, 'reportId')),
      ]);
      if (!incident || !report || report.messageTs) return;
      await postAndPinReport(deps, incident, report).catch(rethrow);
    },
    RETRIES,
  );
  // Kept for items an earlier version stored (WORK_MAX_REQUESTS_IN_MEMORY, removed): a database
  // upgraded with some waiting still answers them. Nothing enqueues this kind any more: a list
  // past the bound is stored as its whole request (server/receiver/afterAck.ts). They are not
  // migrated to that kind, as one holds only the incident and response_url, not the request a
  // replay needs; and a response_url lasts 30 minutes, so the handler can go in a later version.
  // One attempt: a response_url whose post failed is not posted to again.
  worker.register(
    SLACK_PARTICIPANT_LIST,
    async (payload) => {
      const responseUrl = stringField(payload, 'responseUrl');
      const incident = await deps.incidents.get(numberField(payload, 'incidentId'));
      if (!incident) return;
      await listParticipants(deps, { incident, reply: (message) => deps.gateway.respond(responseUrl, message) });
    },
    { maxAttempts: 1 },
  );
}

/**
 * Finds incidents whose setup was cut off (the process was killed between recording the
 * incident and finishing its channel) and hands them to the queue: at start and every minute,
 * on every replica; the queue's dedupe keeps it to one setup per incident.
 */
export class SetupRecovery {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: Pick<FlowDependencies, 'incidents' | 'deferred' | 'logger' | 'clock'>,
    private readonly options: { graceMs?: number; intervalMs?: number } = {},
  ) {}

  async runOnce(): Promise<number> {
    const before = new Date(this.deps.clock.now().getTime() - (this.options.graceMs ?? 60_000));
    const unfinished = await this.deps.incidents.listUnfinishedSetups(before);
    for (const incident of unfinished) {
      this.deps.logger.warn('resuming an incident setup that was cut off', { incident: incident.name });
      await this.deps.deferred.resync(incident.id);
    }
    return unfinished.length;
  }

  start(): void {
    const run = () => {
      this.runOnce().catch((error: unknown) => this.deps.logger.warn('could not look for unfinished setups', { error: String(error) }));
    };
    run();
    this.timer = setInterval(run, this.options.intervalMs ?? 60_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
