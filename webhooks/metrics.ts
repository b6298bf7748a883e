import { Counter, register } from 'prom-client';

/**
 * Webhook metrics in prom-client's default registry (served at /metrics). Looked up before they
 * are created, so several app instances in one process (tests) share them.
 */
function counter(name: string, help: string, labelNames: string[]): Counter<string> {
  return (register.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help, labelNames });
}

export interface WebhookMetrics {
  /** One per delivery that ended: delivered, or failed (refused, or out of retries). */
  deliveries: Counter<string>;
  /** One per attempt, by what came of it: delivered, rejected, timeout, network, server_error, request_timeout, rate_limited. */
  attempts: Counter<string>;
}

let metrics: WebhookMetrics | undefined;

export function webhookMetrics(): WebhookMetrics {
  metrics ??= {
    deliveries: counter('dispatch_webhook_deliveries_total', 'Webhook deliveries that ended, by outcome (delivered, failed)', ['outcome']),
    attempts: counter('dispatch_webhook_attempts_total', 'Webhook delivery attempts, by result', ['result']),
  };
  return metrics;
}
