import type { SlackMessage } from './message';
import { context, escapeText, formatDuration, section } from './text';

export interface FailedWebhookNotice {
  deliveryId: number;
  /** The endpoint as it may be shown: no credentials, no query string. */
  endpoint: string;
  eventType: string;
  eventId: string;
  incidentName: string | null;
  attempts: number;
  /** How long it was tried, from the first attempt to giving up. */
  triedForMs: number;
  reason: string;
}

/** Posted to WEBHOOK_FAILURE_CHANNEL when a webhook is given up on: what, where, why, and the way back. */
export function failedWebhookMessage(notice: FailedWebhookNotice): SlackMessage {
  const about = notice.incidentName ? ` for ${escapeText(notice.incidentName)}` : '';
  const tries = notice.attempts === 1 ? '1 attempt' : `${notice.attempts} attempts over ${formatDuration(notice.triedForMs)}`;
  const text = `A webhook could not be delivered${about}: ${notice.eventType} to ${notice.endpoint}`;
  return {
    text,
    blocks: [
      section(
        [
          `:warning: *A webhook could not be delivered*${about}.`,
          `*Endpoint:* ${escapeText(notice.endpoint)}`,
          `*Event:* \`${notice.eventType}\` (${escapeText(notice.eventId)})`,
          `*Why:* ${escapeText(notice.reason)} (${tries})`,
        ].join('\n'),
      ),
      context(`Once the endpoint is fixed, send it again with \`npm run webhooks -- redeliver ${notice.deliveryId}\`.`),
    ],
  };
}
