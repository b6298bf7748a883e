import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type CustomRoute, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { RetryOptions } from '@slack/web-api';
import { effectiveWarnings, type SettingProblem, type Settings } from '../config';
import { createFlows, type FlowDependencies } from '../flows';
import type { AfterCloseScan } from '../flows/afterClose';
import { ParticipantListCache } from '../flows/participantListCache';
import type { ReminderScanResult } from '../flows/statusReportReminders';
import { type Clock, systemClock } from '../incidents/clock';
import { FeedbackService } from '../incidents/feedback';
import { FollowService } from '../incidents/follows';
import { FollowUpService } from '../incidents/followUps';
import { IncidentService } from '../incidents/incidentService';
import { MetricsService } from '../incidents/metrics';
import { ParticipantService } from '../incidents/participants';
import { IncidentRecords } from '../incidents/record';
import { ReminderService } from '../incidents/reminders';
import { StatusReportService } from '../incidents/reports';
import { ResourceService } from '../incidents/resources';
import { TaskService } from '../incidents/tasks';
import { TimelineService } from '../incidents/timeline';
import { eventListeners, registerRequestListeners } from '../listeners';
import { type AppLogger, createLogger, toBoltLogger } from '../logging/logger';
import { createOncallDirectory, type OncallDirectory, ScheduleFileError } from '../oncall';
import { OncallEngagements } from '../oncall/engagements';
import { ChartLinks } from '../reports/chartLinks';
import { SlackGateway } from '../slack/gateway';
import { WorkspaceLinks } from '../slack/links';
import { UserDirectory } from '../slack/userDirectory';
import { Store } from '../store';
import { openAckLane } from '../store/ackLane';
import { AfterCloseJob, afterCloseQueue, registerAfterCloseWork } from './afterCloseJob';
import { type BootCheckBudget, checkSlackToken, reportEffectiveSettings } from './bootCheck';
import { chartRoute } from './chartRoute';
import type { Dependencies } from './dependencies';
import { installErrorHandling } from './errorHandling';
import { EventLoopLag } from './eventLoopLag';
import { InFlightWork } from './inflight';
import { QueuedSlackWork, registerSlackWork, SetupRecovery } from './jobs/slackRetries';
import { WorkQueueWorker } from './jobs/workQueueWorker';
import { attachMetricSources, instrumentRequests, MeteredWebClient } from './metrics';
import { handleRequests, isOwnEvent } from './middleware';
import { probeRoutes, Readiness, trackSocketConnection } from './probes';
import { AfterAckWork } from './receiver/afterAck';
import { SlackEventInbox } from './receiver/eventInbox';
import { type EventDelivery, SlackHttpReceiver } from './receiver/slackHttpReceiver';
import { InboxSocketModeReceiver } from './receiver/socketModeInbox';
import { storedEventRunner } from './receiver/storedEvents';
import { ReminderJob } from './reminderJob';
import { RequestActivity } from './requestActivity';
import { FAILED_WEBHOOK_RETENTION_MS, setUpWebhookDelivery, webhookEventLog, webhookSecrets } from './webhooks';

/** Dispatch's documented paths; Bolt routes by payload, so each one takes any Slack payload. */
export const SLACK_ENDPOINTS = [
  '/api/v1/events/slack/event',
  '/api/v1/events/slack/command',
  '/api/v1/events/slack/action',
  '/api/v1/events/slack/menu',
];

/** Slack stops retrying an event within an hour; ids are kept a day, then forgotten. */
const PROCESSED_EVENT_RETENTION_MS = 24 * 3_600_000;
const HOUSEKEEPING_INTERVAL_MS = 3_600_000;
/** Three tries within about 3 s, then the caller decides (tell the person; retry durably). */
const SLACK_RETRY_BUDGET: RetryOptions = { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2_000, randomize: true };
const SLACK_CALL_TIMEOUT_MS = 8_000;

/** In-flight work gets this long at shutdown: inside the 10 s a supervisor waits after SIGTERM. */
const DRAIN_TIMEOUT_MS = 8_000;

