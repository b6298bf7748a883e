import type { Incident } from '../../incidents/model';
import { SLACK_PARTICIPANT_LIST } from '../../server/jobs/slackRetries';
import { SLACK_REQUEST_WORK } from '../../server/receiver/afterAck';
import { ACTIONS } from '../../slack/blocks/ids';
import { PARTICIPANT_LIST_MAX } from '../../slack/blocks/participantMessages';
import { ManualClock } from '../support/clock';
import { messageBlockErrors, type RecordedCall } from '../support/fakeSlack';
import { blockText, COMMANDER, openedView, REPORTER, reportIncident, submitOpenedView } from '../support/incidentFlow';
import { buttonClick, channelMessage, memberJoined, memberLeft, viewSubmission } from '../support/payloads';
import { APP_ID, type HttpAnswer, TestApp } from '../support/testApp';

const NEWBIE = 'U0NEWBIE01';
const HELPER = 'U0HELPER01';
const NEXT_COMMANDER = 'U0NEXTCMD1';

/** Everything an ephemeral, a DM or a channel message says, for assertions on what a person reads. */
const said = (call: RecordedCall) => blockText(call.args);

function ephemeralsTo(app: TestApp, userId: string): RecordedCall[] {
  return app.fake.callsTo('chat.postEphemeral').filter((call) => call.args.user === userId && call.response.ok === true);
}

function directMessagesTo(app: TestApp, userId: string): RecordedCall[] {
  return app.fake.callsTo('chat.postMessage').filter((call) => call.args.channel === userId && call.response.ok === true);
}

function channelOf(incident: Incident): string {
  if (!incident.channelId) throw new Error(`${incident.name} has no channel`);
  return incident.channelId;
}

/** A person joins the channel: in Slack's member list first, then the event Slack sends. */
async function join(app: TestApp, userId: string, channelId: string, options: { eventId?: string; retryNum?: number } = {}) {
  app.fake.channels.get(channelId)?.members.add(userId);
  const answer = await app.event(memberJoined(userId, channelId), options);
  await app.settle();
  return answer;
}

async function leave(app: TestApp, userId: string, channelId: string): Promise<void> {
  app.fake.channels.get(channelId)?.members.delete(userId);
  await app.event(memberLeft(userId, channelId));
  await app.settle();
}

/** Runs a command as `userId` in `channelId`; returns its ack and what it later answered through response_url. */
async function run(app: TestApp, slug: string, userId: string, channelId: string): Promise<{ ack: HttpAnswer; answers: string[] }> {
  const responseUrl = app.fake.responseUrl();
  const ack = await app.command(slug, { user_id: userId, channel_id: channelId, response_url: responseUrl });
  await app.settle();
  const answers = app.fake.responseUrlPosts.filter((post) => responseUrl.endsWith(post.path)).map((post) => blockText(post.body));
  return { ack, answers };
}

/**
 * The participant listing as the person sees it (its blocks), checked against Slack's limits:
 * in the ack when everything it shows was at hand, otherwise posted to the response_url after.
 */
async function listing(
  app: TestApp,
  userId: string,
  channelId: string,
): Promise<{ blocks: unknown[]; lines: string[]; text: string; via: 'ack' | 'response_url' }> {
  const responseUrl = app.fake.responseUrl();
  const ack = await app.command(app.settings.commands.listParticipants, {
    user_id: userId,
    channel_id: channelId,
    response_url: responseUrl,
  });
  await app.settle();
  const post = app.fake.responseUrlPosts.find((candidate) => responseUrl.endsWith(candidate.path));
  const inAck = ack.text ? ack.json() : undefined;
  if (post && inAck?.blocks) throw new Error('the listing was sent twice: in the ack and to the response_url');
  const answer = post?.body ?? inAck;
  if (!answer?.blocks) throw new Error('the listing never arrived');
  const via = post ? 'response_url' : 'ack';
  expect(answer.response_type).toBe('ephemeral');
  const blocks = answer.blocks as Array<{ type: string; text?: { text: string } }>;
  expect(messageBlockErrors(blocks)).toEqual([]);
  const lines = blocks
    .filter((block) => block.type === 'section')
    .flatMap((block) => (block.text?.text ?? '').split('\n'))
    .filter((line) => line.startsWith('• '));
  return { blocks, lines, text: JSON.stringify(blocks), via };
}

