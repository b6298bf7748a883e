import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INCIDENT_EVENT_TYPES } from '../../incidents/incidentEvents';
import { ManualClock } from '../support/clock';
import { FakeSlack } from '../support/fakeSlack';
import { openedView, REPORTER, reportIncident, submitOpenedView } from '../support/incidentFlow';
import { buttonClick, messageShortcut } from '../support/payloads';
import { APP_ID, TestApp } from '../support/testApp';
import { type ReceivedWebhook, WebhookReceiver } from '../support/webhookReceiver';

/**
 * Every change a responder makes in Slack reaches the webhook endpoints, signed, in the order it
 * was made: the whole life of an incident, over signed HTTP, against a receiver on 127.0.0.1.
 */
const SECRET = 'events-test-secret-0123456789';
const SCRIBE = 'U0SCRIBE01';
const ONCALL = 'U0PAYONE';

function scheduleFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'dispatch-webhooks-')), 'oncall.yml');
  writeFileSync(file, ['services:', '  - name: Payments API', `    users: [${ONCALL}]`, '    rotation: weekly'].join('\n'));
  return file;
}

describe('webhooks of incident changes made in Slack', () => {
  let fake: FakeSlack;
  let receiver: WebhookReceiver;
  let app: TestApp;

  beforeEach(async () => {
    fake = await FakeSlack.start({ appId: APP_ID });
    fake.addUser({ id: ONCALL, name: 'pat', real_name: 'Pat One' });
    fake.addUser({ id: SCRIBE, name: 'sam', real_name: 'Sam Scribe' });
    receiver = await WebhookReceiver.start();
    app = await TestApp.start({
      fake,
      clock: new ManualClock('2026-11-30T10:00:00Z'),
      env: {
        WEBHOOK_URLS: `${receiver.url('/everything')} restricted, ${receiver.url('/status-page')} events=incident.*`,
        WEBHOOK_SECRET: SECRET,
        ONCALL_PROVIDER: 'schedule',
        ONCALL_SCHEDULE_FILE: scheduleFile(),
      },
    });
  });
  afterEach(async () => {
    await app.stop();
    await fake.stop();
    await receiver.stop();
  });

  async function run(command: string, channelId: string, user = REPORTER): Promise<void> {
    const answer = await app.command(command, { channel_id: channelId, user_id: user });
    expect(answer.status).toBe(200);
    await app.settle();
  }

  async function click(actionId: string, value: string, channelId: string): Promise<void> {
    await app.interact(
      buttonClick({ actionId, value, userId: REPORTER, channelId, triggerId: fake.issueTriggerId(), responseUrl: fake.responseUrl() }),
    );
    await app.settle();
  }

  const at = (path: string): ReceivedWebhook[] => receiver.delivered.filter((webhook) => webhook.path === path);

  test("every event type, signed, in the order the changes were made, with the incident's state after each", async () => {
    const incident = await reportIncident(app, { title: 'Checkout is failing' });
    const channelId = incident.channelId as string;

    await run(app.settings.commands.assignRole, channelId);
    await submitOpenedView(app, { assignee: SCRIBE, role: 'scribe' }, REPORTER);
    await run('/dispatch-engage-oncall', channelId);
    await submitOpenedView(app, { oncall_service: 'Payments API', oncall_note: 'Gateway errors' }, REPORTER);
    await click('task_add', String(incident.id), channelId);
    await submitOpenedView(app, { description: 'Roll back the gateway', assignees: [SCRIBE] }, REPORTER);
    const [task] = await app.deps.tasks.list(incident.id);
    await click('task_resolve', String(task.id), channelId);
    await run('/dispatch-status-report', channelId);
    await submitOpenedView(app, { conditions: 'Payments fail', actions: 'Rolling back', needs: 'Nothing' }, REPORTER);
    await run('/dispatch-mark-stable', channelId);
    await run('/dispatch-edit-incident', channelId);
    await submitOpenedView(app, { title: 'Card payments failing', priority: 'Medium' }, REPORTER);
    await run('/dispatch-mark-closed', channelId);
    expect(openedView(app).callback_id).toBe('incident_resolution');
    await submitOpenedView(app, { resolution: 'Rolled back the gateway.' }, REPORTER);
    const message = fake.addMessage({ channel: channelId, text: 'We need an alert on the gateway error rate', user: SCRIBE });
    await app.interact(
      messageShortcut({
        callbackId: 'add_follow_up_from_message',
        userId: REPORTER,
        channelId,
        message: { ts: message.ts, text: message.text as string, user: SCRIBE },
        triggerId: fake.issueTriggerId(),
        responseUrl: fake.responseUrl(),
      }),
    );
    await app.settle();
    await submitOpenedView(app, { owner: SCRIBE }, REPORTER);
    await run('/dispatch-mark-active', channelId);

    const expected = [
      'incident.reported',
      'participant.role_assigned',
      'oncall.engaged',
      'task.created',
      'task.resolved',
      'status_report.posted',
      'incident.status_changed',
      'incident.updated',
      'incident.closed',
      'followup.created',
      'incident.reopened',
    ];
    await receiver.waitFor(() => at('/everything').length === expected.length && at('/status-page').length === 5, 15_000);
    const everything = at('/everything');
    expect(everything.map((webhook) => webhook.payload.type)).toEqual(expected);
    expect(at('/status-page').map((webhook) => webhook.payload.type)).toEqual(expected.filter((type) => type.startsWith('incident.')));
    expect(new Set(INCIDENT_EVENT_TYPES)).toEqual(new Set(expected));
    for (const webhook of receiver.received) {
      expect(WebhookReceiver.hasValidSignature(webhook, SECRET)).toBe(true);
      expect(webhook.payload.incident).toMatchObject({ id: incident.id, name: incident.name, visibility: 'open' });
    }
    expect(new Set(everything.map((webhook) => webhook.payload.id)).size).toBe(expected.length);

    const payload = (type: string) => everything.find((webhook) => webhook.payload.type === type)?.payload;
    expect(payload('incident.reported')).toMatchObject({
      actor: { user_id: REPORTER },
      incident: { title: 'Checkout is failing', status: 'active', priority: 'High' },
      changes: { status: { old: null, new: 'active' } },
    });
    expect(payload('participant.role_assigned')?.data).toEqual({ user_id: SCRIBE, role: 'scribe', previous_commander_id: null });
    expect(payload('oncall.engaged')?.data).toEqual({ service: 'Payments API', user_ids: [ONCALL], paged: false, note: 'Gateway errors' });
    expect(payload('task.created')?.data.task).toMatchObject({
      id: task.id,
      description: 'Roll back the gateway',
      status: 'open',
      assignee_ids: [SCRIBE],
    });
    expect(payload('task.resolved')?.data.task).toMatchObject({ id: task.id, status: 'resolved', resolved_by: REPORTER });
    expect(payload('status_report.posted')?.data.status_report).toMatchObject({
      conditions: 'Payments fail',
      actions: 'Rolling back',
      needs: 'Nothing',
    });
    expect(payload('incident.status_changed')).toMatchObject({
      changes: { status: { old: 'active', new: 'stable' } },
      incident: { status: 'stable' },
    });
    expect(payload('incident.updated')?.changes).toEqual({
      title: { old: 'Checkout is failing', new: 'Card payments failing' },
      priority: { old: 'High', new: 'Medium' },
    });
    expect(payload('incident.closed')).toMatchObject({
      changes: { status: { old: 'stable', new: 'closed' }, resolution: { old: null, new: 'Rolled back the gateway.' } },
      incident: { status: 'closed', title: 'Card payments failing', resolution: 'Rolled back the gateway.' },
    });
    expect(payload('followup.created')).toMatchObject({
      actor: { user_id: REPORTER },
      incident: { status: 'closed' },
      data: {
        followup: { description: 'We need an alert on the gateway error rate', owner_id: SCRIBE, creator_id: REPORTER, due_on: null },
      },
    });
    expect(payload('incident.reopened')).toMatchObject({
      changes: { status: { old: 'closed', new: 'active' } },
      incident: { status: 'active' },
    });
    expect(payload('incident.closed')?.incident.channel_url).toBe(`https://acme.slack.com/archives/${channelId}`);
  });

  test('a restricted incident reaches only the endpoint that opted in; a refused change sends nothing', async () => {
    const incident = await reportIncident(app, { answers: { visibility: 'restricted' } });
    await run('/dispatch-mark-active', incident.channelId as string);
    await receiver.waitFor(() => receiver.delivered.length === 1);
    await app.settle();
    expect(receiver.received.map((webhook) => [webhook.path, webhook.payload.type, webhook.payload.incident.visibility])).toEqual([
      ['/everything', 'incident.reported', 'restricted'],
    ]);
  });
});
