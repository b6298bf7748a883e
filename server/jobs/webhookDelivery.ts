import { displayUrl, secretFor, type WebhookSettingsShape } from '../../config/webhooks';
import type { AppLogger } from '../../logging/logger';
import { failedWebhookMessage } from '../../slack/blocks/webhooks';
import type { SlackMessage } from '../../slack/gateway';
import type { JsonValue, WorkItem } from '../../store/workQueue';
import type { AttemptResult, WebhookRequest } from '../../webhooks/client';
import { webhookMetrics } from '../../webhooks/metrics';
import { WEBHOOK_WORK_KIND, type WebhookJob } from '../../webhooks/outbox';
import { DEFAULT_MAX_DELAY_MS, decideRetry, type RetryPolicy } from '../../webhooks/retryPolicy';
import { PermanentWorkError, RetryWorkError, type WorkQueueWorker } from './workQueueWorker';

/** Sends one signed webhook (WebhookClient; a fake in unit tests). */
export interface WebhookSender {
  send(request: WebhookRequest): Promise<AttemptResult>;
}

/** A delivery given up on: refused by the endpoint, or out of retries. The message names the endpoint, never the secret. */
export class WebhookGaveUpError extends PermanentWorkError {
  constructor(
    readonly job: WebhookJob,
    readonly reason: string,
    readonly triedForMs: number,
  ) {
    super(`webhook ${job.eventType} ${job.eventId} to ${displayUrl(job.url)} failed: ${reason}`);
    this.name = 'WebhookGaveUpError';
  }
}

function readJob(payload: JsonValue): WebhookJob {
  const job = payload as Partial<WebhookJob> | null;
  if (
    !job ||
    typeof job !== 'object' ||
    typeof job.eventId !== 'string' ||
    typeof job.eventType !== 'string' ||
    typeof job.incidentId !== 'number' ||
    typeof job.url !== 'string' ||
    typeof job.body !== 'string'
  ) {
    throw new PermanentWorkError('a webhook work item without event id, type, incident, URL or body');
  }
  return job as WebhookJob;
}

export interface WebhookDeliveryDeps {
  webhooks: WebhookSettingsShape;
  sender: WebhookSender;
  logger: AppLogger;
  now: () => Date;
  random?: () => number;
  /** Posts to WEBHOOK_FAILURE_CHANNEL (the Slack gateway). */
  postMessage?: (channelId: string, message: SlackMessage) => Promise<unknown>;
  /** The incident's name for the failure notice (dispatch-42), when it still exists. */
  incidentName?: (incidentId: number) => Promise<string | null>;
}

const resultLabel = (result: AttemptResult): string =>
  result.outcome === 'retry' ? result.reason : result.outcome === 'delivered' ? 'delivered' : 'rejected';

/**
 * One attempt of one delivery: sign and send; a 2xx is done; a timeout, network error, 5xx, 408
 * or 429 is tried again (after Retry-After when given, else backoff with jitter) until the
 * retry window closes; any other answer is final.
 */
export async function deliverWebhook(deps: WebhookDeliveryDeps, payload: JsonValue, item: WorkItem): Promise<void> {
  const job = readJob(payload);
  const windowStart = job.retryWindowStartedAt ? Date.parse(job.retryWindowStartedAt) : item.createdAt.getTime();
  const now = deps.now().getTime();
  const secret = secretFor(deps.webhooks, job.url);
  if (!secret) throw new WebhookGaveUpError(job, 'the endpoint is no longer in WEBHOOK_URLS', now - windowStart);
  const result = await deps.sender.send({ ...job, secret, attempt: item.attempts });
  const metrics = webhookMetrics();
  metrics.attempts.inc({ result: resultLabel(result) });
  if (result.outcome === 'delivered') {
    metrics.deliveries.inc({ outcome: 'delivered' });
    return;
  }
  const after = deps.now().getTime();
  if (result.outcome === 'rejected')
    throw new WebhookGaveUpError(job, `the endpoint answered ${result.detail}, which is not retried`, after - windowStart);
  const policy: RetryPolicy = {
    firstDelayMs: deps.webhooks.retryFirstDelayMs,
    maxDelayMs: DEFAULT_MAX_DELAY_MS,
    windowMs: deps.webhooks.retryWindowMs,
  };
  const decision = decideRetry(
    policy,
    { attempts: item.attempts, firstAttemptAt: windowStart, now: after, retryAfterMs: result.retryAfterMs },
    deps.random,
  );
  if (!decision.retry) {
    throw new WebhookGaveUpError(job, `no success within the retry window (last answer: ${result.detail})`, after - windowStart);
  }
  throw new RetryWorkError(`webhook to ${displayUrl(job.url)}: ${result.detail}`, decision.delayMs);
}

/** Once per delivery given up on: counted, and told to the admin channel when there is one. */
export async function reportFailedWebhook(deps: WebhookDeliveryDeps, item: WorkItem, error: unknown): Promise<void> {
  webhookMetrics().deliveries.inc({ outcome: 'failed' });
  const channel = deps.webhooks.failureChannel;
  if (!channel || !deps.postMessage) return;
  const job = error instanceof WebhookGaveUpError ? error.job : null;
  if (!job) return;
  try {
    const incidentName = deps.incidentName ? await deps.incidentName(job.incidentId) : null;
    await deps.postMessage(
      channel,
      failedWebhookMessage({
        deliveryId: item.id,
        endpoint: displayUrl(job.url),
        eventType: job.eventType,
        eventId: job.eventId,
        incidentName,
        attempts: item.attempts,
        triedForMs: (error as WebhookGaveUpError).triedForMs,
        reason: (error as WebhookGaveUpError).reason,
      }),
    );
  } catch (postError) {
    deps.logger.warn('could not tell the webhook failure channel about a failed webhook', {
      workId: item.id,
      channel,
      error: postError instanceof Error ? postError.message : String(postError),
    });
  }
}

/** Registers webhook deliveries with the work queue: retried by time (the window), not by count. */
export function registerWebhookDelivery(work: WorkQueueWorker, deps: WebhookDeliveryDeps): void {
  work.register(WEBHOOK_WORK_KIND, (payload, item) => deliverWebhook(deps, payload, item), {
    maxAttempts: Number.POSITIVE_INFINITY,
    onFailure: (item, error) => reportFailedWebhook(deps, item, error),
  });
}
