import { FakeSlack } from '../support/fakeSlack';
import { reportIncident } from '../support/incidentFlow';
import { buttonClick } from '../support/payloads';
import { TestApp } from '../support/testApp';

describe('when something fails', () => {
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

  test('an unexpected error answers 200, tells the person privately with a reference, and logs the stack once', async () => {
    const incident = await reportIncident(app);
    // The database going away mid-flight stands for any bug or outage below the listener.
    await app.deps.store.close();
    const answer = await app.command('/dispatch-mark-stable', { channel_id: incident.channelId as string });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    await app.settle();
    // settle() covers the report to the user: no waiting needed.
    const [post] = fake.responseUrlPosts;
    const told = JSON.stringify(post?.body);
    expect(post?.body.response_type).toBe('ephemeral');
    expect(told).toMatch(/Something went wrong on our side.*reference [0-9A-F]{8}/);
    expect(told).not.toMatch(/\bat \S+ \(/);
    const reference = /reference ([0-9A-F]{8})/.exec(told)?.[1];
    const errorLines = app.logs.filter((line) => line.includes('"level":"error"') && line.includes('request failed'));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toContain(reference);
    expect(errorLines[0]).toContain('"stack"');
    expect(errorLines[0]).toContain('"command":"/dispatch-mark-stable"');
  });

  test('a refusal (a button for an incident that does not exist) is told in plain words and logged at info', async () => {
    const answer = await app.interact(
      buttonClick({
        actionId: 'incident_mark_stable',
        value: '999',
        userId: 'U0SOMEONE1',
        channelId: 'C0SOMEWHERE',
        messageTs: '1.2',
        triggerId: fake.issueTriggerId(),
        responseUrl: fake.responseUrl(),
      }),
    );
    expect(answer.status).toBe(200);
    await app.settle();
    expect(JSON.stringify(fake.responseUrlPosts[0]?.body)).toContain('That incident no longer exists.');
    expect(app.logs.some((line) => line.includes('"level":"error"'))).toBe(false);
    expect(app.logs.some((line) => line.includes('"message":"request refused"') && line.includes('incident_not_found'))).toBe(true);
  });

  test('a button whose value is not an incident id is refused, not crashed on', async () => {
    await app.interact(
      buttonClick({
        actionId: 'incident_join',
        value: 'drop table incidents',
        userId: 'U0SOMEONE1',
        triggerId: fake.issueTriggerId(),
        responseUrl: fake.responseUrl(),
      }),
    );
    await app.settle();
    expect(JSON.stringify(fake.responseUrlPosts[0]?.body)).toContain('does not belong to an incident');
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});

describe('requests no listener handles', () => {
  let fake: FakeSlack;
  let app: TestApp;
  beforeAll(async () => {
    fake = await FakeSlack.start({ appId: 'A0APPTEST1' });
    app = await TestApp.start({ fake });
  });
  afterAll(async () => {
    await app.stop();
    await fake.stop();
  });

  test('a button from an old message is acknowledged at once, not left to time out', async () => {
    const answer = await app.interact(
      buttonClick({
        actionId: 'retired_button',
        value: '1',
        userId: 'U0SOMEONE1',
        triggerId: fake.issueTriggerId(),
        responseUrl: fake.responseUrl(),
      }),
    );
    expect(answer.status).toBe(200);
    expect(answer.elapsedMs).toBeLessThan(1000);
  });

  test('a slash command the app does not serve gets a private answer at once', async () => {
    const answer = await app.command('/dispatch-unknown');
    expect(answer.status).toBe(200);
    expect(answer.elapsedMs).toBeLessThan(1000);
    expect(answer.json()).toEqual({ response_type: 'ephemeral', text: 'Dispatch does not handle /dispatch-unknown.' });
  });

  test('handled requests are not acknowledged twice or warned about', async () => {
    await app.command('/dispatch-mark-stable', { channel_id: 'C0NOTANINC' });
    await app.settle();
    expect(app.logs.filter((line) => line.includes('no listener handled'))).toHaveLength(2);
  });
});
