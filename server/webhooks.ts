import type { Settings } from '../config';
import type { AppLogger } from '../logging/logger';
import type { SlackGateway } from '../slack/gateway';
import type { Store } from '../store';
import { WebhookClient } from '../webhooks/client';
import { registerWebhookDelivery } from './jobs/webhookDelivery';
import type { WorkQueueWorker } from './jobs/workQueueWorker';

/** Failed deliveries stay listable and redeliverable this long. */
export const FAILED_WEBHOOK_RETENTION_MS = 30 * 86_400_000;

/** The webhook secrets, for the logger's redaction list. */
export function webhookSecrets(settings: Settings): Array<string | null> {
  return [settings.webhooks.secret, ...settings.webhooks.secrets];
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
  registerWebhookDelivery(work, {
    webhooks: settings.webhooks,
    sender: client,
    logger: options.logger.child({ component: 'webhooks' }),
    now: () => new Date(),
    postMessage: (channelId, message) => gateway.postMessage(channelId, message),
    incidentName: async (incidentId) => (await store.incidents.findById(incidentId))?.name ?? null,
  });
  return { close: () => client.close() };
}
