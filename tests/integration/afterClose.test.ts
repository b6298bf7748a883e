import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pngSize } from '../../reports/chart';
import { ACTIONS } from '../../slack/blocks/ids';
import { Store } from '../../store';
import {
  EXPECTED_POSTMORTEM,
  NAMES,
  NOW,
  OUTSIDER,
  RESPONDER,
  STORY_START,
  seedMetricsRecord,
  tellStory,
} from '../support/afterfireRecord';
import { ManualClock } from '../support/clock';
import type { TestDatabase } from '../support/database';
import { FakeSlack } from '../support/fakeSlack';
import { blockText, COMMANDER, openedView, reportIncident, submitOpenedView } from '../support/incidentFlow';
import { buttonClick, memberJoined, viewSubmission } from '../support/payloads';
import { TestApp, testEnv } from '../support/testApp';

const run = promisify(execFile);
const SRE = 'U0SRE00001';
const QUIET = 'U0QUIET001';
const HOUR = 3_600_000;

const feedbackAsks = (fake: FakeSlack, userId: string) =>
  fake
    .callsTo('chat.postMessage')
    .filter((call) => call.response.ok === true && call.args.channel === userId && blockText(call.args).includes(ACTIONS.openFeedback));

async function openHome(app: TestApp, userId: string): Promise<string> {
  await app.event({ type: 'app_home_opened', user: userId, channel: 'D0HOME0001', tab: 'home', event_ts: '1772442000.000300' });
  await app.settle();
  const call = app.fake
    .callsTo('views.publish')
    .filter((c) => c.args.user_id === userId)
    .at(-1);
  if (!call) throw new Error('no Home tab was published');
  expect(call.response.ok).toBe(true);
  return JSON.stringify(call.args.view);
}

describe('feedback after close', () => {
  let app: TestApp;
  afterEach(() => app.stop());

  async function closedIncidentWithResponders(env: Record<string, string> = {}, clock = new ManualClock(STORY_START)) {
    app = await TestApp.start({ clock, env: { DISPATCH_ADMINS: 'U0ADMIN001', ...env } });
    const incident = await reportIncident(app, { answers: { commander: COMMANDER } });
    for (const userId of [COMMANDER, SRE, QUIET]) await app.event(memberJoined(userId, incident.channelId as string));
    await app.settle();
    await app.command(app.settings.commands.markClosed, { channel_id: incident.channelId as string, user_id: COMMANDER });
    await app.settle();
    await submitOpenedView(app, { resolution: 'Rolled back.' }, COMMANDER);
    return incident;
  }

  async function answer(userId: string, incidentId: number, answers: Record<string, string | string[]>) {
    await app.interact(
      buttonClick({
        actionId: ACTIONS.openFeedback,
        value: String(incidentId),
        userId,
        triggerId: app.fake.issueTriggerId(),
        responseUrl: app.fake.responseUrl(),
      }),
    );
    await app.settle();
    return submitOpenedView(app, answers, userId);
  }

  test('everyone who took part is asked once; answers are stored once; anonymous ones stay unnamed for the commander', async () => {
    const incident = await closedIncidentWithResponders();
    for (const userId of [COMMANDER, SRE, QUIET]) expect(feedbackAsks(app.fake, userId)).toHaveLength(1);
    // Later scans (any replica) ask nobody again.
    expect((await app.running.afterClose.runOnce()).feedback.asked).toBe(0);
    expect(feedbackAsks(app.fake, SRE)).toHaveLength(1);

    expect((await answer(SRE, incident.id, { rating: '4', went_well: 'Fast rollback', to_improve: 'Alerting' })).text).toBe('');
    expect((await answer(QUIET, incident.id, { rating: '2', to_improve: 'Too many pings', anonymous: ['anonymous'] })).text).toBe('');
    // A second answer is refused in the form; the first is kept.
    await app.interact(
      buttonClick({
        actionId: ACTIONS.openFeedback,
        value: String(incident.id),
        userId: SRE,
        triggerId: app.fake.issueTriggerId(),
        responseUrl: app.fake.responseUrl(),
      }),
    );
    await app.settle();
    expect(JSON.stringify(app.fake.responseUrlPosts.at(-1)?.body)).toContain('already gave feedback');
    const again = await app.interact(
      viewSubmission(
        openedView(app, (call) => blockText(call.args.view as object).includes('How did it go')),
        { rating: '1' },
        SRE,
      ),
    );
    expect(again.json()).toMatchObject({ response_action: 'errors', errors: { rating: expect.stringContaining('already gave feedback') } });
    const stored = await app.deps.store.feedback.list(incident.id);
    expect(stored.map((row) => [row.userId, row.rating, row.anonymous]).sort()).toEqual([
      [QUIET, 2, true],
      [SRE, 4, false],
    ]);

    const commanderHome = await openHome(app, COMMANDER);
    expect(commanderHome).toContain('average *3.0* of 5 (2 of 3 answered)');
    expect(commanderHome).toContain(`4/5, <@${SRE}>: went well: Fast rollback; to improve: Alerting`);
    expect(commanderHome).toContain('2/5, _anonymous_: to improve: Too many pings');
    expect(commanderHome).not.toContain(`<@${QUIET}>`);
    expect(await openHome(app, 'U0ADMIN001')).toContain('average *3.0* of 5');
    expect(await openHome(app, SRE)).not.toContain('Feedback on closed incidents');
  });

  test('FEEDBACK_DELAY holds the form back until a scan after the delay; FEEDBACK_ENABLED=false never asks', async () => {
    const clock = new ManualClock(STORY_START);
    await closedIncidentWithResponders({ FEEDBACK_DELAY: '2h' }, clock);
    expect(feedbackAsks(app.fake, SRE)).toHaveLength(0);
    clock.advance(HOUR);
    expect((await app.running.afterClose.runOnce()).feedback.asked).toBe(0);
    clock.advance(HOUR + 1000);
    expect((await app.running.afterClose.runOnce()).feedback.asked).toBe(3);
    expect(feedbackAsks(app.fake, SRE)).toHaveLength(1);
    await app.stop();

    await closedIncidentWithResponders({ FEEDBACK_ENABLED: 'false' });
    expect((await app.running.afterClose.runOnce()).feedback.asked).toBe(0);
    expect(feedbackAsks(app.fake, SRE)).toHaveLength(0);
  });
});

