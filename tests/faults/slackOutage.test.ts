/**
 * Issue 10, cases 5 and the Slack half of 2: during a Slack outage the person who acted hears
 * within seconds what happened and that it will be retried; the work is done once Slack is
 * back. An incident whose setup was cut off (the process died after recording it) is set up
 * by the next instance that starts on the same database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestDatabase } from '../support/database';
import { FakeSlack } from '../support/fakeSlack';
import { blockText, COMMANDER, openedView, REPORTER, reportIncident } from '../support/incidentFlow';
import { viewSubmission } from '../support/payloads';
import { TestApp } from '../support/testApp';

const OUTAGE_MS = 15_000;

async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('a Slack outage', () => {
  let fake: FakeSlack;
  let app: TestApp;
  beforeEach(async () => {
    fake = await FakeSlack.start({ appId: 'A0APPTEST1' });
    app = await TestApp.start({ fake, env: { STATUS_REPORT_REMINDER_CHECK_INTERVAL: '1h' } });
  });
  afterEach(async () => {
    await app.stop();
    await fake.stop();
  });

  test('15 s of HTTP 503 from chat.postMessage: the author hears within seconds, the report is posted once Slack is back', async () => {
    const incident = await reportIncident(app, { answers: { commander: COMMANDER } });
    const channelId = incident.channelId as string;
    await app.command('/dispatch-status-report', { channel_id: channelId, user_id: COMMANDER });
    await app.settle();
    const submission = viewSubmission(
      openedView(app),
      { conditions: 'Errors at 5%', actions: 'Rolled back deploy 42', needs: 'Nothing' },
      COMMANDER,
    );

    fake.httpErrorNext('chat.postMessage', 503, 100_000);
    const outageStarted = Date.now();
    const answer = await app.interact(submission);
    expect(answer.status).toBe(200);
    expect(answer.elapsedMs).toBeLessThan(1_000);

    const told = await eventually(
      () => fake.callsTo('chat.postEphemeral').find((call) => call.args.user === COMMANDER && /keeps retrying/.test(blockText(call.args))),
      10_000,
    );
    const toldAfterMs = told.at - outageStarted;
    expect(toldAfterMs).toBeLessThan(6_000);
    expect(blockText(told.args)).toContain('Nothing recorded was lost');

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - outageStarted))));
    fake.clearInjected('chat.postMessage');

    const posted = await eventually(
      () => fake.messagesIn(channelId).find((message) => blockText(message).includes('Rolled back deploy 42') && message.pinned),
      45_000,
    );
    await app.settle(30_000);
    expect(fake.messagesIn(channelId).filter((message) => blockText(message).includes('Rolled back deploy 42'))).toHaveLength(1);
    const [report] = await app.deps.store.reports.history(incident.id);
    expect(report.messageTs).toBe(posted.ts);
  }, 90_000);
});

describe('an incident whose setup was cut off', () => {
  test('is set up by the next instance on the same database: channel, summary, announcement, the reporter told', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'dispatch-setup-'));
    const database: TestDatabase = { kind: 'sqlite', url: `sqlite:${join(directory, 'dispatch.db')}`, drop: async () => undefined };
    const fake = await FakeSlack.start({ appId: 'A0APPTEST1' });
    const announcements = fake.addChannel({ name: 'incidents', is_private: false });
    const env = { SLACK_INCIDENT_NOTIFICATION_CHANNELS: announcements.id, STATUS_REPORT_REMINDER_CHECK_INTERVAL: '1h' };
    try {
      const first = await TestApp.start({ fake, database, env });
      // What a process killed right after the commit leaves behind: the record, and nothing in Slack.
      const recorded = await first.deps.incidents.report({
        title: 'Payments are down',
        description: 'Card payments fail with a timeout',
        type: 'Other',
        priority: 'High',
        visibility: 'open',
        reporterId: REPORTER,
      });
      await first.stop();
      expect(fake.callsTo('conversations.create')).toHaveLength(0);

      const second = await TestApp.start({ fake, database, env, setupRecoveryGraceMs: 0 });
      try {
        const incident = await eventually(async () => {
          const current = await second.deps.incidents.get(recorded.id);
          return current?.channelId && current.summaryTs ? current : undefined;
        }, 15_000);
        await second.settle();
        expect(fake.callsTo('conversations.create').filter((call) => call.response.ok === true)).toHaveLength(1);
        expect(fake.messagesIn(announcements.id).some((message) => blockText(message).includes('Payments are down'))).toBe(true);
        expect(fake.messageAt(incident.channelId as string, incident.summaryTs as string)?.pinned).toBe(true);
        const dm = fake.callsTo('chat.postMessage').find((call) => blockText(call.args).includes('You reported'));
        expect(dm).toBeDefined();
      } finally {
        await second.stop();
      }
    } finally {
      await fake.stop();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