/** Opens the assign-role form as `userId` and submits it with a person and a role. */
async function assign(app: TestApp, actorId: string, channelId: string, assignee: string, role: string): Promise<HttpAnswer> {
  const { ack } = await run(app, app.settings.commands.assignRole, actorId, channelId);
  expect(ack.text).toBe('');
  return submitOpenedView(app, { assignee, role }, actorId);
}

describe('participants', () => {
  let app: TestApp;
  const clock = new ManualClock();

  beforeAll(async () => {
    app = await TestApp.start({ clock });
  });
  afterAll(async () => {
    await app.stop();
  });

  describe('joining', () => {
    test('the reporter and commander become participants when they join, and each is welcomed privately', async () => {
      const incident = await reportIncident(app, { title: 'Checkout <!here> fails', answers: { commander: COMMANDER } });
      const channelId = channelOf(incident);
      // The app invited both while setting up; Slack then sends their joins.
      expect(app.fake.channels.get(channelId)?.members.has(REPORTER)).toBe(true);
      await join(app, REPORTER, channelId);
      await join(app, COMMANDER, channelId);

      const [welcome] = ephemeralsTo(app, REPORTER).filter((call) => call.args.channel === channelId);
      const text = said(welcome);
      expect(text).toContain(`Welcome to *${incident.name}: Checkout &lt;!here&gt; fails*`);
      expect(text).toContain("You're the *Reporter*.");
      expect(text).toContain(`Incident Commander <@${COMMANDER}> · Reporter <@${REPORTER}>`);
      expect(text).toContain('*High* priority');
      expect(text).toContain('"action_id":"dispatch_help"');
      const toCommander = ephemeralsTo(app, COMMANDER).filter((call) => call.args.channel === channelId);
      expect(toCommander).toHaveLength(1);
      expect(said(toCommander[0])).toContain("You're the *Incident Commander*.");
      expect(said(toCommander[0])).toContain('Post a status report: `/dispatch update`');

      const { lines } = await listing(app, REPORTER, channelId);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(
        new RegExp(`^• \\*${COMMANDER.toLowerCase()}\\*: Incident Commander · joined .* · in the channel · no messages yet$`),
      );
      expect(lines[1]).toContain(`*${REPORTER.toLowerCase()}*: Reporter ·`);
    });

    test('someone else who joins is a Participant and is welcomed; a join elsewhere is ignored', async () => {
      const incident = await reportIncident(app);
      const channelId = channelOf(incident);
      await join(app, NEWBIE, channelId);
      const welcomes = ephemeralsTo(app, NEWBIE).filter((call) => call.args.channel === channelId);
      expect(welcomes).toHaveLength(1);
      expect(said(welcomes[0])).toContain(`Welcome to *${incident.name}`);

      const elsewhere = app.fake.addChannel({ name: 'random-chatter' });
      const before = app.fake.calls.length;
      await join(app, HELPER, elsewhere.id);
      expect(app.fake.calls.slice(before).map((call) => call.method)).toEqual([]);

      const { lines } = await listing(app, NEWBIE, channelId);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`*${NEWBIE.toLowerCase()}*: Participant`);
    });

    test('a retried join (same event_id, x-slack-retry-num) adds the participant once and welcomes once', async () => {
      const incident = await reportIncident(app);
      const channelId = channelOf(incident);
      const eventId = `Ev0RETRY${incident.id}`;
      const first = await join(app, HELPER, channelId, { eventId });
      const retry = await join(app, HELPER, channelId, { eventId, retryNum: 1 });
      const secondRetry = await join(app, HELPER, channelId, { eventId, retryNum: 2 });
      expect([first.status, retry.status, secondRetry.status]).toEqual([200, 200, 200]);

      expect(ephemeralsTo(app, HELPER).filter((call) => call.args.channel === channelId)).toHaveLength(1);
      const { lines } = await listing(app, HELPER, channelId);
      expect(lines.filter((line) => line.includes(HELPER.toLowerCase()))).toHaveLength(1);
      expect(app.logs.filter((line) => line.includes('skipped an event delivered before') && line.includes(eventId))).toHaveLength(2);
    });

    test("the app's own bot user joining never makes it a participant", async () => {
      const incident = await reportIncident(app);
      const channelId = channelOf(incident);
      await join(app, app.fake.botUserId, channelId);
      expect(ephemeralsTo(app, app.fake.botUserId)).toEqual([]);
      const { text, lines } = await listing(app, REPORTER, channelId);
      expect(lines).toEqual([]);
      expect(text).toContain('Nobody has joined the channel yet.');
    });
  });

  describe('leaving', () => {
    test('someone who leaves is recorded as gone, keeps their role, and is welcomed again on return', async () => {
      const incident = await reportIncident(app, { answers: { commander: COMMANDER } });
      const channelId = channelOf(incident);
      await join(app, HELPER, channelId);
      await assign(app, COMMANDER, channelId, HELPER, 'liaison');
      clock.advance(10 * 60_000);
      const invitesBefore = app.fake.callsTo('conversations.invite').length;
      await leave(app, HELPER, channelId);
      expect(app.fake.callsTo('conversations.invite')).toHaveLength(invitesBefore);

      let { lines } = await listing(app, COMMANDER, channelId);
      const gone = lines.find((line) => line.includes(HELPER.toLowerCase()));
      expect(gone).toContain('Liaison, Participant');
      expect(gone).toMatch(/:outbox_tray: left <!date\^\d+\^\{ago\}/);

      await join(app, HELPER, channelId);
      expect(ephemeralsTo(app, HELPER).filter((call) => call.args.channel === channelId)).toHaveLength(2);
      ({ lines } = await listing(app, COMMANDER, channelId));
      expect(lines.find((line) => line.includes(HELPER.toLowerCase()))).toContain('in the channel');
    });

    test('the commander who leaves is invited back and asked to hand the role over first', async () => {
      const incident = await reportIncident(app, { answers: { commander: COMMANDER } });
      const channelId = channelOf(incident);
      await join(app, COMMANDER, channelId);
      await leave(app, COMMANDER, channelId);

      const invite = app.fake.callsTo('conversations.invite').at(-1);
      expect(invite?.args).toMatchObject({ channel: channelId, users: COMMANDER });
      expect(app.fake.channels.get(channelId)?.members.has(COMMANDER)).toBe(true);
      const notices = ephemeralsTo(app, COMMANDER).filter((call) => call.args.channel === channelId);
      expect(said(notices.at(-1) as RecordedCall)).toContain(
        `Please hand the role over with \`${app.settings.commands.assignRole}\` before you leave.`,
      );

      // Slack announces the re-invite as a join: not a new arrival, so no second welcome.
      await app.event(memberJoined(COMMANDER, channelId, app.fake.botUserId));
      await app.settle();
      expect(ephemeralsTo(app, COMMANDER).filter((call) => call.args.channel === channelId)).toHaveLength(notices.length);
      const { lines } = await listing(app, COMMANDER, channelId);
      expect(lines[0]).toContain(`*${COMMANDER.toLowerCase()}*: Incident Commander`);
      expect(lines[0]).toContain('in the channel');
    });

    test('a commander who cannot be added back is recorded as gone and the channel is told the role needs someone', async () => {
      const incident = await reportIncident(app, { answers: { commander: COMMANDER } });
      const channelId = channelOf(incident);
      await join(app, COMMANDER, channelId);
      app.fake.failNext('conversations.invite', 'user_is_restricted');
      await leave(app, COMMANDER, channelId);

      const notice = app.fake.messagesIn(channelId).at(-1);
      expect(blockText(notice ?? {})).toContain(
        `<@${COMMANDER}>, the Incident Commander of ${incident.name}, left the channel and could not be added back`,
      );
      expect(blockText(notice ?? {})).toContain(app.settings.commands.assignRole);
      const { lines } = await listing(app, REPORTER, channelId);
      expect(lines[0]).toContain(':outbox_tray: left');
    });
  });

  describe('activity', () => {
    test('messages and thread replies count; bots, joins, edits, other channels and retries do not; text is not kept', async () => {
      const incident = await reportIncident(app);
      const channelId = channelOf(incident);
      await join(app, HELPER, channelId);
      const secret = 'the database password is hunter2';
      const parent = channelMessage(HELPER, channelId, secret);
      await app.event(parent, { eventId: `Ev0MSG${incident.id}` });
      await app.event(parent, { eventId: `Ev0MSG${incident.id}`, retryNum: 1 });
      clock.advance(3 * 60_000);
      await app.event({ ...channelMessage(HELPER, channelId, `${secret} (in a thread)`), thread_ts: parent.ts });
      await app.event({ type: 'message', subtype: 'bot_message', bot_id: 'B0OTHERBOT', channel: channelId, text: secret, ts: '1.000001' });
      await app.event({ ...channelMessage(HELPER, channelId, `<@${HELPER}> has joined the channel`), subtype: 'channel_join' });
      await app.event({ type: 'message', subtype: 'message_changed', channel: channelId, hidden: true, ts: '1.000002', message: {} });
      await app.event({ ...channelMessage(app.fake.botUserId, channelId, secret), bot_id: app.fake.botId, app_id: APP_ID });
      const elsewhere = app.fake.addChannel({ name: 'elsewhere-chatter' });
      await app.event(channelMessage(HELPER, elsewhere.id, secret));
      // Someone who was in the channel before the app saw them join.
      await app.event(channelMessage(NEWBIE, channelId, 'first words'));
      await app.settle();

      const { lines } = await listing(app, HELPER, channelId);
      const helperLine = lines.find((line) => line.includes(HELPER.toLowerCase()));
      expect(helperLine).toContain('(2 messages)');
      expect(helperLine).toContain(`last active <!date^${Math.floor(clock.now().getTime() / 1000)}^{ago}`);
      expect(lines.find((line) => line.includes(NEWBIE.toLowerCase()))).toContain('Participant');
      expect(lines.find((line) => line.includes(NEWBIE.toLowerCase()))).toContain('(1 message)');
      expect(lines.some((line) => line.includes(app.fake.botUserId.toLowerCase()) || line.includes('B0OTHERBOT'))).toBe(false);

      const { db } = app.deps.store;
      const tables = ['incidents', 'participants', 'participant_roles', 'timeline_events', 'processed_events'] as const;
      for (const table of tables) {
        const rows = await db.selectFrom(table).selectAll().execute();
        expect(JSON.stringify(rows)).not.toContain('hunter2');
      }
    });
  });

  describe('the listing', () => {
    test('200 participants: within Block Kit limits, the commander first, the rest counted, profiles cached with expiry', async () => {
      const crowdCommander = 'U0CROWDCMD';
      app.fake.addUser({ id: crowdCommander, name: 'casey', real_name: 'Casey Commander', title: 'Staff SRE' });
      const incident = await reportIncident(app, { answers: { commander: crowdCommander } });
      const channelId = channelOf(incident);
      await join(app, crowdCommander, channelId);
      const people = Array.from({ length: 200 }, (_, index) => `U0CROWD${String(index).padStart(3, '0')}`);
      for (const [index, userId] of people.entries()) {
        app.fake.addUser({ id: userId, name: `person${index}`, real_name: `Person <${index}>`, title: `Engineer & team ${index % 7}` });
        app.fake.channels.get(channelId)?.members.add(userId);
      }
      const infoCalls = () => app.fake.callsTo('users.info').length;
      const beforeJoins = infoCalls();
      for (let start = 0; start < people.length; start += 25) {
        await Promise.all(people.slice(start, start + 25).map((userId) => app.event(memberJoined(userId, channelId))));
      }
      await app.settle();
      // Arrivals are looked up ahead, but no more of them than the list names: 200 joins, 100 lookups.
      expect(infoCalls() - beforeJoins).toBe(PARTICIPANT_LIST_MAX);
      await leave(app, people[199], channelId);
      expect(ephemeralsTo(app, people[0]).filter((call) => call.args.channel === channelId)).toHaveLength(1);

      // What was looked up at the joins has expired: the first list needs Slack again.
      clock.advance(app.settings.slack.userCacheTtlMs + 1000);
      const before = infoCalls();
      const first = await listing(app, people[5], channelId);
      const firstLookups = infoCalls() - before;

      expect(first.blocks.length).toBeLessThanOrEqual(50);
      expect(first.lines[0]).toContain('*Casey Commander* (Staff SRE): Incident Commander');
      expect(first.lines[1]).toContain('*Person &lt;0&gt;* (Engineer &amp; team 0): Participant');
      expect(first.text).toContain('201 participants: 200 in the channel, 1 left');
      const hidden = 201 - first.lines.length;
      expect(hidden).toBeGreaterThan(0);
      expect(first.text).toContain(`${hidden} more participants are not shown (${hidden - 1} in the channel, 1 left)`);
      // Only the people shown are looked up (the commander was cached when the topic was set).
      expect(firstLookups).toBeGreaterThan(0);
      expect(firstLookups).toBeLessThanOrEqual(first.lines.length);

      const second = await listing(app, people[6], channelId);
      expect(infoCalls() - before).toBe(firstLookups);
      expect(second.lines).toEqual(first.lines);
      // Profiles had to be fetched the first time, so that answer came after the ack; the
      // second one needed nothing from Slack and was the ack itself.
      expect(first.via).toBe('response_url');
      expect(second.via).toBe('ack');

      clock.advance(app.settings.slack.userCacheTtlMs + 1000);
      await listing(app, people[7], channelId);
      expect(infoCalls() - before).toBe(firstLookups + first.lines.length);
    }, 60_000); // 200 joins through the event inbox, then three listings: slow on a busy 2-core machine

    test('people who just joined are looked up then, so the list asked for next is the ack itself', async () => {
      const incident = await reportIncident(app, { answers: { commander: COMMANDER } });
      const channelId = channelOf(incident);
      const arrivals = ['U0EARLY01', 'U0EARLY02', 'U0EARLY03'];
      for (const [index, userId] of arrivals.entries()) {
        app.fake.addUser({ id: userId, name: `early${index}`, real_name: `Early Bird ${index}`, title: 'On call' });
        app.fake.channels.get(channelId)?.members.add(userId);
      }
      clock.advance(app.settings.slack.userCacheTtlMs + 1000);
      await join(app, COMMANDER, channelId);
      for (const userId of arrivals) await join(app, userId, channelId);
      await app.settle();
      const lookupsBefore = app.fake.callsTo('users.info').length;

      const listed = await listing(app, arrivals[0], channelId);
      expect(listed.via).toBe('ack');
      expect(app.fake.callsTo('users.info').length).toBe(lookupsBefore);
      for (const index of [0, 1, 2]) expect(listed.lines.join('\n')).toContain(`*Early Bird ${index}* (On call)`);
    });

    test('outside an incident channel it says where it works, without a Web API call', async () => {
      const before = app.fake.calls.length;
      const { ack } = await run(app, app.settings.commands.listParticipants, HELPER, 'C0GENERAL1');
      expect(ack.text).toContain("works in an incident's channel");
      expect(app.fake.calls.length).toBe(before);
    });
  });

  describe('assigning roles', () => {
    test('a role for someone outside the channel: invited, announced with who assigned it, told what it involves, on the timeline', async () => {
      const incident = await reportIncident(app, { answers: { commander: COMMANDER } });
      const channelId = channelOf(incident);
      await join(app, COMMANDER, channelId);
      const topicsBefore = app.fake.callsTo('conversations.setTopic').length;

      const { ack } = await run(app, app.settings.commands.assignRole, COMMANDER, channelId);
      expect(ack.text).toBe('');
      const view = openedView(app);
      expect(view.callback_id).toBe('participant_assign_role');
      const submitted = await app.interact(viewSubmission(view, { assignee: NEWBIE, role: 'scribe' }, COMMANDER));
      expect(submitted.text).toBe('');
      await app.settle();

      expect(app.fake.callsTo('conversations.invite').at(-1)?.args).toMatchObject({ channel: channelId, users: NEWBIE });
      const announcement = blockText(app.fake.messagesIn(channelId).at(-1) ?? {});
      expect(announcement).toContain(`<@${COMMANDER}> gave <@${NEWBIE}> the *Scribe* role in ${incident.name}.`);
      expect(announcement).toContain(`*Scribe*: <@${NEWBIE}>`);
      expect(announcement).toContain(`*Incident Commander*: <@${COMMANDER}>`);
      const dm = directMessagesTo(app, NEWBIE).at(-1);
      expect(said(dm as RecordedCall)).toContain('You are now the Scribe');
      expect(said(dm as RecordedCall)).toContain('Keeps the record');
      expect(app.fake.callsTo('conversations.setTopic')).toHaveLength(topicsBefore);
      const timeline = await app.deps.store.timeline.list(incident.id);
      expect(timeline.at(-1)).toMatchObject({ kind: 'role', actorId: COMMANDER });
    });

    test('a new commander: the previous one becomes a Participant, and the channel, topic, pinned summary, DM and timeline say so', async () => {
      const incident = await reportIncident(app, { answers: { commander: COMMANDER } });
      const channelId = channelOf(incident);
      app.fake.addUser({ id: NEXT_COMMANDER, name: 'nora', real_name: 'Nora Next', title: 'Incident Manager' });
      await join(app, COMMANDER, channelId);
      await join(app, NEXT_COMMANDER, channelId);
      const { summaryTs } = (await app.deps.store.incidents.findById(incident.id)) as Incident;
      const invitesBefore = app.fake.callsTo('conversations.invite').length;

      const submitted = await assign(app, COMMANDER, channelId, NEXT_COMMANDER, 'commander');
      expect(submitted.text).toBe('');

      // Already in the channel: no invite.
      expect(app.fake.callsTo('conversations.invite')).toHaveLength(invitesBefore);
      const announcement = blockText(
        app.fake.messagesIn(channelId).find((message) => blockText(message).includes('the *Incident Commander*')) ?? {},
      );
      expect(announcement).toContain(`<@${COMMANDER}> made <@${NEXT_COMMANDER}> the *Incident Commander* of ${incident.name}.`);
      expect(announcement).toContain(`<@${COMMANDER}> is now a Participant.`);
      expect(app.fake.channels.get(channelId)?.topic).toContain('Commander: Nora Next');
      const summary = app.fake.messageAt(channelId, summaryTs ?? '');
      expect(summary?.pinned).toBe(true);
      expect(blockText(summary ?? {})).toContain(`Commander <@${NEXT_COMMANDER}>`);
      expect(said(directMessagesTo(app, NEXT_COMMANDER).at(-1) as RecordedCall)).toContain('You are now the Incident Commander');
      const timeline = await app.deps.store.timeline.list(incident.id);
      // Names, never ids: the timeline is read in modals and exports where an id means nothing.
      expect(timeline.at(-1)?.text).toBe(`Incident Commander handed over from ${COMMANDER.toLowerCase()} to Nora Next`);
      expect(timeline.at(-1)?.text).not.toContain(NEXT_COMMANDER);

      const { lines } = await listing(app, COMMANDER, channelId);
      expect(lines[0]).toContain('*Nora Next* (Incident Manager): Incident Commander, Participant');
      expect(lines.find((line) => line.includes(COMMANDER.toLowerCase()))).toContain(': Participant ·');
    });

    test('a role someone already holds is refused in the form, and nothing changes', async () => {
      const incident = await reportIncident(app, { answers: { commander: COMMANDER } });
      const channelId = channelOf(incident);
      await join(app, COMMANDER, channelId);
      const callsBefore = app.fake.calls.length;
      const timelineBefore = (await app.deps.store.timeline.list(incident.id)).length;

      const submitted = await assign(app, COMMANDER, channelId, COMMANDER, 'commander');
      expect(submitted.json()).toEqual({
        response_action: 'errors',
        errors: { role: `They are already the Incident Commander in ${incident.name}; nothing would change.` },
      });
      expect(app.fake.calls.slice(callsBefore).map((call) => call.method)).toEqual(['views.open']);
      expect(await app.deps.store.timeline.list(incident.id)).toHaveLength(timelineBefore);
    });

    test('the app itself cannot be given a role', async () => {
      const incident = await reportIncident(app);
      const submitted = await assign(app, REPORTER, channelOf(incident), app.fake.botUserId, 'scribe');
      expect(submitted.json()).toMatchObject({
        response_action: 'errors',
        errors: { assignee: 'The app cannot hold a role; pick a person.' },
      });
    });
  });
});

