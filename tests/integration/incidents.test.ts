import { FakeSlack } from '../support/fakeSlack';
import { blockText, COMMANDER, openedView, REPORTER, reportIncident, submitOpenedView } from '../support/incidentFlow';
import { buttonClick, messageShortcut, viewSubmission } from '../support/payloads';
import { TestApp } from '../support/testApp';

const OTHER = 'U0RESPOND1';

/** Every mrkdwn text in some blocks. */
function mrkdwnTexts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(mrkdwnTexts);
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  const own = record.type === 'mrkdwn' && typeof record.text === 'string' ? [record.text] : [];
  return [...own, ...Object.values(record).flatMap(mrkdwnTexts)];
}

async function startApp(env: Record<string, string> = {}) {
  const fake = await FakeSlack.start({ appId: 'A0APPTEST1' });
  const announcements = fake.addChannel({ name: 'incidents', is_private: false });
  const app = await TestApp.start({ fake, env: { SLACK_INCIDENT_NOTIFICATION_CHANNELS: announcements.id, ...env } });
  return { fake, app, announcements };
}

async function stopApp(context: { fake: FakeSlack; app: TestApp }) {
  await context.app.stop();
  await context.fake.stop();
}

describe('reporting an incident', () => {
  let context: Awaited<ReturnType<typeof startApp>>;
  beforeEach(async () => {
    context = await startApp();
  });
  afterEach(() => stopApp(context));

  test('the command opens the form with the title prefilled, in any channel', async () => {
    const { app } = context;
    const answer = await app.command('/dispatch-report-incident', { text: 'Payments API returns 500', channel_id: 'C0RANDOM01' });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    await app.settle();
    const view = openedView(app);
    expect(view.callback_id).toBe('incident_report');
    const blocks = view.blocks as Array<{ block_id: string; element: { initial_value?: string; options?: Array<{ value: string }> } }>;
    expect(blocks.find((block) => block.block_id === 'title')?.element.initial_value).toBe('Payments API returns 500');
    expect(blocks.find((block) => block.block_id === 'priority')?.element.options?.map((option) => option.value)).toEqual([
      'Info',
      'Low',
      'Medium',
      'High',
    ]);
    expect(blocks.map((block) => block.block_id)).toEqual(['title', 'description', 'type', 'priority', 'visibility', 'commander']);
  });

  test('submitting creates the channel, invites reporter and commander, posts and pins the summary, announces, and DMs the reporter', async () => {
    const { app, fake, announcements } = context;
    const incident = await reportIncident(app, { title: 'Checkout is failing', answers: { commander: COMMANDER } });

    expect(incident.name).toBe('dispatch-1');
    expect(incident.commanderId).toBe(COMMANDER);
    const create = fake.lastCall('conversations.create');
    expect(create?.args).toMatchObject({ name: 'dispatch-1-checkout-is-failing', is_private: 'true' });
    const channelId = incident.channelId as string;
    expect(channelId).toBeTruthy();
    const channel = fake.channels.get(channelId);
    expect(channel?.members.has(REPORTER)).toBe(true);
    expect(channel?.members.has(COMMANDER)).toBe(true);
    expect(channel?.topic).toContain('Status: Active');
    expect(channel?.topic).toContain('Priority: High');
    expect(channel?.purpose).toBe('dispatch-1: Checkout is failing');

    const summary = fake.messageAt(channelId, incident.summaryTs as string);
    expect(summary?.pinned).toBe(true);
    const summaryText = blockText(summary ?? {});
    for (const expected of [
      'dispatch-1: Checkout is failing',
      'Customers see HTTP 500',
      'Active',
      'High',
      `<@${COMMANDER}>`,
      `<@${REPORTER}>`,
    ]) {
      expect(summaryText).toContain(expected);
    }
    expect(summaryText).toContain('incident_mark_stable');
    expect(summaryText).toContain('<!date^');

    const [announcement] = fake.messagesIn(announcements.id);
    expect(blockText(announcement)).toContain('dispatch-1');
    expect(blockText(announcement)).toContain('incident_join');
    expect(blockText(announcement)).toContain(`https://acme.slack.com/archives/${channelId}`);

    const dm = fake.callsTo('chat.postMessage').find((call) => call.args.channel === REPORTER);
    expect(blockText(dm?.args ?? {})).toContain(`https://acme.slack.com/archives/${channelId}`);
    // The reporter and commander hold their roles from the start.
    expect(await app.deps.store.participants.currentRoles(incident.id, REPORTER)).toEqual(['reporter']);
    expect(await app.deps.store.participants.currentRoles(incident.id, COMMANDER)).toEqual(['commander']);
  });

  test('the reporter leads the incident when no commander is picked', async () => {
    const incident = await reportIncident(context.app);
    expect(incident.commanderId).toBe(REPORTER);
  });

  test('empty or over-long fields are refused inline in the form, and nothing is recorded', async () => {
    const { app } = context;
    await app.command('/dispatch-report-incident', { text: '' });
    await app.settle();
    const view = openedView(app);
    const answer = await app.interact(viewSubmission(view, { title: '   ', description: 'x'.repeat(3001) }, REPORTER));
    expect(answer.status).toBe(200);
    const body = answer.json() as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors.title).toMatch(/enter a title/i);
    expect(body.errors.description).toMatch(/3000 characters/);
    await app.settle();
    expect(await app.deps.store.incidents.listRecent(5)).toEqual([]);
    expect(context.fake.callsTo('conversations.create')).toHaveLength(0);
  });

  test('the app itself cannot be picked as commander', async () => {
    const { app, fake } = context;
    await app.command('/dispatch-report-incident', { text: 'Disk full' });
    await app.settle();
    const answer = await app.interact(viewSubmission(openedView(app), { description: 'd', commander: fake.botUserId }, REPORTER));
    expect((answer.json().errors as Record<string, string>).commander).toMatch(/cannot lead/);
  });

  test('user text is escaped: a title with <!channel> pings nobody', async () => {
    const { app, fake, announcements } = context;
    const incident = await reportIncident(app, { title: '<!channel> hi & <https://evil.example|bank>' });
    const messages = [fake.messageAt(incident.channelId as string, incident.summaryTs as string), ...fake.messagesIn(announcements.id)];
    // What Slack parses for mentions and links: mrkdwn text objects and the notification text (not plain_text).
    const texts = messages.flatMap((message) => [String(message?.text), ...mrkdwnTexts(message?.blocks)]);
    expect(texts.length).toBeGreaterThan(4);
    for (const text of texts) {
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<https://evil.example');
    }
    const announcementText = JSON.stringify(fake.messagesIn(announcements.id)[0]?.blocks);
    expect(announcementText).toContain('&lt;!channel&gt; hi &amp; &lt;https://evil.example|bank&gt;');
  });

  test('a taken channel name gets a suffix instead of failing', async () => {
    const { app, fake } = context;
    fake.addChannel({ name: 'dispatch-1-checkout-is-failing' });
    const incident = await reportIncident(app);
    expect(incident.channelName).toBe('dispatch-1-checkout-is-failing-2');
    expect(fake.callsTo('conversations.create').map((call) => call.args.name)).toEqual([
      'dispatch-1-checkout-is-failing',
      'dispatch-1-checkout-is-failing-2',
    ]);
  });

  test('the channel name follows the template and Slack rules (lowercase, "-", 80 characters)', async () => {
    const { app } = context;
    const incident = await reportIncident(app, { title: `Ünïcode Ümlauts & SPACES!! ${'long '.repeat(30)}` });
    expect(incident.channelName).toMatch(/^dispatch-1-unicode-umlauts-spaces-long-/);
    expect(incident.channelName?.length).toBeLessThanOrEqual(80);
    expect(incident.channelName).toMatch(/^[a-z0-9_-]+$/);
  });

  test('with INCIDENT_OPEN_CHANNELS_PUBLIC, open incidents get public channels and restricted ones stay private', async () => {
    await stopApp(context);
    context = await startApp({ INCIDENT_OPEN_CHANNELS_PUBLIC: 'true' });
    const { app, fake } = context;
    await reportIncident(app);
    await reportIncident(app, { answers: { visibility: 'restricted' } });
    expect(fake.callsTo('conversations.create').map((call) => call.args.is_private)).toEqual(['false', 'true']);
  });

  test('restricted incidents are never announced', async () => {
    const { app, fake, announcements } = context;
    await reportIncident(app, { answers: { visibility: 'restricted' } });
    expect(fake.messagesIn(announcements.id)).toHaveLength(0);
  });

  test('the "Report incident" message shortcut prefills the message as plain text with names, and links to it', async () => {
    const { app, fake } = context;
    fake.addUser({ id: 'U0CUSTOMER', name: 'cara', real_name: 'Cara Customer' });
    fake.addUser({ id: 'U0ONCALL01', name: 'otto', real_name: 'Otto Oncall' });
    const answer = await app.interact(
      messageShortcut({
        callbackId: 'report_incident_from_message',
        userId: REPORTER,
        channelId: 'C0SUPPORT1',
        message: {
          ts: '1700000000.000100',
          text: 'Customers cannot log in since 10:02 &lt;ping <@U0ONCALL01>&gt; see <https://status.example|status>',
          user: 'U0CUSTOMER',
        },
        triggerId: app.fake.issueTriggerId(),
        responseUrl: app.fake.responseUrl(),
      }),
    );
    expect(answer.status).toBe(200);
    await app.settle();
    const view = openedView(app);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('Customers cannot log in since 10:02 <ping @Otto Oncall> see status (https://status.example)');
    expect(text).toContain('Reported from a message by Cara Customer: https://acme.slack.com/archives/C0SUPPORT1/p1700000000000100');
    expect(text).not.toContain('<@U');
    expect(text).not.toContain('&lt;');
    await submitOpenedView(app, {}, REPORTER);
    const [incident] = await app.deps.store.incidents.listRecent(1);
    expect(incident.description).toContain('https://acme.slack.com/archives/C0SUPPORT1/p1700000000000100');
  });
});

