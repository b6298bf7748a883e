import type { AddressInfo } from 'node:net';
import { register } from 'prom-client';
import { type WebSocket, WebSocketServer } from 'ws';
import { SLACK_REQUEST_WORK } from '../../server/receiver/afterAck';
import { SLACK_EVENT_WORK } from '../../server/receiver/eventInbox';
import { FakeSlack } from '../support/fakeSlack';
import { envelope, memberJoined, readSample, slashCommand } from '../support/payloads';
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

test('in Socket Mode an event envelope is acknowledged once the event is stored, and its redelivery takes effect once', async () => {
  const socketMode = await socketModeServer();
  const fake = await FakeSlack.start({ appId: 'A0APPTEST1', appToken: APP_TOKEN, socketModeUrl: socketMode.url });
  const app = await TestApp.start({ fake, env: { SLACK_SOCKET_MODE: 'true', SLACK_APP_TOKEN: APP_TOKEN } });
  try {
    await socketMode.connected;
    const body = envelope(memberJoined('U0ALICE001', 'C0GENERAL1'));
    const delivery = (envelopeId: string, retryAttempt: number) => ({
      envelope_id: envelopeId,
      type: 'events_api',
      accepts_response_payload: false,
      retry_attempt: retryAttempt,
      retry_reason: retryAttempt > 0 ? 'timeout' : '',
      payload: body,
    });
    socketMode.send(delivery('env-first', 0));
    await waitUntil(() => socketMode.acks.some((ack) => ack.envelope_id === 'env-first'));
    // By the time Slack has the ack, the event is in the inbox.
    expect(await app.deps.store.workQueue.find(SLACK_EVENT_WORK, body.event_id)).toBeDefined();
    socketMode.send(delivery('env-retry', 1));
    await waitUntil(() => socketMode.acks.some((ack) => ack.envelope_id === 'env-retry'));
    await app.settle();
    const rows = await app.deps.store.db
      .selectFrom('work_items')
      .select(['dedupe_key', 'status'])
      .where('kind', '=', SLACK_EVENT_WORK)
      .execute();
    expect(rows).toEqual([{ dedupe_key: body.event_id, status: 'done' }]);
    expect(app.logs.filter((line) => line.includes('skipped an event delivered before'))).toHaveLength(1);
  } finally {
    await app.stop();
    await fake.stop();
    await socketMode.close();
  }
});

test('Socket Mode deliveries are counted and their acks timed per surface in /metrics, as HTTP ones are', async () => {
  const socketMode = await socketModeServer();
  const fake = await FakeSlack.start({ appId: 'A0APPTEST1', appToken: APP_TOKEN, socketModeUrl: socketMode.url });
  const app = await TestApp.start({ fake, env: { SLACK_SOCKET_MODE: 'true', SLACK_APP_TOKEN: APP_TOKEN } });
  try {
    await socketMode.connected;
    const before = await metricSamples();
    socketMode.send({
      envelope_id: 'env-metrics-command',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: slashCommand({ command: '/dispatch-report-incident', trigger_id: fake.issueTriggerId(), response_url: fake.responseUrl() }),
    });
    socketMode.send({
      envelope_id: 'env-metrics-event',
      type: 'events_api',
      accepts_response_payload: false,
      retry_attempt: 0,
      retry_reason: '',
      payload: envelope(memberJoined('U0ALICE001', 'C0GENERAL1')),
    });
    await waitUntil(() =>
      ['env-metrics-command', 'env-metrics-event'].every((id) => socketMode.acks.some((ack) => ack.envelope_id === id)),
    );
    // Once the stored event has run from the inbox too: that run is not a second request.
    await app.settle();
    const after = await metricSamples();
    const delta = (series: string) => (after.get(series) ?? 0) - (before.get(series) ?? 0);

    expect(delta('dispatch_slack_requests_total{surface="command"}')).toBe(1);
    expect(delta('dispatch_slack_requests_total{surface="event"}')).toBe(1);
    expect(delta('dispatch_slack_ack_seconds_count{surface="command"}')).toBe(1);
    expect(delta('dispatch_slack_ack_seconds_count{surface="event"}')).toBe(1);
    // Acked well within Slack's 3 s.
    expect(delta('dispatch_slack_ack_seconds_bucket{le="3",surface="event"}')).toBe(1);
  } finally {
    await app.stop();
    await fake.stop();
    await socketMode.close();
  }
});