describe('restricted commands (SLACK_RESTRICTED_COMMANDS)', () => {
  let app: TestApp;
  let incident: Incident;
  let channelId: string;
  const PARTICIPANT = 'U0PLAINPT1';
  const SCRIBE = 'U0SCRIBE01';

  beforeAll(async () => {
    app = await TestApp.start({ env: { SLACK_RESTRICTED_COMMANDS: '/dispatch-assign-role,/dispatch-mark-stable' } });
    incident = await reportIncident(app, { answers: { commander: COMMANDER } });
    channelId = channelOf(incident);
    await join(app, COMMANDER, channelId);
    await join(app, PARTICIPANT, channelId);
  });
  afterAll(async () => {
    await app.stop();
  });

  test('the welcome suggests restricted commands only to those who may run them', () => {
    const toParticipant = said(ephemeralsTo(app, PARTICIPANT)[0]);
    const toCommander = said(ephemeralsTo(app, COMMANDER)[0]);
    expect(toParticipant).toContain('`/dispatch catchup`');
    expect(toParticipant).not.toContain('`/dispatch role`');
    expect(toParticipant).not.toContain('`/dispatch stable`');
    expect(toCommander).toContain('`/dispatch role`');
    expect(toCommander).toContain('`/dispatch stable`');
  });

  test('anyone else is told privately who can run it, and nothing changes', async () => {
    const before = app.fake.calls.length;
    for (const slug of ['/dispatch-assign-role', '/dispatch-mark-stable']) {
      const { ack, answers } = await run(app, slug, PARTICIPANT, channelId);
      expect(ack.json()).toMatchObject({
        text: `In ${incident.name}, only the Incident Commander (<@${COMMANDER}>) or a Scribe can run ${slug}. Nothing was changed.`,
      });
      expect(ack.json().response_type ?? 'ephemeral').toBe('ephemeral');
      expect(answers).toEqual([]);
    }
    expect(app.fake.calls.slice(before)).toEqual([]);
    expect((await app.deps.incidents.get(incident.id))?.status).toBe('active');
  });

  test('the "Mark stable" button on the summary is refused the same way', async () => {
    const responseUrl = app.fake.responseUrl();
    await app.interact(
      buttonClick({
        actionId: ACTIONS.markStable,
        value: String(incident.id),
        userId: PARTICIPANT,
        channelId,
        triggerId: app.fake.issueTriggerId(),
        responseUrl,
      }),
    );
    // The refusal comes from the global error handler, which answers after the request is done.
    const answer = await app.fake.waitForResponseUrlPost((post) => responseUrl.endsWith(post.path));
    expect(answer.body.response_type).toBe('ephemeral');
    expect(blockText(answer.body)).toContain(
      `In ${incident.name}, only the Incident Commander (<@${COMMANDER}>) or a Scribe can run /dispatch-mark-stable. Nothing was changed.`,
    );
    expect((await app.deps.incidents.get(incident.id))?.status).toBe('active');
  });

  test('the commander and scribes may; a form opened before handing over is refused when submitted', async () => {
    const { ack } = await run(app, '/dispatch-assign-role', COMMANDER, channelId);
    expect(ack.text).toBe('');
    const staleForm = openedView(app);

    expect((await assign(app, COMMANDER, channelId, SCRIBE, 'scribe')).text).toBe('');
    // The scribe (invited by the assignment) may now run it too.
    const byScribe = await run(app, '/dispatch-assign-role', SCRIBE, channelId);
    expect(byScribe.ack.text).toBe('');
    expect(app.fake.lastCall('views.open')?.response.ok).toBe(true);

    expect((await assign(app, COMMANDER, channelId, PARTICIPANT, 'commander')).text).toBe('');
    const before = app.fake.calls.length;
    const stale = await app.interact(viewSubmission(staleForm, { assignee: PARTICIPANT, role: 'liaison' }, COMMANDER));
    await app.settle();
    expect(stale.json()).toMatchObject({
      response_action: 'errors',
      errors: { assignee: `Only the Incident Commander or a Scribe of ${incident.name} can assign roles now. Nothing was changed.` },
    });
    expect(app.fake.calls.slice(before)).toEqual([]);
    const { lines } = await listing(app, PARTICIPANT, channelId);
    expect(lines.find((line) => line.includes(PARTICIPANT.toLowerCase()))).not.toContain('Liaison');
  });
});