describe('metrics on the Home tab', () => {
  let app: TestApp;
  afterEach(() => app.stop());

  test('with PUBLIC_URL: a signed, expiring chart URL Slack can fetch as a PNG, and the durations from the seeded record', async () => {
    const clock = new ManualClock(NOW);
    app = await TestApp.start({ clock, env: { PUBLIC_URL: 'https://dispatch.example.com', CHART_LINK_TTL: '1h' } });
    await seedMetricsRecord(app.deps.store);
    const home = JSON.parse(await openHome(app, OUTSIDER)) as {
      blocks: Array<{ type: string; image_url?: string; text?: { text: string } }>;
    };
    const image = home.blocks.find((block) => block.type === 'image');
    expect(image?.image_url).toMatch(/^https:\/\/dispatch\.example\.com\/charts\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.png$/);
    const text = JSON.stringify(home.blocks);
    // High: 60 min median and 84 min p90 to stable; 240 and 432 min to close (worked out in tests/unit/metrics.test.ts).
    expect(text).toMatch(/High\s+3\s+1h \/ 1h 24m\s+4h \/ 7h 12m/);
    expect(text).toMatch(/Low\s+2\s+10m \/ 10m\s+–/);
    expect(text).toContain('5 incidents reported since 2025-12-29');
    expect(text).not.toMatch(/Medium\s+1/); // G is restricted and OUTSIDER takes no part in it

    const path = new URL(image?.image_url as string).pathname;
    const chart = await fetch(`${app.url}${path}`);
    expect(chart.status).toBe(200);
    expect(chart.headers.get('content-type')).toBe('image/png');
    expect(pngSize(Buffer.from(await chart.arrayBuffer()))).toEqual({ width: 1280, height: 520 });

    const [payload, signature] = path.slice('/charts/'.length).split('.');
    const forged = Buffer.from(JSON.stringify({ u: RESPONDER, e: NOW.getTime() + 100 * HOUR, n: 'x' })).toString('base64url');
    expect((await fetch(`${app.url}/charts/${forged}.${signature}.png`)).status).toBe(404);
    expect((await fetch(`${app.url}/charts/${payload}.png`)).status).toBe(404);
    clock.advance(HOUR);
    expect((await fetch(`${app.url}${path}`)).status).toBe(404);
  });

  test('without PUBLIC_URL: the same weekly numbers as a table; restricted incidents count for those who take part', async () => {
    app = await TestApp.start({ clock: new ManualClock(NOW) });
    await seedMetricsRecord(app.deps.store);
    const outsider = await openHome(app, OUTSIDER);
    expect(outsider).not.toContain('"type":"image"');
    expect(outsider).toMatch(/03-02\s+0\s+0\s+0\s+2\s+2/);
    expect(outsider).toMatch(/03-16\s+0\s+1\s+0\s+0\s+1/);
    const responder = await openHome(app, RESPONDER);
    expect(responder).toMatch(/03-16\s+0\s+1\s+1\s+0\s+2/);
    expect(responder).toContain('6 incidents reported');
  });
});

