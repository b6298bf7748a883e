import type { App, ReceiverEvent } from '@slack/bolt';
import { type WebAPICallResult, WebClient, WebClientEvent } from '@slack/web-api';
import { Counter, collectDefaultMetrics, Gauge, Histogram, register } from 'prom-client';
import type { IncidentStatus } from '../incidents/model';

/**
 * The app's Prometheus metrics, all in prom-client's default registry, which /metrics serves:
 * any module that registers a metric there (the work queue, webhooks) appears without wiring.
 * Each metric is looked up before it is created, so several app instances in one process
 * (the tests) share them instead of failing on a duplicate name.
 */
function existing<T>(name: string): T | undefined {
  return register.getSingleMetric(name) as T | undefined;
}

function counter(name: string, help: string, labelNames: string[] = []): Counter<string> {
  return existing<Counter<string>>(name) ?? new Counter({ name, help, labelNames });
}

/** Slack's 3 s ack deadline sits between the last two buckets that matter. */
const ACK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];

export interface AppMetrics {
  /** Slack requests received, by surface (command, event, block_actions, view_submission, ...). */
  requests: Counter<string>;
  /** Seconds from a request reaching the app to its ack, by surface. */
  ackSeconds: Histogram<string>;
  /** Requests still being worked on after their ack. */
  requestsInFlight: Gauge<string>;
  /** Slack Web API calls made, by method. */
  slackApiCalls: Counter<string>;
  /** Slack Web API calls that failed, by method and Slack's error code (or the HTTP/network failure). */
  slackApiErrors: Counter<string>;
  /** Slack Web API 429 answers, by method (the client waits and retries them). */
  slackApiRateLimited: Counter<string>;
  /** Incidents in the database, by status (read at each scrape). */
  incidents: Gauge<string>;
}

let metrics: AppMetrics | undefined;
/** Where the incident counts come from: the running app's store (the last started one, in tests). */
let countIncidents: (() => Promise<Record<IncidentStatus, number>>) | undefined;
/** The in-flight request counters of every running app in this process. */
const inFlightSources = new Set<() => number>();

export function appMetrics(): AppMetrics {
  if (metrics) return metrics;
  if (!existing('process_cpu_seconds_total')) collectDefaultMetrics();
  metrics = {
    requests: counter('dispatch_slack_requests_total', 'Slack requests received, by surface', ['surface']),
    ackSeconds:
      existing<Histogram<string>>('dispatch_slack_ack_seconds') ??
      new Histogram({
        name: 'dispatch_slack_ack_seconds',
        help: 'Seconds from a Slack request reaching the app to its ack, by surface',
        labelNames: ['surface'],
        buckets: ACK_BUCKETS,
      }),
    requestsInFlight:
      existing<Gauge<string>>('dispatch_slack_requests_in_flight') ??
      new Gauge({
        name: 'dispatch_slack_requests_in_flight',
        help: 'Slack requests still being worked on after their ack',
        collect() {
          let running = 0;
          for (const source of inFlightSources) running += source();
          this.set(running);
        },
      }),
    slackApiCalls: counter('dispatch_slack_api_calls_total', 'Slack Web API calls, by method', ['method']),
    slackApiErrors: counter('dispatch_slack_api_errors_total', 'Slack Web API calls that failed, by method and error', ['method', 'error']),
    slackApiRateLimited: counter('dispatch_slack_api_rate_limited_total', 'Slack Web API 429 answers, by method', ['method']),
    incidents:
      existing<Gauge<string>>('dispatch_incidents') ??
      new Gauge({
        name: 'dispatch_incidents',
        help: 'Incidents in the database, by status',
        labelNames: ['status'],
        async collect() {
          if (!countIncidents) return;
          try {
            const counts = await countIncidents();
            for (const [status, count] of Object.entries(counts)) this.set({ status }, count);
          } catch {
            // A scrape while the database is away keeps the last counts; /readyz says it is away.
          }
        },
      }),
  };
  return metrics;
}

