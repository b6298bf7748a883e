import { SLOW_REQUEST_MS } from '../../server/middleware';
import { FakeSlack } from '../support/fakeSlack';
import { reportIncident } from '../support/incidentFlow';
import { TestApp } from '../support/testApp';

/** The parsed log lines that say `message`. */
const linesSaying = (app: TestApp, message: string) =>
  app.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.message === message);

describe('the line each Slack request leaves in the log', () => {
  let fake: FakeSlack;
  let app: TestApp;
  beforeEach(async () => {
    fake = await FakeSlack.start({ appId: 'A0APPTEST1' });
    app = await TestApp.start({ fake });
  });
  afterEach(async () => {
    await app.stop();
    await fake.stop();
  });

  test('a command writes one line when it is done (at debug): which command, who, where, which incident, how long', async () => {
    const incident = await reportIncident(app);
    const before = linesSaying(app, 'slack request handled').length;
    const answer = await app.command('/dispatch-list-participants', { channel_id: incident.channelId as string, user_id: 'U0ALICE01' });
    expect(answer.status).toBe(200);
    await app.settle();
    const lines = linesSaying(app, 'slack request handled').slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'debug',
      kind: 'command',
      command: '/dispatch-list-participants',
      user: 'U0ALICE01',
      channel: incident.channelId,
      // Found by the listener after the receiver opened the context: the same context, so the line has it.
      incident: incident.name,
    });
    expect(typeof lines[0].durationMs).toBe('number');
  });

  test('a command outside an incident says so in its line too, without an incident', async () => {
    const answer = await app.command('/dispatch-list-participants', { channel_id: 'C0RANDOM01', user_id: 'U0BOB0001' });
    expect(answer.status).toBe(200);
    await app.settle();
    const lines = linesSaying(app, 'slack request handled');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ command: '/dispatch-list-participants', user: 'U0BOB0001', channel: 'C0RANDOM01' });
    expect(lines[0]).not.toHaveProperty('incident');
  });

  test('a slow request is written at info, so LOG_LEVEL=info shows it', async () => {
    fake.setLatency(SLOW_REQUEST_MS + 200, 'views.open');
    const answer = await app.command('/dispatch-report-incident', { text: 'Checkout is failing', user_id: 'U0CAROL01' });
    expect(answer.status).toBe(200);
    await app.settle();
    const [line] = linesSaying(app, 'slack request handled');
    expect(line).toMatchObject({ level: 'info', command: '/dispatch-report-incident', user: 'U0CAROL01' });
    expect(Number(line.durationMs)).toBeGreaterThanOrEqual(SLOW_REQUEST_MS);
  });
});