describe('when Slack refuses a setup step', () => {
  let context: Awaited<ReturnType<typeof startApp>>;
  beforeEach(async () => {
    context = await startApp();
  });
  afterEach(() => stopApp(context));

  test('channel creation failing (missing scope) keeps the incident, tells the reporter in plain words, and a retry finishes the setup', async () => {
    const { app, fake } = context;
    fake.failNext('conversations.create', 'missing_scope');
    const incident = await reportIncident(app);
    expect(incident.channelId).toBeNull();
    const dm = fake.callsTo('chat.postMessage').find((call) => call.args.channel === REPORTER);
    const text = blockText(dm?.args ?? {});
    expect(text).toContain('dispatch-1');
    expect(text).toContain('Creating the incident channel');
    expect(text).toContain('missing a permission');
    expect(text).toContain('incident_retry_setup');

    const retry = await app.interact(
      buttonClick({
        actionId: 'incident_retry_setup',
        value: String(incident.id),
        userId: REPORTER,
        triggerId: fake.issueTriggerId(),
        responseUrl: fake.responseUrl(),
      }),
    );
    expect(retry.status).toBe(200);
    await app.settle();
    const recovered = await app.deps.store.incidents.findById(incident.id);
    expect(recovered?.channelId).toBeTruthy();
    expect(recovered?.summaryTs).toBeTruthy();
    expect(fake.channels.get(recovered?.channelId as string)?.members.has(REPORTER)).toBe(true);
  });

  test('an invite failing (user not found) still sets up the rest, and says who could not be invited', async () => {
    const { app, fake, announcements } = context;
    fake.failNext('conversations.invite', 'user_not_found');
    const incident = await reportIncident(app, { answers: { commander: COMMANDER } });
    expect(incident.summaryTs).toBeTruthy();
    expect(fake.messagesIn(announcements.id)).toHaveLength(1);
    const dm = fake.callsTo('chat.postMessage').find((call) => call.args.channel === REPORTER);
    expect(blockText(dm?.args ?? {})).toContain('Slack could not find that user');
  });

  test('an archived notification channel does not stop the setup and is reported', async () => {
    const { app, fake, announcements } = context;
    announcements.is_archived = true;
    const incident = await reportIncident(app);
    expect(incident.summaryTs).toBeTruthy();
    const dm = fake.callsTo('chat.postMessage').find((call) => call.args.channel === REPORTER);
    expect(blockText(dm?.args ?? {})).toContain('archived');
  });
});