test('in Socket Mode work after the ack has the same bound as over HTTP: past it, commands are stored and answered once each', async () => {
  const socketMode = await socketModeServer();
  const fake = await FakeSlack.start({ appId: 'A0APPTEST1', appToken: APP_TOKEN, socketModeUrl: socketMode.url });
  // One request at a time carries on after its ack and none may wait: the rest of a burst is stored.
  const app = await TestApp.start({
    fake,
    env: {
      SLACK_SOCKET_MODE: 'true',
      SLACK_APP_TOKEN: APP_TOKEN,
      WORK_MAX_REQUESTS_AFTER_ACK: '1',
      WORK_MAX_REQUESTS_WAITING_AFTER_ACK: '0',
    },
  });
  try {
    await socketMode.connected;
    const channelId = 'G0SOCKET001';
    const people = ['U0SOCKADA1', 'U0SOCKBOB1'];
    for (const id of people) fake.addUser({ id, name: id.toLowerCase(), real_name: `Person ${id}` });
    fake.addChannel({ id: channelId, name: 'dispatch-1-socket', is_private: true, members: new Set([fake.botUserId, ...people]) });
    const { store } = app.deps;
    const incident = await store.transaction((repos) =>
      repos.incidents.insert({
        namePrefix: 'dispatch',
        title: 'Queue backlog growing',
        description: 'Consumers are behind',
        type: 'Availability',
        priority: 'High',
        visibility: 'open',
        reporterId: people[0],
        reportedAt: new Date(),
      }),
    );
    await store.incidents.update(incident.id, { channelId, channelName: 'dispatch-1-socket' }, new Date());
    for (const id of people) await store.participants.join(incident.id, id, new Date());

    // Slack is slow, so each list needs it after its ack (no profile is known yet) and holds its slot.
    fake.setLatency(300);
    const responseUrls = Array.from({ length: 10 }, () => fake.responseUrl());
    for (const [index, responseUrl] of responseUrls.entries()) {
      socketMode.send({
        envelope_id: `env-list-${index}`,
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: slashCommand({
          command: '/dispatch-list-participants',
          channel_id: channelId,
          user_id: people[1],
          trigger_id: fake.issueTriggerId(),
          response_url: responseUrl,
        }),
      });
    }
    await waitUntil(() => responseUrls.every((_url, index) => socketMode.acks.some((ack) => ack.envelope_id === `env-list-${index}`)));
    await app.settle();
    fake.setLatency(0);

    const stored = await store.db.selectFrom('work_items').select(['status']).where('kind', '=', SLACK_REQUEST_WORK).execute();
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.every((item) => item.status === 'done')).toBe(true);
    // Each person has the list once: after the ack on its response_url, or (a request that came
    // in once the profiles were known, on a busy machine) in the ack itself and nowhere else.
    for (const [index, responseUrl] of responseUrls.entries()) {
      const ack = socketMode.acks.find((sent) => sent.envelope_id === `env-list-${index}`);
      const posts = fake.responseUrlPosts.filter((post) => responseUrl.endsWith(post.path));
      const acked = ack?.payload as { blocks?: unknown } | undefined;
      const answers = [...(acked?.blocks ? [acked] : []), ...posts.map((post) => post.body)];
      expect(answers).toHaveLength(1);
      expect(JSON.stringify(answers[0])).toContain(`Participants in ${incident.name}`);
    }
    // A request stored for later is no failure: nothing was logged as one.
    expect(app.logs.filter((line) => line.includes('"level":"error"'))).toEqual([]);
  } finally {
    await app.stop();
    await fake.stop();
    await socketMode.close();
  }
}, 30_000);

/** Every sample of the request and ack metrics, keyed by series (name and labels as Prometheus prints them). */
async function metricSamples(): Promise<Map<string, number>> {
  const samples = new Map<string, number>();
  for (const line of (await register.metrics()).split('\n')) {
    const match = /^(dispatch_slack_(?:requests_total|ack_seconds_\w+)(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (match) samples.set(match[1], Number(match[2]));
  }
  return samples;
}

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
