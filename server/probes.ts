import type { CustomRoute } from '@slack/bolt';
import { register } from 'prom-client';
import type { Store } from '../store';

/**
 * What readiness depends on beyond the database. The composition fills it in as the app comes
 * up and sets `draining` when it starts to stop, so a load balancer stops sending requests
 * before the port closes.
 */
export class Readiness {
  botUserId: string | undefined;
  /** Socket Mode only: whether the WebSocket to Slack is open (undefined over HTTP). */
  socketConnected: boolean | undefined;
  draining = false;
}

type Check = { ok: boolean; detail?: string };

async function readinessChecks(store: Store, readiness: Readiness): Promise<Record<string, Check>> {
  const checks: Record<string, Check> = {
    database: (await store.ping()) ? { ok: true } : { ok: false, detail: 'the database does not answer' },
    slack_identity: readiness.botUserId ? { ok: true } : { ok: false, detail: 'the bot identity is not known yet' },
    draining: readiness.draining ? { ok: false, detail: 'the app is shutting down' } : { ok: true },
  };
  if (readiness.socketConnected !== undefined) {
    checks.socket_mode = readiness.socketConnected ? { ok: true } : { ok: false, detail: 'the Socket Mode connection is not open' };
  }
  return checks;
}

function json(response: Parameters<CustomRoute['handler']>[1], status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

/**
 * The operational endpoints, served beside Slack's paths on PORT:
 * - /healthz: liveness. 200 while the process and its database answer.
 * - /readyz: readiness. 200 only when the database answers, the bot identity is known, Socket
 *   Mode (when on) is connected and the app is not draining; 503 naming what is not.
 * - /metrics: Prometheus text of prom-client's default registry.
 */
export function probeRoutes(store: Store, readiness: Readiness): CustomRoute[] {
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_request, response) => {
        void store.ping().then((healthy) => json(response, healthy ? 200 : 503, { status: healthy ? 'ok' : 'database unavailable' }));
      },
    },
    {
      path: '/readyz',
      method: ['GET'],
      handler: (_request, response) => {
        void readinessChecks(store, readiness).then(
          (checks) => {
            const failing = Object.entries(checks).filter(([, check]) => !check.ok);
            json(response, failing.length === 0 ? 200 : 503, {
              status: failing.length === 0 ? 'ready' : 'not ready',
              checks: Object.fromEntries(Object.entries(checks).map(([name, check]) => [name, check.ok ? 'ok' : check.detail])),
            });
          },
          () => json(response, 503, { status: 'not ready' }),
        );
      },
    },
    {
      path: '/metrics',
      method: ['GET'],
      handler: (_request, response) => {
        void register.metrics().then(
          (text) => {
            response.writeHead(200, { 'content-type': register.contentType });
            response.end(text);
          },
          (error: unknown) => {
            response.writeHead(500, { 'content-type': 'text/plain' });
            response.end(`metrics could not be collected: ${error instanceof Error ? error.message : String(error)}\n`);
          },
        );
      },
    },
  ];
}

/** Keeps `readiness.socketConnected` in step with the Socket Mode client's connection events. */
export function trackSocketConnection(client: { on(event: string, listener: () => void): unknown }, readiness: Readiness): void {
  readiness.socketConnected = false;
  client.on('connected', () => {
    readiness.socketConnected = true;
  });
  for (const event of ['disconnecting', 'disconnected', 'reconnecting']) {
    client.on(event, () => {
      readiness.socketConnected = false;
    });
  }
}
