import { createHmac } from 'node:crypto';
import { Pool } from 'undici';

/** One request's outcome: how long from when it was due to its answer, and the HTTP status (0: no answer). */
export interface Sample {
  ms: number;
  status: number;
}

export interface LoadResult {
  samples: Sample[];
  wallMs: number;
}

/** A signed Slack request body, built fresh for each send (signatures carry the time). */
export interface SlackRequest {
  path: string;
  contentType: 'application/json' | 'application/x-www-form-urlencoded';
  body: string;
}

/** Signs exactly as Slack does: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}"). */
function signed(secret: string, body: string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': `v0=${signature}` };
}

/** A keep-alive connection pool to one target, like Slack's deliveries to one app. */
export class Target {
  private readonly pool: Pool;

  constructor(
    readonly base: string,
    private readonly secret: string,
    connections: number,
  ) {
    this.pool = new Pool(base, { connections, pipelining: 1, headersTimeout: 30_000, bodyTimeout: 30_000 });
  }

  /** Sends one request; resolves with the status (0 when it failed or took over 30 s) and the body. */
  async send(request: SlackRequest): Promise<{ status: number; body: string }> {
    try {
      const answer = await this.pool.request({
        path: request.path,
        method: 'POST',
        headers: { 'content-type': request.contentType, ...signed(this.secret, request.body) },
        body: request.body,
      });
      return { status: answer.statusCode, body: await answer.body.text() };
    } catch {
      return { status: 0, body: '' };
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Closed loop: `workers` senders back to back for `durationMs` (or `maxRequests`), each timing its requests. */
export async function closedLoop(
  target: Target,
  workers: number,
  durationMs: number,
  next: (index: number) => SlackRequest,
  maxRequests = Number.POSITIVE_INFINITY,
): Promise<LoadResult> {
  const samples: Sample[] = [];
  let index = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async () => {
    while (performance.now() < deadline && index < maxRequests) {
      const request = next(index++);
      const before = performance.now();
      const { status } = await target.send(request);
      samples.push({ ms: performance.now() - before, status });
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return { samples, wallMs: performance.now() - started };
}

/**
 * Open loop: `perSecond` requests a second for `durationMs`, whether or not earlier ones were
 * answered (Slack does not wait). Latency counts from when a request was due, so time spent
 * queued behind slow answers is counted, not hidden.
 */
export async function openLoop(
  target: Target,
  perSecond: number,
  durationMs: number,
  next: (index: number) => SlackRequest,
): Promise<LoadResult> {
  const total = Math.round((perSecond * durationMs) / 1000);
  const samples: Sample[] = [];
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  for (let index = 0; index < total; index += 1) {
    const due = started + (index * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const request = next(index);
    inFlight.push(
      target.send(request).then(({ status }) => {
        samples.push({ ms: performance.now() - due, status });
      }),
    );
  }
  await Promise.all(inFlight);
  return { samples, wallMs: performance.now() - started };
}

export function percentile(samples: Sample[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function failures(samples: Sample[]): number {
  return samples.filter((sample) => sample.status !== 200).length;
}