describe('participant lists past the bound on work after the ack', () => {
  let app: TestApp;
  const clock = new ManualClock();

  beforeAll(async () => {
    // One request at a time carries on after its ack and none may wait: the rest of a burst is stored.
    app = await TestApp.start({ clock, env: { WORK_MAX_REQUESTS_AFTER_ACK: '1', WORK_MAX_REQUESTS_WAITING_AFTER_ACK: '0' } });
  });
  afterAll(async () => {
    await app.stop();
  });

  test('a burst that needs Slack is stored as its requests and answered once each, on its response_url, by the background work', async () => {
    const incident = await reportIncident(app, { answers: { commander: COMMANDER } });
    const channelId = channelOf(incident);
    await join(app, COMMANDER, channelId);
    await join(app, HELPER, channelId);
    await app.settle();
    // The profiles looked up when they joined have expired, so each list of the burst needs Slack.
    clock.advance(app.settings.slack.userCacheTtlMs + 1000);
    const lookupsBefore = app.fake.callsTo('users.info').length;
    const responseUrls = Array.from({ length: 12 }, () => app.fake.responseUrl());

    // Slack is slow, so the lists of the burst are acked before any profile is known.
    app.fake.setLatency(300);
    const acks = await Promise.all(
      responseUrls.map((responseUrl) =>
        app.command(app.settings.commands.listParticipants, { user_id: HELPER, channel_id: channelId, response_url: responseUrl }),
      ),
    );
    expect(acks.map((ack) => ack.status)).toEqual(responseUrls.map(() => 200));
    await app.settle();
    app.fake.setLatency(0);

    // Past the one slot, each list was stored whole (the one bound), none as a list of its own.
    const stored = await app.deps.store.db.selectFrom('work_items').select(['kind', 'status']).execute();
    const requests = stored.filter((item) => item.kind === SLACK_REQUEST_WORK);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((item) => item.status === 'done')).toBe(true);
    expect(stored.filter((item) => item.kind === SLACK_PARTICIPANT_LIST)).toEqual([]);
    // Each person has the list once: after the ack on its response_url, or (a request that came
    // in once the profiles were known, on a busy machine) in the ack itself and nowhere else.
    responseUrls.forEach((responseUrl, index) => {
      const posts = app.fake.responseUrlPosts.filter((post) => responseUrl.endsWith(post.path));
      const answers = [...(acks[index].text ? [acks[index].json()] : []), ...posts.map((post) => post.body)];
      expect(answers).toHaveLength(1);
      expect(answers[0].response_type).toBe('ephemeral');
      expect(blockText(answers[0])).toContain(`Participants in ${incident.name}`);
      expect(blockText(answers[0])).toContain('Incident Commander');
    });
    expect(app.fake.responseUrlPosts.length).toBeGreaterThanOrEqual(requests.length);
    expect(app.fake.callsTo('users.info').length).toBeGreaterThan(lookupsBefore);
  }, 30_000);

  test('a list an earlier version stored as slack.participant_list is still answered once', async () => {
    const incident = await reportIncident(app, { answers: { commander: COMMANDER } });
    await join(app, COMMANDER, channelOf(incident));
    const responseUrl = app.fake.responseUrl();
    await app.deps.store.workQueue.enqueue({
      kind: SLACK_PARTICIPANT_LIST,
      payload: { incidentId: incident.id, responseUrl },
      dedupeKey: responseUrl,
    });
    app.deps.work.wake();
    await app.settle();
    expect((await app.deps.store.workQueue.find(SLACK_PARTICIPANT_LIST, responseUrl))?.status).toBe('done');
    const posts = app.fake.responseUrlPosts.filter((post) => responseUrl.endsWith(post.path));
    expect(posts).toHaveLength(1);
    expect(blockText(posts[0].body)).toContain(`Participants in ${incident.name}`);
  }, 30_000);
});
