/**
 * The anchor: a bare Bolt 5 app on the same receiver, paths and signing secret as the app,
 * whose listeners only acknowledge. Whatever the app costs beyond this is the app's own.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { SLACK_ENDPOINTS } from '../../server/startDispatch';
import { serveIpc } from '../ipc';

async function main(): Promise<void> {
  const receiver = new HTTPReceiver({
    signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
    endpoints: SLACK_ENDPOINTS,
    customRoutes: [
      {
        path: '/healthz',
        method: ['GET'],
        handler: (_request, response) => {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end('{"status":"ok"}');
        },
      },
    ],
  });
  const app = new App({
    receiver,
    token: process.env.SLACK_API_BOT_TOKEN,
    clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
    logLevel: LogLevel.ERROR,
  });
  app.command(/.*/, async ({ ack }) => {
    await ack();
  });
  app.action(/.*/, async ({ ack }) => {
    await ack();
  });
  app.view(/.*/, async ({ ack }) => {
    await ack();
  });
  app.shortcut(/.*/, async ({ ack }) => {
    await ack();
  });
  // Bolt acknowledges events itself, before any listener runs.
  app.event(/.*/, async () => undefined);
  const server = (await app.start(Number(process.env.PORT ?? 0))) as Server;
  serveIpc(
    { idle: () => ({ idle: true, waitedMs: 0 }), memory: () => process.memoryUsage(), cpu: () => process.cpuUsage() },
    (server.address() as AddressInfo).port,
  );
  process.on('SIGTERM', () => {
    void app.stop().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