describe('status changes', () => {
  let context: Awaited<ReturnType<typeof startApp>>;
  beforeEach(async () => {
    context = await startApp();
  });
  afterEach(() => stopApp(context));

  test('stable, then closed with a resolution: times recorded, summary and announcement edited in place, one closing post', async () => {
    const { app, fake, announcements } = context;
    const incident = await reportIncident(app, { answers: { commander: COMMANDER } });
    const channelId = incident.channelId as string;
    const summaryTs = incident.summaryTs as string;
    const [announcement] = fake.messagesIn(announcements.id);
    const postsBefore = fake.callsTo('chat.postMessage').length;

    const stable = await app.command('/dispatch-mark-stable', { channel_id: channelId, user_id: COMMANDER });
    expect(stable.status).toBe(200);
    await app.settle();
    const afterStable = await app.deps.store.incidents.findById(incident.id);
    expect(afterStable?.status).toBe('stable');
    expect(afterStable?.stableAt).toBeInstanceOf(Date);
    expect(fake.channels.get(channelId)?.topic).toContain('Status: Stable');
    const line = fake.messagesIn(channelId).find((message) => message.text === 'dispatch-1 is now Stable');
    expect(blockText(line ?? {})).toContain(`<@${COMMANDER}> marked dispatch-1 *Stable*`);
    expect(fake.messageAt(channelId, summaryTs)?.updates).toBeGreaterThan(0);
    expect(blockText(fake.messageAt(channelId, summaryTs) ?? {})).toContain('Stable');
    expect(fake.messageAt(announcements.id, announcement.ts)?.updates).toBeGreaterThan(0);

    await app.command('/dispatch-mark-closed', { channel_id: channelId, user_id: COMMANDER });
    await app.settle();
    const resolutionForm = openedView(app);
    expect(resolutionForm.callback_id).toBe('incident_resolution');
    expect((await app.deps.store.incidents.findById(incident.id))?.status).toBe('stable');
    await submitOpenedView(app, { resolution: 'Rolled back deploy 4711.' }, COMMANDER);

    const closed = await app.deps.store.incidents.findById(incident.id);
    expect(closed?.status).toBe('closed');
    expect(closed?.resolution).toBe('Rolled back deploy 4711.');
    expect(closed?.closedAt).toBeInstanceOf(Date);
    const closing = fake.messagesIn(channelId).find((message) => message.text?.startsWith('dispatch-1 is closed:'));
    expect(blockText(closing ?? {})).toContain('Rolled back deploy 4711.');
    expect(blockText(closing ?? {})).toContain('Duration');
    expect(blockText(closing ?? {})).toContain('Time to stable');
    // In place: the announcement and the summary were edited, never posted again.
    const announcementAfter = fake.messageAt(announcements.id, announcement.ts);
    expect(blockText(announcementAfter ?? {})).toContain('Incident closed');
    expect(blockText(announcementAfter ?? {})).not.toContain('incident_join');
    expect(fake.messagesIn(announcements.id)).toHaveLength(1);
    const summariesPosted = fake
      .callsTo('chat.postMessage')
      .slice(postsBefore)
      .filter((call) => String(call.args.text).includes('(Closed'));
    expect(summariesPosted).toHaveLength(0);
    expect(fake.messageAt(channelId, summaryTs)?.pinned).toBe(true);
    const timeline = await app.deps.store.timeline.list(incident.id);
    expect(timeline.map((event) => event.text)).toEqual(
      expect.arrayContaining(['Status changed from Active to Stable', 'Status changed from Stable to Closed']),
    );
  });

  test('closing an active incident that has a resolution passes through stable, both times recorded', async () => {
    const { app, fake } = context;
    const incident = await reportIncident(app);
    await app.deps.store.incidents.update(incident.id, { resolution: 'Fixed upstream' }, new Date());
    await app.command('/dispatch-mark-closed', { channel_id: incident.channelId as string, user_id: REPORTER });
    await app.settle();
    const closed = await app.deps.store.incidents.findById(incident.id);
    expect(closed?.status).toBe('closed');
    expect(closed?.stableAt).toBeInstanceOf(Date);
    expect(closed?.closedAt).toBeInstanceOf(Date);
    expect(
      fake.callsTo('views.open').filter((call) => (call.args.view as { callback_id?: string }).callback_id === 'incident_resolution'),
    ).toHaveLength(0);
    const texts = (await app.deps.store.timeline.list(incident.id)).map((event) => event.text);
    expect(texts).toContain('Status changed from Active to Stable');
    expect(texts).toContain('Status changed from Stable to Closed');
  });

  test('marking the status it already has says so privately and changes nothing', async () => {
    const { app, fake } = context;
    const incident = await reportIncident(app);
    const callsBefore = fake.calls.length;
    await app.command('/dispatch-mark-active', { channel_id: incident.channelId as string, user_id: REPORTER });
    await app.settle();
    const reply = await fake.waitForResponseUrlPost();
    expect(JSON.stringify(reply.body)).toContain('already active');
    expect(reply.body.response_type).toBe('ephemeral');
    expect(fake.calls.slice(callsBefore)).toEqual([]);
    expect((await app.deps.store.incidents.findById(incident.id))?.updatedAt).toEqual(incident.updatedAt);
  });

  test('a closed incident can be reopened with mark-active', async () => {
    const { app, fake } = context;
    const incident = await reportIncident(app);
    const channelId = incident.channelId as string;
    await app.command('/dispatch-mark-closed', { channel_id: channelId, user_id: REPORTER });
    await app.settle();
    await submitOpenedView(app, { resolution: 'Done' }, REPORTER);
    await app.command('/dispatch-mark-active', { channel_id: channelId, user_id: REPORTER });
    await app.settle();
    const reopened = await app.deps.store.incidents.findById(incident.id);
    expect(reopened?.status).toBe('active');
    expect(reopened?.closedAt).toBeNull();
    expect(fake.channels.get(channelId)?.topic).toContain('Status: Active');
  });

  test('the summary buttons do the same as the commands', async () => {
    const { app, fake } = context;
    const incident = await reportIncident(app);
    const answer = await app.interact(
      buttonClick({
        actionId: 'incident_mark_stable',
        value: String(incident.id),
        userId: OTHER,
        channelId: incident.channelId as string,
        messageTs: incident.summaryTs as string,
        triggerId: fake.issueTriggerId(),
        responseUrl: fake.responseUrl(),
      }),
    );
    expect(answer.status).toBe(200);
    await app.settle();
    expect((await app.deps.store.incidents.findById(incident.id))?.status).toBe('stable');
    expect(
      fake.messagesIn(incident.channelId as string).some((message) => blockText(message).includes(`<@${OTHER}> marked dispatch-1`)),
    ).toBe(true);
  });

  test('archiving the channel on close is a setting', async () => {
    await stopApp(context);
    context = await startApp({ INCIDENT_ARCHIVE_CHANNEL_ON_CLOSE: 'true' });
    const { app, fake } = context;
    const incident = await reportIncident(app);
    await app.deps.store.incidents.update(incident.id, { resolution: 'Fixed' }, new Date());
    await app.command('/dispatch-mark-closed', { channel_id: incident.channelId as string, user_id: REPORTER });
    await app.settle();
    expect(fake.channels.get(incident.channelId as string)?.is_archived).toBe(true);
    expect(fake.messagesIn(incident.channelId as string).some((message) => message.text?.startsWith('dispatch-1 is closed:'))).toBe(true);
  });

  test('a failed Slack update after a status change is reported, and the change is kept', async () => {
    const { app, fake } = context;
    const incident = await reportIncident(app);
    fake.failNext('conversations.setTopic', 'not_in_channel');
    await app.command('/dispatch-mark-stable', { channel_id: incident.channelId as string, user_id: REPORTER });
    await app.settle();
    expect((await app.deps.store.incidents.findById(incident.id))?.status).toBe('stable');
    const reply = await fake.waitForResponseUrlPost();
    const text = JSON.stringify(reply.body);
    expect(text).toContain('dispatch-1 is now Stable');
    expect(text).toContain('Updating the channel topic');
    expect(text).toContain('not a member of the channel');
  });
});

