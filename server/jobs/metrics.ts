import { Counter, Gauge, register } from 'prom-client';

/**
 * The work queue's and the inbox's metrics, in prom-client's default registry (served at
 * /metrics). Looked up before created, so several app instances in one process (tests) share them.
 */
function counter(name: string, help: string, labelNames: string[] = []): Counter<string> {
  return (register.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help, labelNames });
}

function gauge(name: string, help: string, labelNames: string[] = []): Gauge<string> {
  return (register.getSingleMetric(name) as Gauge<string> | undefined) ?? new Gauge({ name, help, labelNames });
}

export interface WorkMetrics {
  inFlight: Gauge<string>;
  completed: Counter<string>;
  retried: Counter<string>;
  failed: Counter<string>;
  eventsAccepted: Counter<string>;
  eventsDeduplicated: Counter<string>;
  eventsRedelivered: Counter<string>;
  requestsDeferred: Counter<string>;
}

let metrics: WorkMetrics | undefined;

export function workMetrics(): WorkMetrics {
  metrics ??= {
    inFlight: gauge('dispatch_work_in_flight', 'Work items this process is running now', ['kind']),
    completed: counter('dispatch_work_completed_total', 'Work items finished', ['kind']),
    retried: counter('dispatch_work_retried_total', 'Work item attempts that failed and were scheduled again', ['kind']),
    failed: counter('dispatch_work_failed_total', 'Work items given up on after their last attempt', ['kind']),
    eventsAccepted: counter('dispatch_slack_events_accepted_total', 'Slack events stored in the inbox before the ack'),
    eventsDeduplicated: counter(
      'dispatch_slack_events_deduplicated_total',
      'Slack event deliveries acknowledged without effect because the event was already in the inbox',
    ),
    eventsRedelivered: counter('dispatch_slack_events_retried_total', 'Slack event deliveries that were retries (x-slack-retry-num)'),
    requestsDeferred: counter(
      'dispatch_slack_requests_deferred_total',
      'Acknowledged requests whose remaining work was stored in the work queue because too many were running after their ack',
    ),
  };
  return metrics;
}