describe('the command-line tools', () => {
  let directory: string;
  let fake: FakeSlack;
  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'dispatch-cli-'));
    fake = await FakeSlack.start({ appId: 'A0APPTEST1', strictUsers: true });
  });
  afterEach(async () => {
    await fake.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  const cli = (script: string, args: string[], database: TestDatabase) =>
    run(process.execPath, [require.resolve('tsx/cli'), join(__dirname, '../../scripts', script), ...args], {
      env: { ...process.env, ...testEnv(fake, database), LOG_LEVEL: 'error' },
      cwd: directory,
      timeout: 60_000,
    });

  test('npm run postmortem -- dispatch-1 prints the same draft, names from Slack; an unknown name is refused', async () => {
    const database: TestDatabase = { kind: 'sqlite', url: `sqlite:${join(directory, 'dispatch.db')}`, drop: async () => undefined };
    const store = await Store.open(database.url);
    await tellStory(store, new ManualClock(STORY_START));
    await store.close();
    for (const [id, name] of Object.entries(NAMES)) fake.addUser({ id, name: id.toLowerCase(), real_name: name });
    const { stdout } = await cli('postmortem.ts', ['dispatch-1'], database);
    expect(stdout).toBe(readFileSync(EXPECTED_POSTMORTEM, 'utf8'));
    await expect(cli('postmortem.ts', ['dispatch-99'], database)).rejects.toMatchObject({
      stderr: expect.stringContaining('no incident named dispatch-99'),
    });
  });

  test('npm run report -- --since ... --format csv|json exports the figures of every incident', async () => {
    const database: TestDatabase = { kind: 'sqlite', url: `sqlite:${join(directory, 'dispatch.db')}`, drop: async () => undefined };
    const store = await Store.open(database.url);
    await seedMetricsRecord(store);
    await store.close();
    const csv = (await cli('report.ts', ['--since', '2026-03-01', '--until', '2026-03-18', '--format', 'csv'], database)).stdout;
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'section,week_start,priority,type,incidents,to_stable_count,to_stable_median_minutes,to_stable_p90_minutes,to_close_count,to_close_median_minutes,to_close_p90_minutes',
    );
    expect(lines).toContain('week,2026-03-02,High,,2,,,,,,');
    expect(lines).toContain('priority,,High,,3,3,60,84,3,240,432');
    // G (restricted, Medium) counts in an admin's export.
    expect(lines).toContain('priority,,Medium,,1,1,20,20,1,40,40');
    expect(lines).toContain('type,,,Security,2,2,15,19,1,40,40');
    const json = JSON.parse(
      (await cli('report.ts', ['--since', '2026-03-01', '--until', '2026-03-18', '--format', 'json'], database)).stdout,
    ) as {
      incidents: number;
      since: string;
    };
    expect(json).toMatchObject({ incidents: 6, since: '2026-03-01T00:00:00.000Z' });
    await expect(cli('report.ts', ['--format', 'xml'], database)).rejects.toMatchObject({ stderr: expect.stringContaining('csv or json') });
  });
});

describe('the postmortem draft from the summary button', () => {
  test('is built from the record as it stands and uploaded to the channel with files.uploadV2', async () => {
    const app = await TestApp.start({ clock: new ManualClock(STORY_START) });
    try {
      const incident = await reportIncident(app, { title: 'Search <b>is</b> *slow*', answers: { commander: COMMANDER } });
      const summary = app.fake.messagesIn(incident.channelId as string).find((message) => blockText(message).includes(ACTIONS.postmortem));
      expect(summary).toBeDefined();
      await app.interact(
        buttonClick({
          actionId: ACTIONS.postmortem,
          value: String(incident.id),
          userId: COMMANDER,
          channelId: incident.channelId as string,
          messageTs: summary?.ts,
          triggerId: app.fake.issueTriggerId(),
          responseUrl: app.fake.responseUrl(),
        }),
      );
      await app.settle();
      const methods = app.fake.calls.map((call) => call.method).filter((method) => method.startsWith('files.'));
      expect(methods).toEqual(['files.getUploadURLExternal', 'files.completeUploadExternal']);
      const [file] = app.fake.files;
      expect(file.channels).toEqual([incident.channelId]);
      expect(file.initialComment).toContain(`<@${COMMANDER}>`);
      expect(file.content).toContain('# Postmortem: dispatch-1: Search \\<b\\>is\\</b\\> \\*slow\\*');
      expect(file.content).toContain('- Closed: not yet');
    } finally {
      await app.stop();
    }
  });
});