describe('editing', () => {
  let context: Awaited<ReturnType<typeof startApp>>;
  beforeEach(async () => {
    context = await startApp();
  });
  afterEach(() => stopApp(context));

  test('the form is prefilled; saving posts what changed (old -> new) and who changed it, and refreshes the summary', async () => {
    const { app, fake } = context;
    const incident = await reportIncident(app, { title: 'Checkout is failing' });
    const channelId = incident.channelId as string;
    await app.command('/dispatch-edit-incident', { channel_id: channelId, user_id: OTHER });
    await app.settle();
    const view = openedView(app);
    const blocks = view.blocks as Array<{ block_id: string; element: { initial_value?: string; initial_option?: { value: string } } }>;
    expect(blocks.find((block) => block.block_id === 'title')?.element.initial_value).toBe('Checkout is failing');
    expect(blocks.find((block) => block.block_id === 'priority')?.element.initial_option?.value).toBe('High');
    expect(blocks.find((block) => block.block_id === 'status')?.element.initial_option?.value).toBe('active');

    await submitOpenedView(app, { title: 'Checkout fails for EU cards', priority: 'Medium' }, OTHER);
    const edited = await app.deps.store.incidents.findById(incident.id);
    expect(edited?.title).toBe('Checkout fails for EU cards');
    expect(edited?.priority).toBe('Medium');
    const line = fake.messagesIn(channelId).find((message) => message.text === 'dispatch-1 was edited');
    const text = blockText(line ?? {});
    expect(text).toContain(`<@${OTHER}> edited dispatch-1`);
    expect(text).toContain('*Title*: Checkout is failing → Checkout fails for EU cards');
    expect(text).toContain('*Priority*: High → Medium');
    expect(text).not.toContain('*Description*');
    expect(blockText(fake.messageAt(channelId, incident.summaryTs as string) ?? {})).toContain('Checkout fails for EU cards');
    expect(fake.channels.get(channelId)?.topic).toContain('Priority: Medium');
  });

  test('making an incident restricted removes its announcement', async () => {
    const { app, fake, announcements } = context;
    const incident = await reportIncident(app);
    expect(fake.messagesIn(announcements.id)).toHaveLength(1);
    await app.command('/dispatch-edit-incident', { channel_id: incident.channelId as string, user_id: REPORTER });
    await app.settle();
    await submitOpenedView(app, { visibility: 'restricted' }, REPORTER);
    expect(fake.messagesIn(announcements.id)).toHaveLength(0);
    expect(await app.deps.store.incidents.announcements(incident.id)).toEqual([]);
  });

  test('closing in the edit form needs a resolution (inline error)', async () => {
    const { app } = context;
    const incident = await reportIncident(app);
    await app.command('/dispatch-edit-incident', { channel_id: incident.channelId as string, user_id: REPORTER });
    await app.settle();
    const answer = await app.interact(viewSubmission(openedView(app), { status: 'closed' }, REPORTER));
    expect(answer.json()).toEqual({ response_action: 'errors', errors: { resolution: 'A closed incident needs a resolution.' } });
  });

  test('saving without changes says so and posts nothing', async () => {
    const { app, fake } = context;
    const incident = await reportIncident(app);
    await app.command('/dispatch-edit-incident', { channel_id: incident.channelId as string, user_id: REPORTER });
    await app.settle();
    const postsBefore = fake.callsTo('chat.postMessage').length;
    await submitOpenedView(app, {}, REPORTER);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(postsBefore);
    const ephemeral = fake.lastCall('chat.postEphemeral');
    expect(blockText(ephemeral?.args ?? {})).toContain('Nothing changed');
  });
});

