import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { FakeSlack } from '../support/fakeSlack';
import { readSample, slashCommand } from '../support/payloads';
import { TestApp } from '../support/testApp';

const APP_TOKEN = 'xapp-1-A0APPTEST1-socket-test';

/** A stand-in for Slack's Socket Mode endpoint: says hello, sends envelopes, collects acks. */
async function socketModeServer() {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const acks: Array<Record<string, unknown>> = [];
  let socket: WebSocket | undefined;
  const sockets: WebSocket[] = [];
  const connected = new Promise<WebSocket>((resolve) => {
    server.on('connection', (connection) => {
      socket = connection;
      sockets.push(connection);
      connection.on('message', (data) => acks.push(JSON.parse(data.toString()) as Record<string, unknown>));
      connection.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0APPTEST1' } }));
      resolve(connection);
    });
  });
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    acks,
    connected,
    send: (envelope: object) => socket?.send(JSON.stringify(envelope)),
    close: () =>
      new Promise<void>((resolve) => {
        // Includes sockets still in their closing handshake, which server.clients no longer lists.
        for (const client of sockets) client.terminate();
        server.close(() => resolve());
      }),
  };
}

test('with SLACK_SOCKET_MODE=true the app connects with the app token and handles a slash command envelope', async () => {
  const socketMode = await socketModeServer();
  const fake = await FakeSlack.start({ appId: 'A0APPTEST1', appToken: APP_TOKEN, socketModeUrl: socketMode.url });
  const app = await TestApp.start({ fake, env: { SLACK_SOCKET_MODE: 'true', SLACK_APP_TOKEN: APP_TOKEN } });
  try {
    await socketMode.connected;
    expect(fake.callsTo('apps.connections.open')).toHaveLength(1);
    expect(app.running.port).toBeUndefined();

    // Slack's own Socket Mode sample, carrying our command.
    const sample = JSON.parse(readSample('socket_mode_slash_command_envelope.json')) as { envelope_id: string; type: string };
    const payload = slashCommand({
      command: '/dispatch-report-incident',
      text: 'Queue backlog growing',
      trigger_id: fake.issueTriggerId(),
      response_url: fake.responseUrl(),
    });
    socketMode.send({ ...sample, payload });

    const view = await fake.waitForCall('views.open');
    expect(JSON.stringify(view.args.view)).toContain('Queue backlog growing');
    await app.settle();
    expect(socketMode.acks).toContainEqual(expect.objectContaining({ envelope_id: sample.envelope_id }));
  } finally {
    await app.stop();
    await fake.stop();
    await socketMode.close();
  }
});
