import type { ViewOutput } from '@slack/bolt';
import type { Incident } from '../../incidents/model';
import { FakeSlack } from '../support/fakeSlack';
import { blockText, COMMANDER, openedView, REPORTER, reportIncident } from '../support/incidentFlow';
import { buttonClick, envelope, reactionAdded } from '../support/payloads';
import { TestApp } from '../support/testApp';

const AUTHOR = 'U0AUTHOR01';

describe('the incident timeline', () => {
  let fake: FakeSlack;
  let app: TestApp;
  let incident: Incident;
  let channelId: string;
  beforeEach(async () => {
    fake = await FakeSlack.start({ appId: 'A0APPTEST1' });
    fake.addUser({ id: AUTHOR, name: 'ada', real_name: 'Ada Lovelace' });
    app = await TestApp.start({ fake, env: { STATUS_REPORT_REMINDER_CHECK_INTERVAL: '1h' } });
    incident = await reportIncident(app, { answers: { commander: COMMANDER } });
    channelId = incident.channelId as string;
  });
  afterEach(async () => {
    await app.stop();
    await fake.stop();
  });

  const messageEvents = async () => (await app.deps.timeline.list(incident.id)).filter((event) => event.kind === 'message');

  /** "Post to channel" in the timeline modal the app opened last (a click inside a modal carries the view). */
  async function clickPostInModal(): Promise<void> {
    const opened = fake.lastCall('views.open')?.response.view as { id: string };
    const view = fake.views.get(opened.id)?.view as unknown as ViewOutput;
    await app.interact(
      buttonClick({
        actionId: 'timeline_post',
        value: String(incident.id),
        userId: REPORTER,
        triggerId: fake.issueTriggerId(),
        responseUrl: fake.responseUrl(),
        view,
      }),
    );
    await app.settle();
  }

  async function react(user: string, reaction: string, channel: string, ts: string, options: { eventId?: string; retryNum?: number } = {}) {
    const answer = await app.event(reactionAdded(user, reaction, channel, ts, AUTHOR), options);
    expect(answer.status).toBe(200);
    await app.settle();
  }

  test('a stopwatch reaction adds the message once, with its author, original time and permalink, however many react', async () => {
    const message = fake.addMessage({
      channel: channelId,
      user: AUTHOR,
      text: 'Rolled back deploy 42; errors dropping',
      ts: '1700000000.123456',
    });
    await react(REPORTER, 'stopwatch', channelId, message.ts);
    await react(COMMANDER, 'stopwatch', channelId, message.ts);
    await react('U0SOMEONE1', 'stopwatch::skin-tone-2', channelId, message.ts);
    // Slack retrying a delivery is one more attempt at the same event.
    const retried = envelope(reactionAdded(REPORTER, 'stopwatch', channelId, message.ts, AUTHOR));
    await app.event(retried);
    await app.event(retried, { retryNum: 1 });
    await app.settle();

    const events = await messageEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      text: 'Rolled back deploy 42; errors dropping',
      actorId: AUTHOR,
      source: 'reaction',
      occurredAt: new Date(1_700_000_000_123),
      permalink: `https://acme.slack.com/archives/${channelId}/p1700000000123456`,
    });
    // The message is fetched once; later reactions only find it already there.
    expect(fake.callsTo('conversations.history')).toHaveLength(1);
  });

  test('a reply in a thread is found through conversations.replies', async () => {
    const parent = fake.addMessage({ channel: channelId, user: COMMANDER, text: 'Any news on the DB?' });
    const reply = fake.addMessage({ channel: channelId, user: AUTHOR, text: 'Replica lag is back to 0', thread_ts: parent.ts });
    await react(REPORTER, 'stopwatch', channelId, reply.ts);
    const [event] = await messageEvents();
    expect(event).toMatchObject({ text: 'Replica lag is back to 0', actorId: AUTHOR });
    expect(fake.lastCall('conversations.replies')?.args).toMatchObject({ channel: channelId, ts: reply.ts });
  });

  test('other reactions, and reactions outside incident channels, add nothing', async () => {
    const message = fake.addMessage({ channel: channelId, user: AUTHOR, text: 'lunch?' });
    await react(REPORTER, 'thumbsup', channelId, message.ts);
    const elsewhere = fake.addChannel({ name: 'random' });
    const other = fake.addMessage({ channel: elsewhere.id, user: AUTHOR, text: 'unrelated' });
    await react(REPORTER, 'stopwatch', elsewhere.id, other.ts);
    expect(await messageEvents()).toEqual([]);
    expect(fake.callsTo('conversations.history')).toEqual([]);
  });

  test('SLACK_TIMELINE_EVENT_REACTION picks the emoji', async () => {
    await app.stop();
    app = await TestApp.start({ fake, env: { SLACK_TIMELINE_EVENT_REACTION: 'pushpin', STATUS_REPORT_REMINDER_CHECK_INTERVAL: '1h' } });
    incident = await reportIncident(app, { answers: { commander: COMMANDER } });
    channelId = incident.channelId as string;
    const message = fake.addMessage({ channel: channelId, user: AUTHOR, text: 'Found the bad config' });
    await react(REPORTER, 'stopwatch', channelId, message.ts);
    expect(await messageEvents()).toEqual([]);
    await react(REPORTER, 'pushpin', channelId, message.ts);
    expect((await messageEvents()).map((event) => event.text)).toEqual(['Found the bad config']);
  });

  test('"Timeline" on the summary shows the events most recent first; "Post to channel" posts them oldest first', async () => {
    await app.command('/dispatch-mark-stable', { channel_id: channelId, user_id: COMMANDER });
    await app.settle();
    const message = fake.addMessage({ channel: channelId, user: AUTHOR, text: 'Fixed by <rollback> & restart', ts: '1600000000.000100' });
    await react(REPORTER, 'stopwatch', channelId, message.ts);

    await app.interact(
      buttonClick({
        actionId: 'timeline_show',
        value: String(incident.id),
        userId: REPORTER,
        channelId,
        messageTs: incident.summaryTs as string,
        triggerId: fake.issueTriggerId(),
        responseUrl: fake.responseUrl(),
      }),
    );
    await app.settle();
    const view = openedView(app);
    expect(view.callback_id).toBe('timeline');
    const texts = (view.blocks as Array<{ type: string; text?: { text: string } }>)
      .filter((block) => block.type === 'section')
      .map((block) => block.text?.text ?? '');
    expect(texts).toHaveLength(4);
    expect(texts[0]).toContain('Status changed from Active to Stable');
    expect(texts[1]).toContain('Incident Commander assigned at report time');
    expect(texts[2]).toContain('Incident reported');
    // The reacted message happened first (its own time), so it is last.
    expect(texts[3]).toContain('Fixed by &lt;rollback&gt; &amp; restart');
    expect(texts[3]).toContain(`<@${AUTHOR}>`);

    await clickPostInModal();
    const posted = fake.messagesIn(channelId).filter((posted) => blockText(posted).includes('Timeline of dispatch-1'));
    expect(posted).toHaveLength(1);
    const text = blockText(posted[0]);
    const order = ['Fixed by &lt;rollback&gt; &amp; restart', 'Incident reported', 'Status changed from Active to Stable'].map((part) =>
      text.indexOf(part),
    );
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain('2020-09-13 12:26 UTC — Message — Ada Lovelace');
    expect(text).not.toContain(`<@${AUTHOR}>`);
    expect(JSON.stringify(fake.lastCall('views.update')?.args.view)).toContain('posted the timeline to the channel');
  });

  test('a long timeline fits the modal (100 blocks, older events counted) and is posted over several messages', async () => {
    const base = new Date('2026-01-01T00:00:00Z').getTime();
    for (let index = 0; index < 150; index += 1) {
      await app.deps.store.timeline.add({
        incidentId: incident.id,
        occurredAt: new Date(base + index * 60_000),
        kind: 'note',
        text: `Event number ${index} ${'details '.repeat(20)}`,
        actorId: COMMANDER,
        source: 'command',
      });
    }
    await app.interact(
      buttonClick({
        actionId: 'timeline_show',
        value: String(incident.id),
        userId: REPORTER,
        triggerId: fake.issueTriggerId(),
        responseUrl: fake.responseUrl(),
      }),
    );
    await app.settle();
    const openCall = fake.lastCall('views.open');
    expect(openCall?.response.ok).toBe(true);
    const view = openedView(app);
    const blocks = view.blocks as Array<{ text?: { text: string }; elements?: Array<{ text: string }> }>;
    expect(blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(blocks)).toContain('Event number 149');
    expect(JSON.stringify(blocks)).not.toContain('Event number 0 ');
    expect(JSON.stringify(blocks)).toMatch(/\d+ older events are not shown/);

    await clickPostInModal();
    const parts = fake.messagesIn(channelId).filter((posted) => String(posted.text).startsWith('Timeline of dispatch-1'));
    expect(parts.length).toBeGreaterThan(1);
    expect(fake.callsTo('chat.postMessage').filter((call) => call.response.ok !== true)).toEqual([]);
    const all = parts.map((part) => blockText(part)).join('');
    for (const index of [0, 75, 149]) expect(all).toContain(`Event number ${index} `);
    expect(all.indexOf('Event number 0 ')).toBeLessThan(all.indexOf('Event number 149 '));
  });
});