describe('outside an incident channel', () => {
  let context: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    context = await startApp();
  });
  afterAll(() => stopApp(context));

  test.each(['/dispatch-mark-active', '/dispatch-mark-stable', '/dispatch-mark-closed', '/dispatch-edit-incident'])(
    '%s answers privately with what it needs; nothing is posted',
    async (command) => {
      const { app, fake } = context;
      const callsBefore = fake.calls.length;
      const answer = await app.command(command, { channel_id: 'C0GENERAL1' });
      expect(answer.status).toBe(200);
      const body = answer.json() as { text: string };
      expect(body.text).toContain(`${command} works in an incident's channel`);
      expect(body.text).toContain('/dispatch-report-incident');
      await app.settle();
      expect(fake.calls.slice(callsBefore)).toEqual([]);
    },
  );
});

describe('announcements: Join', () => {
  let context: Awaited<ReturnType<typeof startApp>>;
  beforeEach(async () => {
    context = await startApp();
  });
  afterEach(() => stopApp(context));

  const clickJoin = (context: Awaited<ReturnType<typeof startApp>>, incidentId: number) =>
    context.app.interact(
      buttonClick({
        actionId: 'incident_join',
        value: String(incidentId),
        userId: OTHER,
        channelId: context.announcements.id,
        messageTs: '1.1',
        triggerId: context.fake.issueTriggerId(),
        responseUrl: context.fake.responseUrl(),
      }),
    );

  test('invites whoever clicks it', async () => {
    const { app, fake } = context;
    const incident = await reportIncident(app);
    await clickJoin(context, incident.id);
    await app.settle();
    expect(fake.channels.get(incident.channelId as string)?.members.has(OTHER)).toBe(true);
    const reply = await fake.waitForResponseUrlPost();
    expect(JSON.stringify(reply.body)).toContain('You joined dispatch-1');
  });

  test('refuses restricted and closed incidents with a reason', async () => {
    const { app, fake } = context;
    const restricted = await reportIncident(app, { answers: { visibility: 'restricted' } });
    await clickJoin(context, restricted.id);
    await app.settle();
    expect(JSON.stringify((await fake.waitForResponseUrlPost()).body)).toContain('restricted');
    expect(fake.channels.get(restricted.channelId as string)?.members.has(OTHER)).toBe(false);

    const closed = await reportIncident(app);
    await app.deps.incidents.changeStatus(closed.id, 'closed', REPORTER, 'Fixed');
    await clickJoin(context, closed.id);
    await app.settle();
    expect(JSON.stringify(fake.responseUrlPosts[fake.responseUrlPosts.length - 1].body)).toContain('is closed');
    expect(fake.channels.get(closed.channelId as string)?.members.has(OTHER)).toBe(false);
  });
});