/** The running app's sources for the gauges read at scrape time; returns the function that detaches them. */
export function attachMetricSources(sources: {
  incidentsByStatus: () => Promise<Record<IncidentStatus, number>>;
  requestsInFlight: () => number;
}): () => void {
  appMetrics();
  const counting = sources.incidentsByStatus;
  countIncidents = counting;
  inFlightSources.add(sources.requestsInFlight);
  return () => {
    inFlightSources.delete(sources.requestsInFlight);
    if (countIncidents === counting) countIncidents = undefined;
  };
}

/** What kind of Slack request a body is: its payload type, or "command" / "event". */
export function surfaceOf(body: unknown): string {
  if (typeof body !== 'object' || body === null) return 'unknown';
  const record = body as Record<string, unknown>;
  if (typeof record.command === 'string') return 'command';
  if (record.type === 'event_callback') return 'event';
  return typeof record.type === 'string' ? record.type : 'unknown';
}

/** Counts one Slack request now; call the returned function when it is acknowledged. */
export function observeRequest(surface: string): () => void {
  const { requests, ackSeconds } = appMetrics();
  requests.inc({ surface });
  const stopTimer = ackSeconds.startTimer({ surface });
  let acked = false;
  return () => {
    if (acked) return;
    acked = true;
    stopTimer();
  };
}

/**
 * Counts every request Slack sends and times its ack, whichever receiver delivers it to Bolt
 * (HTTP or Socket Mode): the clock starts when the receiver hands the request over. Events the
 * HTTP receiver stores and acknowledges itself are observed there (`observeRequest`) and are
 * skipped here, where the event inbox replays them later.
 */
export function instrumentRequests(
  app: App,
  options: {
    eventsObservedByReceiver: boolean;
    /** Told of each request it times; the function it returns is called once it is acked (or has ended unacked). */
    onRequest?: () => () => void;
  },
): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event: ReceiverEvent) => {
    const surface = surfaceOf(event.body);
    if (surface === 'event' && options.eventsObservedByReceiver) return processEvent(event);
    const answered = options.onRequest?.();
    const acked = observeRequest(surface);
    const ack = event.ack;
    const processed = processEvent({
      ...event,
      ack: (response) => {
        acked();
        answered?.();
        return ack(response);
      },
    });
    return answered ? processed.finally(answered) : processed;
  };
}

/** The method name in a Web API URL: https://slack.com/api/chat.postMessage -> chat.postMessage. */
function methodOfUrl(url: string): string {
  const path = url.split('?')[0] ?? url;
  return path.slice(path.lastIndexOf('/') + 1) || 'unknown';
}

/** The label for a failed call: Slack's error code, or what kind of failure it was. */
function errorLabel(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'unknown';
  const failure = error as { code?: unknown; data?: { error?: unknown } };
  if (typeof failure.data?.error === 'string') return failure.data.error;
  return typeof failure.code === 'string' ? failure.code.replace(/^slack_webapi_/, '') : 'unknown';
}

/** The Web API client, counting its calls, failures and 429s by method. */
export class MeteredWebClient extends WebClient {
  constructor(...args: ConstructorParameters<typeof WebClient>) {
    super(...args);
    const { slackApiRateLimited } = appMetrics();
    this.on(WebClientEvent.RATE_LIMITED, (_retryAfterSeconds: number, request: { url?: string }) => {
      slackApiRateLimited.inc({ method: methodOfUrl(request?.url ?? '') });
    });
  }

  override async apiCall(method: string, options?: Record<string, unknown>): Promise<WebAPICallResult> {
    const { slackApiCalls, slackApiErrors } = appMetrics();
    slackApiCalls.inc({ method });
    try {
      return await super.apiCall(method, options);
    } catch (error) {
      slackApiErrors.inc({ method, error: errorLabel(error) });
      throw error;
    }
  }
}
