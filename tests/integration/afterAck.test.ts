import { SLACK_REQUEST_WORK } from '../../server/receiver/afterAck';
import { FakeSlack } from '../support/fakeSlack';
import { COMMANDER, REPORTER, reportIncident } from '../support/incidentFlow';
import { slashCommand } from '../support/payloads';
import { TestApp } from '../support/testApp';

describe('work after the ack, past its bound', () => {
  let fake: FakeSlack;
  let app: TestApp;
  beforeEach(async () => {
    fake = await FakeSlack.start({ appId: 'A0APPTEST1' });
    // One request at a time carries on after its ack, none may wait: the rest go to the work queue.
    app = await TestApp.start({
      fake,
      env: { WORK_MAX_REQUESTS_AFTER_ACK: '1', WORK_MAX_REQUESTS_WAITING_AFTER_ACK: '0', STATUS_REPORT_REMINDER_CHECK_INTERVAL: '1h' },
    });
  });
  afterEach(async () => {
    await app.stop();
    await fake.stop();
  });

  test('a burst of commands is acknowledged at once; what did not fit runs from the work queue, each once', async () => {
    const incident = await reportIncident(app, { answers: { commander: COMMANDER } });
    const responseUrls = Array.from({ length: 20 }, () => fake.responseUrl());
    const answers = await Promise.all(
      responseUrls.map((responseUrl) =>
        app.command('/dispatch', {
          text: 'catchup',
          channel_id: incident.channelId as string,
          user_id: REPORTER,
          response_url: responseUrl,
        }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(responseUrls.map(() => 200));
    await app.settle();

    const deferred = await app.deps.store.db.selectFrom('work_items').select(['status']).where('kind', '=', SLACK_REQUEST_WORK).execute();
    expect(deferred.length).toBeGreaterThan(0);
    expect(deferred.every((item) => item.status === 'done')).toBe(true);
    // Every command answered its person once, whether it ran at once or from the queue.
    for (const responseUrl of responseUrls) {
      const posts = fake.responseUrlPosts.filter((post) => responseUrl.endsWith(post.path));
      expect(posts).toHaveLength(1);
      expect(JSON.stringify(posts[0]?.body ?? {})).toContain('Catch-up on');
    }
  });

  test('a stored request whose run answers in its ack (profiles now known) answers on its response_url, once', async () => {
    const incident = await reportIncident(app, { answers: { commander: COMMANDER } });
    const channelId = incident.channelId as string;
    // The profiles it shows are known now (this first list fetched them).
    await app.command('/dispatch-list-participants', { channel_id: channelId, user_id: REPORTER });
    await app.settle();
    // A list whose ack went out empty and whose work was stored past the bound, run from the queue now.
    const responseUrl = fake.responseUrl();
    const body = slashCommand({
      command: '/dispatch-list-participants',
      channel_id: channelId,
      user_id: REPORTER,
      trigger_id: fake.issueTriggerId(),
      response_url: responseUrl,
    });
    await app.deps.store.workQueue.enqueue({ kind: SLACK_REQUEST_WORK, payload: { body: { ...body }, answered: false } });
    app.deps.work.wake();
    await app.settle();
    const posts = fake.responseUrlPosts.filter((post) => responseUrl.endsWith(post.path));
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0].body)).toContain('Participants in');

    // One whose ack carried the answer already: the run from the queue does not send it again.
    const answeredUrl = fake.responseUrl();
    await app.deps.store.workQueue.enqueue({
      kind: SLACK_REQUEST_WORK,
      payload: { body: { ...body, response_url: answeredUrl }, answered: true },
    });
    app.deps.work.wake();
    await app.settle();
    expect(fake.responseUrlPosts.filter((post) => answeredUrl.endsWith(post.path))).toEqual([]);
  });
});