export interface StartOptions {
  settings: Settings;
  logger?: AppLogger;
  clock?: Clock;
  /** Warnings from loading the settings (the entry point passes loadSettingsWithWarnings'); logged at boot. */
  settingWarnings?: SettingProblem[];
  /** How long the boot check may retry auth.test (tests shorten it). */
  bootCheckBudget?: BootCheckBudget;
  /** How old an incident without a finished setup must be before a replica resumes it (default 60 s). */
  setupRecoveryGraceMs?: number;
}

export interface RunningDispatch {
  /** The HTTP port actually listened on (PORT=0 picks a free one). */
  port: number | undefined;
  deps: Dependencies;
  /** Resolves when no request is still being worked on (after its ack). */
  idle(timeoutMs?: number): Promise<boolean>;
  /** Requests still being worked on (acked or not) and work items running, right now. */
  inFlight(): { requests: number; work: number };
  /** The status report reminder job; runOnce scans now (tests drive it with a ManualClock). */
  reminders: { runOnce(): Promise<ReminderScanResult> };
  /** Overdue follow-up reminders and delayed feedback forms; runOnce scans now. */
  afterClose: { runOnce(): Promise<AfterCloseScan> };
  /** Stops taking requests, finishes in-flight work, closes the store. */
  stop(): Promise<void>;
}

/**
 * Until requests being answered and the work they enqueued are both done: work can enqueue
 * more work and a request can start while work runs, so both are checked until they agree.
 */
async function allIdle(inflight: InFlightWork, work: WorkQueueWorker, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const remaining = () => Math.max(0, deadline - Date.now());
    if (!(await inflight.idle(remaining())) || !(await work.idle(remaining()))) return false;
    if (inflight.count === 0 && work.inFlight === 0) return true;
  }
}

/** The app could not reach a working state; the message says why, for a person. */
export class BootError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BootError';
  }
}

/** Headers must be in within this (Slack sends a whole request in well under a second). */
const HEADERS_TIMEOUT_MS = 3_000;
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** Slack's payloads are a few kilobytes; a modal's state stays far below this. */
const BODY_LIMIT_BYTES = 1024 * 1024;
/** The event loop this late means requests are waiting for it: background work then slows down. */
const BUSY_EVENT_LOOP_LAG_MS = 50;
/** A request within this long means more are coming: background work stays narrow meanwhile. */
const REQUESTS_ARRIVING_WINDOW_MS = 100;
/**
 * This many requests waiting for their acks at once is a burst (or a process falling behind):
 * background work yields until they are answered. One or two at a time is ordinary traffic.
 */
const BUSY_ACKS_WAITING = 4;
/** An event must be stored within this, or Slack is answered 503 and delivers it again. */
const ACK_BUDGET_MS = 2_000;

function createReceiver(
  settings: Settings,
  store: Store,
  logger: AppLogger,
  inbox: SlackEventInbox,
  afterAck: AfterAckWork,
  readiness: Readiness,
  requests: RequestActivity,
  extraRoutes: CustomRoute[] = [],
): Receiver {
  const acceptEvent = (delivery: EventDelivery) => inbox.accept(delivery).finally(requests.arrived());
  const boltLogger = toBoltLogger(logger, 'receiver');
  if (settings.slack.socketMode) {
    return new InboxSocketModeReceiver({
      acceptEvent,
      appLogger: logger,
      afterAck,
      appToken: settings.slack.appToken ?? '',
      logger: boltLogger,
      customRoutes: probeRoutes(store, readiness),
      // The app-level connection (apps.connections.open) goes to the same Web API as everything else.
      installerOptions: { port: settings.server.port, clientOptions: { slackApiUrl: settings.slack.apiUrl } },
      processEventErrorHandler: async ({ error }) => {
        if (error.name !== 'ReportedError') logger.error('request failed before reaching a listener', { error: error.message });
        return true;
      },
    });
  }
  return new SlackHttpReceiver({
    signingSecret: settings.slack.signingSecret,
    endpoints: SLACK_ENDPOINTS,
    port: settings.server.port,
    customRoutes: [...probeRoutes(store, readiness), ...extraRoutes],
    logger,
    boltLogger,
    limits: {
      headersTimeoutMs: Math.min(HEADERS_TIMEOUT_MS, settings.server.requestTimeoutMs),
      requestTimeoutMs: settings.server.requestTimeoutMs,
      keepAliveTimeoutMs: KEEP_ALIVE_TIMEOUT_MS,
      maxConnectionsPerClient: settings.server.maxConnectionsPerClient,
      bodyLimitBytes: BODY_LIMIT_BYTES,
    },
    acceptEvent,
    afterAck,
  });
}

