import type { Settings } from '../config';
import type { AppLogger } from '../logging/logger';
import type { SlackGateway } from '../slack/gateway';
import { WorkspaceLinks } from '../slack/links';
import type { IncidentEventLogFactory, Store } from '../store';
import { WebhookClient } from '../webhooks/client';
import { webhookMetrics } from '../webhooks/metrics';
import { WebhookOutbox } from '../webhooks/outbox';
import { registerWebhookDelivery } from './jobs/webhookDelivery';
import type { WorkQueueWorker } from './jobs/workQueueWorker';

/** Failed deliveries stay listable and redeliverable this long. */
export const FAILED_WEBHOOK_RETENTION_MS = 30 * 86_400_000;

/** The webhook secrets, for the logger's redaction list. */
export function webhookSecrets(settings: Settings): Array<string | null> {
  return [settings.webhooks.secret, ...settings.webhooks.secrets];
}

/** Where the store sends incident events: the outbox, when any endpoint is configured. */
export function webhookEventLog(settings: Settings): IncidentEventLogFactory | undefined {
  const { endpoints } = settings.webhooks;
  if (endpoints.length === 0) return undefined;
  const links = new WorkspaceLinks(settings.slack.workspaceName);
  return (repositories) => new WebhookOutbox(repositories.workQueue, endpoints, (channelId) => links.channel(channelId));
}

/**
 * Webhook delivery in this replica: the work queue's `webhook` kind, sent with one undici client.
 * Registered even with no endpoint configured, so deliveries recorded before an endpoint was
 * removed end as failed (and listable) instead of waiting for a handler forever.
 */
export function setUpWebhookDelivery(options: {
  settings: Settings;
  work: WorkQueueWorker;
  gateway: SlackGateway;
  store: Store;
  logger: AppLogger;
}): { close(): Promise<void> } {
  const { settings, work, gateway, store } = options;
  const client = new WebhookClient(settings.webhooks.timeoutMs);
  // Registered now, so /metrics shows the counters (at 0) before the first delivery.
  webhookMetrics();
  registerWebhookDelivery(work, {
    webhooks: settings.webhooks,
    sender: client,
    logger: options.logger.child({ component: 'webhooks' }),
    now: () => new Date(),
    postMessage: (channelId, message) => gateway.postMessage(channelId, message),
    incidentName: async (incidentId) => (await store.incidents.findById(incidentId))?.name ?? null,
  });
  // Sent right after the commit that recorded them, rather than at the worker's next poll.
  store.onEventsCommitted(() => work.wake());
  return { close: () => client.close() };
}