describe('SLACK_USER_ID_OVERRIDE', () => {
  test('invites, DMs and ephemerals all go to the override user', async () => {
    const context = await startApp({ SLACK_USER_ID_OVERRIDE: 'U0DEVELOP1' });
    try {
      const { app, fake } = context;
      const incident = await reportIncident(app, { answers: { commander: COMMANDER } });
      const channel = fake.channels.get(incident.channelId as string);
      expect(channel?.members.has('U0DEVELOP1')).toBe(true);
      expect(channel?.members.has(REPORTER)).toBe(false);
      expect(channel?.members.has(COMMANDER)).toBe(false);
      expect(fake.callsTo('conversations.invite').map((call) => call.args.users)).toEqual(['U0DEVELOP1']);
      const dms = fake.callsTo('chat.postMessage').filter((call) => String(call.args.channel).startsWith('U'));
      expect(dms.map((call) => call.args.channel)).toEqual(['U0DEVELOP1']);

      await app.command('/dispatch-edit-incident', { channel_id: incident.channelId as string, user_id: REPORTER });
      await app.settle();
      await submitOpenedView(app, {}, REPORTER);
      expect(fake.lastCall('chat.postEphemeral')?.args.user).toBe('U0DEVELOP1');
    } finally {
      await stopApp(context);
    }
  });
});

describe('answering within Slack’s 3 seconds', () => {
  test('commands and form submissions are acked within 1 s while every Slack call takes 2.5 s', async () => {
    const context = await startApp();
    const { app, fake } = context;
    try {
      const incident = await reportIncident(app);
      fake.setLatency(2500);
      const report = await app.command('/dispatch-report-incident', { text: 'Slow Slack' });
      expect(report.status).toBe(200);
      expect(report.elapsedMs).toBeLessThan(1000);

      const stable = await app.command('/dispatch-mark-stable', { channel_id: incident.channelId as string, user_id: REPORTER });
      expect(stable.status).toBe(200);
      expect(stable.elapsedMs).toBeLessThan(1000);

      const submission = await app.interact(viewSubmission(openedView(app), { description: 'd' }, REPORTER));
      expect(submission.status).toBe(200);
      expect(submission.elapsedMs).toBeLessThan(1000);
      fake.setLatency(0);
      await app.settle(30_000);
      expect((await app.deps.store.incidents.findById(incident.id))?.status).toBe('stable');
    } finally {
      await stopApp(context);
    }
  }, 40_000);
});
