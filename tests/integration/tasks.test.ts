import type { Incident } from '../../incidents/model';
import { FakeSlack } from '../support/fakeSlack';
import { blockText, COMMANDER, openedView, REPORTER, reportIncident, submitOpenedView } from '../support/incidentFlow';
import { buttonClick, messageShortcut, viewSubmission } from '../support/payloads';
import { TestApp } from '../support/testApp';

const ASSIGNEE = 'U0ASSIGNE1';
const OTHER_ASSIGNEE = 'U0ASSIGNE2';

describe('tasks', () => {
  let fake: FakeSlack;
  let app: TestApp;
  let incident: Incident;
  let channelId: string;
  beforeEach(async () => {
    fake = await FakeSlack.start({ appId: 'A0APPTEST1' });
    app = await TestApp.start({ fake, env: { STATUS_REPORT_REMINDER_CHECK_INTERVAL: '1h' } });
    incident = await reportIncident(app, { answers: { commander: COMMANDER } });
    channelId = incident.channelId as string;
  });
  afterEach(async () => {
    await app.stop();
    await fake.stop();
  });

  /** Runs the list command; returns what the person sees: the ack itself, with nothing posted to the response_url. */
  async function listTasks(): Promise<{ body: Record<string, unknown> }> {
    const responseUrl = fake.responseUrl();
    const answer = await app.command('/dispatch-list-tasks', { channel_id: channelId, user_id: REPORTER, response_url: responseUrl });
    expect(answer.status).toBe(200);
    await app.settle();
    expect(postsTo(responseUrl)).toEqual([]);
    return { body: answer.json() };
  }

  /** Clicks a button on the list as Slack sends it: with that click's own response_url. */
  async function click(actionId: string, value: string): Promise<{ responseUrl: string }> {
    const responseUrl = fake.responseUrl();
    await app.interact(buttonClick({ actionId, value, userId: REPORTER, channelId, triggerId: fake.issueTriggerId(), responseUrl }));
    await app.settle();
    return { responseUrl };
  }

  const postsTo = (responseUrl: string) => fake.responseUrlPosts.filter((post) => responseUrl.endsWith(post.path));

  async function addTaskFromList(description: string, assignees: string[]): Promise<{ responseUrl: string }> {
    const clicked = await click('task_add', String(incident.id));
    expect(openedView(app).callback_id).toBe('task_add');
    const answer = await submitOpenedView(app, { description, assignees }, REPORTER);
    expect(answer.text).toBe('');
    return clicked;
  }

  test('the list starts empty, privately, with an "Add task" button', async () => {
    const list = await listTasks();
    expect(list.body.response_type).toBe('ephemeral');
    expect(list.body.replace_original).toBeUndefined();
    expect(blockText(list.body)).toContain('No tasks yet');
    expect(blockText(list.body)).toContain('"action_id":"task_add"');
  });

  test('"Add task" creates the task, DMs each assignee, updates the list in place and adds a timeline event', async () => {
    await listTasks();
    const { responseUrl } = await addTaskFromList('Roll back deploy 42 & <check> replicas', [ASSIGNEE, OTHER_ASSIGNEE]);

    const [task] = await app.deps.tasks.list(incident.id);
    expect(task).toMatchObject({ description: 'Roll back deploy 42 & <check> replicas', creatorId: REPORTER, status: 'open' });
    expect(task.assigneeIds.sort()).toEqual([ASSIGNEE, OTHER_ASSIGNEE]);

    for (const assignee of [ASSIGNEE, OTHER_ASSIGNEE]) {
      const dm = fake.callsTo('chat.postMessage').find((call) => call.args.channel === assignee);
      expect(blockText(dm?.args ?? {})).toContain('Roll back deploy 42 &amp; &lt;check&gt; replicas');
      expect(blockText(dm?.args ?? {})).toContain(`<@${REPORTER}> assigned you a task`);
    }

    const [update] = postsTo(responseUrl);
    expect(update.body.replace_original).toBe(true);
    const text = blockText(update.body);
    expect(text).toContain('Roll back deploy 42 &amp; &lt;check&gt; replicas');
    expect(text).toContain(`<@${ASSIGNEE}>`);
    expect(text).toContain(`created by <@${REPORTER}>`);
    expect(text).toContain('{ago}');
    expect(text).toContain('"action_id":"task_resolve"');

    const timeline = await app.deps.timeline.list(incident.id);
    expect(timeline.at(-1)).toMatchObject({ kind: 'task', text: 'Task added: Roll back deploy 42 & <check> replicas', actorId: REPORTER });
  });

  test('Resolve updates the list in place and adds a timeline event; Reopen undoes it', async () => {
    await addTaskFromList('Page the database team', [ASSIGNEE]);
    const [task] = await app.deps.tasks.list(incident.id);

    const resolved = await click('task_resolve', String(task.id));
    const [afterResolve] = postsTo(resolved.responseUrl);
    expect(afterResolve.body.replace_original).toBe(true);
    expect(blockText(afterResolve.body)).toContain('~Page the database team~');
    expect(blockText(afterResolve.body)).toContain(`resolved by <@${REPORTER}>`);
    expect(blockText(afterResolve.body)).toContain('"action_id":"task_reopen"');
    expect(blockText(afterResolve.body)).toContain('0 open, 1 resolved');
    expect((await app.deps.tasks.require(task.id)).status).toBe('resolved');

    const reopened = await click('task_reopen', String(task.id));
    const [afterReopen] = postsTo(reopened.responseUrl);
    expect(blockText(afterReopen.body)).toContain('1 open, 0 resolved');
    expect((await app.deps.tasks.require(task.id)).status).toBe('open');

    const taskEvents = (await app.deps.timeline.list(incident.id)).filter((event) => event.kind === 'task').map((event) => event.text);
    expect(taskEvents).toEqual([
      'Task added: Page the database team',
      'Task resolved: Page the database team',
      'Task reopened: Page the database team',
    ]);
  });

  test('resolving twice (two people at once) records it once and still shows the list', async () => {
    await addTaskFromList('Page the database team', []);
    const [task] = await app.deps.tasks.list(incident.id);
    await click('task_resolve', String(task.id));
    const second = await click('task_resolve', String(task.id));
    expect(blockText(postsTo(second.responseUrl)[0].body)).toContain('0 open, 1 resolved');
    const resolutions = (await app.deps.timeline.list(incident.id)).filter((event) => event.text.startsWith('Task resolved'));
    expect(resolutions).toHaveLength(1);
  });

  test('an empty description is refused inline', async () => {
    await click('task_add', String(incident.id));
    const answer = await app.interact(viewSubmission(openedView(app), { description: '   ' }, REPORTER));
    expect(answer.json()).toMatchObject({ response_action: 'errors', errors: { description: 'Please describe the task.' } });
    await app.settle();
    expect(await app.deps.tasks.list(incident.id)).toEqual([]);
  });

  test('the "Add task" message shortcut prefills the text and links the task back to the message', async () => {
    const message = fake.addMessage({ channel: channelId, user: COMMANDER, text: 'Someone please check the replica lag' });
    await app.interact(
      messageShortcut({
        callbackId: 'add_task_from_message',
        userId: REPORTER,
        channelId,
        message: { ts: message.ts, text: message.text as string, user: COMMANDER },
        triggerId: fake.issueTriggerId(),
        responseUrl: fake.responseUrl(),
      }),
    );
    await app.settle();
    const view = openedView(app);
    expect(view.callback_id).toBe('task_add');
    expect(JSON.stringify(view.blocks)).toContain('Someone please check the replica lag');
    await submitOpenedView(app, { assignees: [ASSIGNEE] }, REPORTER);

    const [task] = await app.deps.tasks.list(incident.id);
    const permalink = `https://acme.slack.com/archives/${channelId}/p${message.ts.replace('.', '')}`;
    expect(task).toMatchObject({ description: 'Someone please check the replica lag', sourceUrl: permalink });
    expect(fake.lastCall('chat.getPermalink')?.args).toMatchObject({ channel: channelId, message_ts: message.ts });
    // No list to update: the creator gets a private confirmation.
    const confirmation = fake.callsTo('chat.postEphemeral').find((call) => call.args.user === REPORTER);
    expect(blockText(confirmation?.args ?? {})).toContain('Task added to *dispatch-1*');
    const dm = fake.callsTo('chat.postMessage').find((call) => call.args.channel === ASSIGNEE);
    expect(blockText(dm?.args ?? {})).toContain(permalink);
  });

  test('the shortcut outside an incident channel says where it works', async () => {
    const responseUrl = fake.responseUrl();
    await app.interact(
      messageShortcut({
        callbackId: 'add_task_from_message',
        userId: REPORTER,
        channelId: 'C0GENERAL1',
        message: { ts: '1700000000.000100', text: 'hello', user: COMMANDER },
        triggerId: fake.issueTriggerId(),
        responseUrl,
      }),
    );
    await app.settle();
    const [reply] = postsTo(responseUrl);
    expect(blockText(reply.body)).toContain("works on messages in an incident's channel");
    expect(fake.callsTo('views.open').filter((call) => call.args.view && JSON.stringify(call.args.view).includes('task_add'))).toEqual([]);
  });

  test('when the list can no longer be redrawn (its response_url is used up), the creator is told privately', async () => {
    const { responseUrl } = await click('task_add', String(incident.id));
    for (let use = 0; use < 5; use += 1) await fetch(responseUrl, { method: 'POST', body: '{"text":"earlier use"}' });
    await submitOpenedView(app, { description: 'Check the CDN' }, REPORTER);
    expect(await app.deps.tasks.list(incident.id)).toHaveLength(1);
    const confirmation = fake.callsTo('chat.postEphemeral').find((call) => call.args.user === REPORTER);
    expect(blockText(confirmation?.args ?? {})).toContain('Task added to *dispatch-1*: Check the CDN');
  });

  test('a failed assignee DM is named to the creator; the task stays', async () => {
    fake.failNext('chat.postMessage', 'user_not_found');
    await addTaskFromList('Check the CDN', [ASSIGNEE]);
    expect(await app.deps.tasks.list(incident.id)).toHaveLength(1);
    const notice = fake.callsTo('chat.postEphemeral').find((call) => blockText(call.args).includes('could not be told'));
    expect(blockText(notice?.args ?? {})).toContain(`<@${ASSIGNEE}> could not be told (Slack could not find that user)`);
  });
});