/** config -> logger -> store -> Slack identity -> services -> Bolt app -> listeners -> listening. */
export async function startDispatch(options: StartOptions): Promise<RunningDispatch> {
  const { settings } = options;
  const clock = options.clock ?? systemClock;
  const logger =
    options.logger ??
    createLogger({
      level: settings.log.level,
      format: settings.log.format,
      secrets: [
        settings.slack.botToken,
        settings.slack.signingSecret,
        settings.slack.appToken,
        settings.oncall.pagerdutyApiToken,
        ...webhookSecrets(settings),
      ],
    });

  reportEffectiveSettings(logger, settings, options.settingWarnings ?? effectiveWarnings(settings));

  let oncall: OncallDirectory | null;
  try {
    oncall = createOncallDirectory(settings.oncall, clock);
  } catch (error) {
    if (error instanceof ScheduleFileError) throw new BootError(error.message, { cause: error });
    throw error;
  }

  // The database (opened and migrated) and Slack (the token checked) are asked at the same time:
  // neither needs the other, and a start waits for the slower one instead of both in turn. A
  // database that cannot be opened is still reported first.
  const tokenCheck = checkSlackToken(settings, logger, options.bootCheckBudget);
  tokenCheck.catch(() => undefined);
  const store = await Store.open(settings.database.url, { incidentEvents: webhookEventLog(settings) }).catch((error: unknown) => {
    throw new BootError(`The database at DATABASE_URL could not be opened: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  });

  let identity: Awaited<ReturnType<typeof checkSlackToken>>;
  try {
    identity = await tokenCheck;
  } catch (error) {
    await store.close();
    throw new BootError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const client = new MeteredWebClient(settings.slack.botToken, {
    slackApiUrl: settings.slack.apiUrl,
    logger: toBoltLogger(logger, 'web-api'),
    // A short budget: the person who acted hears within seconds when Slack is failing. What
    // still fails is retried durably by the work queue (server/jobs/slackRetries.ts).
    retryConfig: SLACK_RETRY_BUDGET,
    timeout: SLACK_CALL_TIMEOUT_MS,
  });
  const gateway = new SlackGateway(client, { userIdOverride: settings.slack.userIdOverride, botUserId: identity.userId });

  const inflight = new InFlightWork();
  const users = new UserDirectory(gateway, settings.slack.userCacheTtlMs, clock);
  const links = new WorkspaceLinks(settings.slack.workspaceName);
  const lag = new EventLoopLag().start();
  const requests = new RequestActivity();
  let requestsWaiting = () => 0;
  const work = new WorkQueueWorker({
    queue: store.workQueue,
    logger: logger.child({ component: 'work-queue' }),
    maxInFlight: settings.work.maxInFlight,
    leaseMs: settings.work.leaseMs,
    // Acks first: background work slows down while the loop is late, answered requests wait, or
    // several requests wait for their acks at once (the effects' CPU would be taken from them).
    busy: () => requestsWaiting() > 0 || lag.ms > BUSY_EVENT_LOOP_LAG_MS || requests.waiting >= BUSY_ACKS_WAITING,
    requestsArriving: () => requests.within(REQUESTS_ARRIVING_WINDOW_MS),
    // The database's own work runs in its own processes on PostgreSQL; on SQLite effects and acks
    // share one writer and one CPU, so there the acks always come first.
    maxLagMs: store.dialect === 'postgres' ? settings.work.maxLagMs : undefined,
  });
  const flowDependencies: FlowDependencies = {
    settings,
    logger,
    clock,
    gateway,
    users,
    links,
    botUserId: identity.userId,
    incidents: new IncidentService(store, clock, settings.incident),
    participants: new ParticipantService(store, clock, identity.userId),
    participantLists: new ParticipantListCache(),
    oncall,
    oncallEngagements: new OncallEngagements(store, clock),
    reports: new StatusReportService(store, clock),
    reminders: new ReminderService(store, clock, settings.incident.reportReminderIntervals),
    tasks: new TaskService(store, clock),
    resources: new ResourceService(store, clock, settings.incident),
    timeline: new TimelineService(store, clock),
    follows: new FollowService(store, clock),
    deferred: new QueuedSlackWork(store.workQueue, undefined, () => work.wake()),
    followUps: new FollowUpService(store, clock),
    feedback: new FeedbackService(store, clock, identity.userId),
    metrics: new MetricsService(store.metrics, clock, settings.incident),
    records: new IncidentRecords(store),
    chartLinks: settings.server.publicUrl
      ? new ChartLinks(settings.slack.signingSecret, settings.server.publicUrl, settings.afterClose.chartLinkTtlMs)
      : null,
    afterCloseQueue: afterCloseQueue(store.workQueue, work),
  };
  const deps: Dependencies = {
    ...flowDependencies,
    store,
    work,
    flows: createFlows(flowDependencies),
  };
  registerAfterCloseWork(work, flowDependencies);

  const ackLane = openAckLane(settings.database.url, store.dialect, store.db, ACK_BUDGET_MS);
  const inbox = new SlackEventInbox({
    ackLane: ackLane.queue,
    worker: deps.work,
    logger,
    ignore: (body) => isOwnEvent(body, settings.slack.appUserSlug, identity.userId),
    ackBudgetMs: ACK_BUDGET_MS,
  });
  const afterAck = new AfterAckWork(
    { maxRunning: Math.max(1, settings.work.maxRequestsAfterAck), maxWaiting: settings.work.maxRequestsWaitingAfterAck },
    store.workQueue,
    deps.work,
    logger,
    () => lag.ms > BUSY_EVENT_LOOP_LAG_MS,
    (responseUrl, message) => gateway.respond(responseUrl, message),
  );
  requestsWaiting = () => afterAck.load.waiting;
  const chartRoutes = flowDependencies.chartLinks ? [chartRoute(flowDependencies, flowDependencies.chartLinks)] : [];
  const readiness = new Readiness();
  readiness.botUserId = identity.userId;
  const receiver = createReceiver(settings, store, logger, inbox, afterAck, readiness, requests, chartRoutes);
  if (receiver instanceof SocketModeReceiver) trackSocketConnection(receiver.client, readiness);
  const app = new App({
    receiver,
    token: settings.slack.botToken,
    botId: identity.botId ?? undefined,
    botUserId: identity.userId,
    logger: toBoltLogger(logger),
    clientOptions: { slackApiUrl: settings.slack.apiUrl, retryConfig: SLACK_RETRY_BUDGET, timeout: SLACK_CALL_TIMEOUT_MS },
    extendedErrorHandler: true,
    // Neither is used, and each is a global middleware every request runs: the app keeps no
    // conversation state, and handleRequests (below, and the inbox before it) already skips
    // the app's own events, more completely than Bolt's ignoreSelf.
    convoStore: false,
    ignoreSelf: false,
  });
  // Both receivers store events and acknowledge them themselves (the HTTP one is timed there).
  instrumentRequests(app, { eventsObservedByReceiver: true, onRequest: () => requests.arrived() });
  const detachMetrics = attachMetricSources({
    incidentsByStatus: () => store.incidents.countByStatus(),
    requestsInFlight: () => inflight.count,
  });
  app.use(
    handleRequests({
      inflight,
      gateway,
      logger,
      appId: settings.slack.appUserSlug,
      botUserId: identity.userId,
      ackUnhandled: !settings.slack.socketMode,
    }),
  );
  installErrorHandling(app, gateway, logger);
  // Listeners get the flows and read-only domain services, never the store or the gateway.
  const { incidents, participants, reports, tasks, resources, flows } = deps;
  const listenerDependencies = {
    settings,
    logger,
    links,
    botUserId: identity.userId,
    incidents,
    participants,
    reports,
    tasks,
    resources,
    oncall,
    followUps: flowDependencies.followUps,
    feedback: flowDependencies.feedback,
    flows,
  };
  // Events never reach this app: both receivers store them and answer Slack themselves.
  registerRequestListeners(app, listenerDependencies);
  // Stored events go straight to the Events API listeners (no Bolt app: Slack was answered
  // when they were stored), in a request's log context and counted in flight.
  inbox.attach(
    storedEventRunner({
      routes: eventListeners(listenerDependencies),
      inflight,
      logger,
      isOwnEvent: (body) => isOwnEvent(body, settings.slack.appUserSlug, identity.userId),
    }),
  );
  // Commands and interactions whose work after the ack was stored run through the request app.
  afterAck.attach(app);

  const started = await app.start(settings.server.port);
  const port = settings.slack.socketMode ? undefined : ((started as Server).address() as AddressInfo).port;

  const housekeeping = setInterval(() => {
    store.processedEvents
      .prune(new Date(clock.now().getTime() - PROCESSED_EVENT_RETENTION_MS))
      .catch((error: unknown) => logger.warn('could not prune processed event ids', { error: String(error) }));
    store.submissions
      .prune(new Date(clock.now().getTime() - PROCESSED_EVENT_RETENTION_MS))
      .catch((error: unknown) => logger.warn('could not prune submission keys', { error: String(error) }));
    // Finished work keeps its dedupe key as long as an event id is remembered.
    store.workQueue
      .prune(new Date(Date.now() - PROCESSED_EVENT_RETENTION_MS), new Date(Date.now() - FAILED_WEBHOOK_RETENTION_MS))
      .catch((error: unknown) => logger.warn('could not prune finished work items', { error: String(error) }));
  }, HOUSEKEEPING_INTERVAL_MS);
  housekeeping.unref();
  const reminders = new ReminderJob(flowDependencies, settings.incident.reminderCheckIntervalMs);
  reminders.start();
  const webhooks = setUpWebhookDelivery({ settings, work: deps.work, gateway, store, logger });
  const afterClose = new AfterCloseJob(flowDependencies, settings.afterClose.checkIntervalMs);
  afterClose.start();
  registerSlackWork(deps.work, flowDependencies);
  deps.work.start();
  const setupRecovery = new SetupRecovery(flowDependencies, { graceMs: options.setupRecoveryGraceMs });
  setupRecovery.start();

  logger.info('dispatch for slack is running', {
    mode: settings.slack.socketMode ? 'socket' : 'http',
    port,
    database: store.dialect,
    botUserId: identity.userId,
  });

  let stopping: Promise<void> | undefined;
  return {
    port,
    deps,
    idle: (timeoutMs) => allIdle(inflight, deps.work, timeoutMs),
    inFlight: () => ({ requests: inflight.count, work: deps.work.inFlight }),
    reminders,
    afterClose,
    stop() {
      stopping ??= (async () => {
        readiness.draining = true;
        clearInterval(housekeeping);
        await reminders.stop();
        setupRecovery.stop();
        await afterClose.stop();
        // Socket Mode: Bolt's stop() does not wait for the WebSocket to close; the client's disconnect() does.
        if (receiver instanceof SocketModeReceiver) await receiver.client.disconnect();
        await app.stop().catch((error: unknown) => logger.warn('receiver did not stop cleanly', { error: String(error) }));
        const finished = await inflight.idle(DRAIN_TIMEOUT_MS);
        if (!finished) logger.warn('stopped with work still in flight', { running: inflight.count });
        await deps.work.stop(25_000);
        lag.stop();
        await ackLane.close();
        await webhooks.close();
        detachMetrics();
        await store.close();
        await gateway.close();
        logger.info('dispatch for slack stopped');
      })();
      return stopping;
    },
  };
}
