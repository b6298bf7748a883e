import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookPayload } from '../../webhooks/payloads';
import { verify } from '../../webhooks/signing';

/** One webhook as the receiver got it. */
export interface ReceivedWebhook {
  path: string;
  headers: Record<string, string>;
  body: string;
  payload: WebhookPayload;
  receivedAt: number;
  /** The answer it was scripted to get. */
  status: number;
  /** false while the answer is held back (delayed or hung), or when the client gave up first. */
  answered: boolean;
}

/** How to answer one request: a status, headers, and optionally a delay before answering (or never). */
export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Holds the request open without answering until the receiver stops. */
  hang?: boolean;
}

export type Responder = (request: { path: string; payload: WebhookPayload; attemptOfEvent: number }) => ScriptedAnswer;

/**
 * A webhook receiver on 127.0.0.1, for tests: records every request (headers, exact body) and
 * answers as scripted per request, so a test can make an endpoint fail, stall or rate-limit.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private responder: Responder = () => ({ status: 200 });
  private readonly waiting = new Set<ServerResponse>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly listeners = new Set<() => void>();

  private constructor(private readonly server: Server) {}

  static async start(port = 0): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server);
    server.on('request', (request, response) => receiver.handle(request, response));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  respondWith(responder: Responder): void {
    this.responder = responder;
  }

  /** Requests whose answer was 2xx: what counts as delivered. */
  get delivered(): ReceivedWebhook[] {
    return this.received.filter((webhook) => webhook.answered && webhook.status >= 200 && webhook.status < 300);
  }

  /** Waits until `predicate` holds over what was received (checked on every request). */
  async waitFor(predicate: (received: ReceivedWebhook[]) => boolean, timeoutMs = 10_000): Promise<void> {
    if (predicate(this.received)) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`webhook receiver: condition not met within ${timeoutMs} ms (${this.received.length} received)`));
      }, timeoutMs);
      const check = () => {
        if (!predicate(this.received)) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      this.listeners.add(check);
    });
  }

  /** Whether the request carries a valid X-Dispatch-Signature under `secret`. */
  static hasValidSignature(webhook: ReceivedWebhook, secret: string): boolean {
    const timestamp = Number(webhook.headers['x-dispatch-timestamp']);
    const signature = webhook.headers['x-dispatch-signature'] ?? '';
    return Number.isInteger(timestamp) && verify(secret, timestamp, webhook.body, signature);
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    for (const response of this.waiting) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const payload = JSON.parse(body) as WebhookPayload;
      const attemptOfEvent = this.received.filter((webhook) => webhook.payload.id === payload.id).length + 1;
      const path = request.url ?? '/';
      const answer = this.responder({ path, payload, attemptOfEvent });
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]),
      );
      const webhook: ReceivedWebhook = { path, headers, body, payload, receivedAt: Date.now(), status: answer.status, answered: false };
      this.received.push(webhook);
      this.notify();
      if (answer.hang) {
        this.waiting.add(response);
        return;
      }
      const finish = () => {
        this.waiting.delete(response);
        if (response.destroyed || request.socket.destroyed) return;
        response.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
        response.end('ok');
        webhook.answered = true;
        this.notify();
      };
      if (answer.delayMs) {
        this.waiting.add(response);
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          finish();
        }, answer.delayMs);
        this.timers.add(timer);
      } else finish();
    });
  }
}
