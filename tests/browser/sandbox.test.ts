/**
 * The sandbox in a real browser (Debian's Chromium through playwright-core), driven the way a
 * person uses it: elements found by role and label, never by CSS. One incident from the
 * composer in #general to Home, through the real app over signed HTTP.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { playDemo } from '../../sandbox/demo';
import { type RunningSandbox, startSandbox } from '../../sandbox/start';
import { see } from './support/see';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const SCREENSHOT = resolve(__dirname, '../../docs/images/sandbox.png');

describe('the sandbox page', () => {
  let dataDir: string;
  let sandbox: RunningSandbox;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dispatch-sandbox-'));
    sandbox = await startSandbox({ dataDir, fresh: true, port: 0, logLevel: 'error' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const sidebar = () => page.getByRole('navigation', { name: 'Workspace' });
  const messages = (channel: string) => page.getByRole('list', { name: `Messages in #${channel}` });

  test('report from the composer, mark stable, a status report, a timeline reaction, and Home', async () => {
    await page.goto(`${sandbox.url}/#as=U0ALEXRIVR&at=C0SBXGENRL`);
    await see(page.getByRole('heading', { name: '# general' })).visible();
    await see(page.getByLabel('Acting as')).value('U0ALEXRIVR');

    // The composer offers the manifest's commands as soon as "/" is typed.
    const composer = page.getByRole('textbox', { name: 'Message' });
    await composer.fill('/dispatch-rep');
    await see(page.getByRole('listbox', { name: 'Slash commands' }).getByRole('option', { name: /\/dispatch-report-incident/ })).visible();
    await composer.press('Tab');
    await see(composer).value('/dispatch-report-incident ');
    await composer.press('Enter');

    // The modal is a dialog named by its title; its inputs are labelled; Slack's required check comes first.
    const report = page.getByRole('dialog', { name: 'Report incident' });
    await see(report).visible();
    await report.getByRole('button', { name: 'Report' }).click();
    await see(report.getByRole('alert').first()).exactText('Please complete this required field.');
    await report.getByLabel('Title').fill('Checkout returns 500s');
    await report.getByLabel('Description').fill('About 12% of checkout requests fail since 14:05.');
    await report.getByLabel('Priority').selectOption({ label: 'High' });
    await report.getByRole('button', { name: 'Report' }).click();
    await see(report).hidden();

    // The incident channel appears in the sidebar, with the summary pinned.
    const incidentChannel = sidebar().getByRole('button', { name: /dispatch-1/ });
    await incidentChannel.click();
    const channelName = (await incidentChannel.textContent())?.replace(/[🔒#]/gu, '').trim() ?? '';
    const summary = messages(channelName).getByRole('listitem', { name: 'Dispatch, pinned' }).first();
    await see(summary).text('Checkout returns 500s');
    await see(summary).text('Pinned');
    await page.screenshot({ path: screenshotPath(), fullPage: false });

    // The announcement in the notification channel, before and after "Mark stable".
    await sidebar().getByRole('button', { name: '# incidents' }).click();
    const announcement = messages('incidents').getByRole('listitem').filter({ hasText: 'dispatch-1' }).first();
    await see(announcement).visible();
    const announcementTs = await announcement.getAttribute('data-ts');
    await incidentChannel.click();
    await summary.getByRole('button', { name: 'Mark stable' }).click();
    await see(summary).text(/stable/i);
    await sidebar().getByRole('button', { name: '# incidents' }).click();
    const changed = messages('incidents').locator(`[data-ts="${announcementTs}"]`);
    await see(changed).text(/stable/i);
    await see(changed).text('(edited)');
    await see(messages('incidents').getByRole('listitem').filter({ hasText: 'dispatch-1' })).count(1);

    // A status report through its modal.
    await incidentChannel.click();
    await summary.getByRole('button', { name: 'Status report' }).click();
    const statusReport = page.getByRole('dialog', { name: 'Status report' });
    await statusReport.getByLabel('Conditions').fill('Errors down to 2% after the rollback.');
    await statusReport.getByLabel('Actions').fill('Rolled back the payments deploy.');
    await statusReport.getByLabel('Needs').fill('Nothing right now.');
    await statusReport.getByRole('button', { name: 'Post report' }).click();
    await see(statusReport).hidden();
    await see(messages(channelName)).text('Errors down to 2% after the rollback.');

    // A person's message, put on the timeline with the timeline reaction.
    await composer.fill('Rolled back deploy 4711 at 14:20');
    await composer.press('Enter');
    const mine = messages(channelName).getByRole('listitem', { name: 'Alex Rivera' }).filter({ hasText: 'Rolled back deploy 4711' });
    await mine.getByRole('button', { name: 'Add reaction' }).click();
    await mine.getByRole('menuitem', { name: sandbox.settings.slack.timelineReaction }).click();
    await see(mine.getByRole('list', { name: 'Reactions' })).text('1');
    await summary.getByRole('button', { name: 'Timeline' }).click();
    const timeline = page.getByRole('dialog', { name: 'Timeline' });
    await see(timeline, 15_000).text('Rolled back deploy 4711');
    await timeline.getByRole('button', { name: 'Close' }).first().click();
    await see(timeline).hidden();

    // Home shows the incident.
    await sidebar().getByRole('button', { name: 'Home' }).click();
    await see(page.getByRole('region', { name: 'Dispatch Home' })).text('dispatch-1');
    await see(page.getByRole('region', { name: 'Slack refused' })).count(0);
  });

  test('Join and Leave channel, "More actions" shortcuts and ephemeral answers', async () => {
    await page.goto(`${sandbox.url}/#as=U0MEITANKA&at=C0SBXGENRL`);
    await see(page.getByLabel('Acting as')).value('U0MEITANKA');
    await page.getByRole('button', { name: 'Leave channel' }).click();
    await see(page.getByRole('button', { name: 'Join channel' })).visible();
    await see(page.getByRole('textbox', { name: 'Message' })).disabled();
    await page.getByRole('button', { name: 'Join channel' }).click();
    await see(page.getByRole('button', { name: 'Leave channel' })).visible();

    // A command outside an incident channel is answered privately.
    const composer = page.getByRole('textbox', { name: 'Message' });
    await composer.fill('/dispatch-mark-stable');
    await composer.press('Enter');
    const ephemeral = messages('general').getByRole('listitem', { name: 'Dispatch, only visible to you' }).last();
    await see(ephemeral).text('Only visible to you');
    await page.getByLabel('Acting as').selectOption('U0ALEXRIVR');
    await see(messages('general').getByRole('listitem', { name: 'Dispatch, only visible to you' })).count(0);

    // What people type is shown as text: no HTML or script gets into the page.
    await composer.fill('<b>bold?</b> <img src=x onerror="document.title=1"> & <script>document.title=2</script>');
    await composer.press('Enter');
    const typed = messages('general').getByRole('listitem', { name: 'Alex Rivera' }).filter({ hasText: '<b>bold?</b>' });
    await see(typed).text('<script>document.title=2</script>');
    await see(page.locator('.content b, .content img, .content script')).count(0);
    expect(await page.title()).toContain('#general');

    // Message shortcuts from the manifest, on a message.
    await composer.fill('Search is slow for everyone in Europe');
    await composer.press('Enter');
    const message = messages('general').getByRole('listitem', { name: 'Alex Rivera' }).filter({ hasText: 'Search is slow' });
    await message.getByRole('button', { name: 'More actions' }).click();
    await message.getByRole('menuitem', { name: 'Report incident' }).click();
    const report = page.getByRole('dialog', { name: 'Report incident' });
    await see(report.getByLabel('Description')).value(/Search is slow/);
    await report.getByRole('button', { name: 'Close' }).click();
    await see(report).hidden();

    // A payload Slack would refuse is refused, and the page says where it is wrong.
    const refused = await fetch(`${sandbox.workspace.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.settings.slack.botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: 'C0SBXGENRL',
        text: 'x',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi', emoji: true } }],
      }),
    });
    expect(await refused.json()).toMatchObject({ ok: false, error: 'invalid_blocks' });
    await see(page.getByRole('region', { name: 'Slack refused' })).text('unsupported field: emoji [json-pointer:/blocks/0/text]');
  });

  test('the demo plays an incident from report to close while the page follows it', async () => {
    await page.goto(`${sandbox.url}/#as=U0ALEXRIVR&at=C0SBXGENRL`);
    const before = await sidebar().getByRole('button').count();
    const steps: string[] = [];
    await playDemo(sandbox.people, { pace: 0.1, say: (line) => steps.push(line) });
    expect(steps.at(-1)).toMatch(/^Done/);
    await see(sidebar().getByRole('button')).count(before + 1);
    const channel = sidebar()
      .getByRole('button', { name: /checkout-returns-500s/ })
      .last();
    await channel.click();
    const name = (await channel.textContent())?.replace(/[🔒#]/gu, '').trim() ?? '';
    await see(messages(name)).text('Rolling back the 14:00 payments deploy now.');
    await see(messages(name)).text('Checkout errors down to 2% after the rollback.');
    await see(messages(name).getByRole('listitem', { name: 'Dispatch, pinned' }).first()).text(/closed/i);
  });
});

function screenshotPath(): string {
  mkdirSync(resolve(SCREENSHOT, '..'), { recursive: true });
  return SCREENSHOT;
}
