import { randomUUID } from 'node:crypto';
import type { WebhookEndpointSetting } from '../config/webhooks';
import type { IncidentEvent, IncidentEventLog } from '../incidents/incidentEvents';
import type { WorkEnqueuer } from '../store/workQueue';
import { buildPayload } from './payloads';

/** The work queue kind of one webhook delivery (one event to one endpoint). */
export const WEBHOOK_WORK_KIND = 'webhook';

/** A delivery as the work queue keeps it: everything needed to send it again, except the secret. */
export interface WebhookJob {
  eventId: string;
  eventType: string;
  incidentId: number;
  url: string;
  /** The exact JSON that is signed and sent, on every attempt and redelivery. */
  body: string;
  /** Set by a redelivery: the retry window counts from here instead of from when it was recorded. */
  retryWindowStartedAt?: string;
}

/** Whether `endpoint` takes this event: its type filter, and restricted incidents only when opted in. */
export function endpointWants(endpoint: WebhookEndpointSetting, event: IncidentEvent): boolean {
  if (event.incident.visibility === 'restricted' && !endpoint.includeRestricted) return false;
  return endpoint.eventTypes === null || endpoint.eventTypes.includes(event.type);
}

/**
 * The outbox: implements the domain's event log by enqueuing one delivery per interested
 * endpoint in the caller's unit of work, so a delivery exists exactly when its change committed.
 * Deliveries of one incident to one endpoint share an ordering key: they are sent in order.
 */
export class WebhookOutbox implements IncidentEventLog {
  constructor(
    private readonly queue: WorkEnqueuer,
    private readonly endpoints: readonly WebhookEndpointSetting[],
    private readonly channelUrl: (channelId: string) => string,
    private readonly newEventId: () => string = () => `evt_${randomUUID()}`,
  ) {}

  async record(event: IncidentEvent): Promise<void> {
    const targets = this.endpoints.filter((endpoint) => endpointWants(endpoint, event));
    if (targets.length === 0) return;
    const eventId = this.newEventId();
    const body = JSON.stringify(buildPayload(eventId, event, this.channelUrl));
    for (const endpoint of targets) {
      const job: WebhookJob = { eventId, eventType: event.type, incidentId: event.incident.id, url: endpoint.url, body };
      await this.queue.enqueue({
        kind: WEBHOOK_WORK_KIND,
        payload: { ...job },
        dedupeKey: `${eventId} ${endpoint.url}`,
        orderingKey: `webhook ${endpoint.url} ${event.incident.id}`,
      });
    }
  }
}
