import type { Incident } from '../../incidents/model';
import { homeView } from '../../slack/blocks/home';
import { editLine, incidentAnnouncement, incidentSummary, incidentTopic, setupFailureMessage } from '../../slack/blocks/incident';
import { editIncidentModal, reportIncidentModal, resolutionModal } from '../../slack/blocks/incidentModals';
import { escapeText, formatAge, formatDuration, link, slackDate } from '../../slack/blocks/text';
import { channelNameFromTemplate, slugifyChannelName, withSuffix } from '../../slack/channelNames';
import { WorkspaceLinks } from '../../slack/links';
import { anIncident } from '../support/incidentFixture';

const links = new WorkspaceLinks('acme');
const reportedAt = new Date('2026-11-28T09:00:00Z');

function incident(overrides: Partial<Incident> = {}): Incident {
  return anIncident(
    {
      id: 42,
      name: 'dispatch-42',
      description: 'HTTP 500 on checkout',
      channelName: 'dispatch-42-checkout-is-failing',
      summaryTs: '1.2',
      ...overrides,
    },
    reportedAt,
  );
}

const json = (value: unknown) => JSON.stringify(value);

describe('text helpers', () => {
  test('escapeText neutralises mentions and links', () => {
    expect(escapeText('<!channel> & <@U1> <https://x|y>')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt; &lt;https://x|y&gt;');
  });
  test('link escapes its label and keeps the URL', () => {
    expect(link('https://acme.slack.com/archives/C1', '<b>|x')).toBe('<https://acme.slack.com/archives/C1|&lt;b&gt;¦x>');
  });
  test('slackDate renders in the reader’s time zone with a UTC fallback', () => {
    expect(slackDate(reportedAt)).toBe('<!date^1795856400^{date_short_pretty} at {time}|2026-11-28 09:00 UTC>');
  });
  test('durations and ages read naturally', () => {
    expect(formatDuration(45 * 60_000)).toBe('45m');
    expect(formatDuration(3 * 3_600_000 + 12 * 60_000)).toBe('3h 12m');
    expect(formatDuration(50 * 3_600_000)).toBe('2d 2h');
    expect(formatAge(new Date(0), new Date(5 * 60_000))).toBe('5 minutes ago');
    expect(formatAge(new Date(0), new Date(30_000))).toBe('just now');
  });
});

describe('channel names', () => {
  test('slugify follows Slack’s rules', () => {
    expect(slugifyChannelName('API: 500s!! Ümlaut')).toBe('api-500s-umlaut');
    expect(channelNameFromTemplate('{name}-{title}', { name: 'dispatch-7', title: 'x'.repeat(200) })).toHaveLength(80);
    expect(channelNameFromTemplate('inc-{number}', { name: 'dispatch-7', number: 7 })).toBe('inc-7');
    expect(channelNameFromTemplate('{name}-{title}', { name: 'dispatch-7', title: '!!!' })).toBe('dispatch-7');
  });
  test('suffixes keep the name within 80 characters', () => {
    const long = 'a'.repeat(80);
    expect(withSuffix(long, 1)).toBe(long);
    expect(withSuffix(long, 12)).toBe(`${'a'.repeat(77)}-12`);
  });
});

describe('incident summary', () => {
  test('says what, how bad, who and since when, with the common actions', () => {
    const message = incidentSummary(incident(), links, { lastReportAt: new Date('2026-11-28T10:00:00Z') });
    const text = json(message.blocks);
    expect(text).toContain('dispatch-42: Checkout is failing');
    expect(text).toContain('*High* priority');
    expect(text).toContain('<@U0COMMAND1>');
    expect(text).toContain('<@U0REPORTER>');
    expect(text).toContain('{ago}');
    expect(text).toContain('incident_mark_stable');
    expect(text).toContain('incident_mark_closed');
    expect(message.text).toBe('dispatch-42: Checkout is failing (Active, High)');
  });
  test('a closed incident offers reopening and shows its resolution', () => {
    const text = json(incidentSummary(incident({ status: 'closed', resolution: 'Rolled back', closedAt: reportedAt }), links).blocks);
    expect(text).toContain('incident_mark_active');
    expect(text).not.toContain('incident_mark_stable');
    expect(text).toContain('Rolled back');
  });
  test('stays within Slack limits for the longest inputs', () => {
    const message = incidentSummary(
      incident({ title: 't'.repeat(150), description: 'd'.repeat(3000), resolution: 'r'.repeat(3000) }),
      links,
    );
    expect(message.blocks?.length).toBeLessThanOrEqual(50);
    for (const block of message.blocks ?? []) {
      if (block.type === 'section' && block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
      if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(150);
    }
  });
});

describe('announcement, lines and topic', () => {
  test('an open incident has a Join button; a closed one shows its resolution instead', () => {
    expect(json(incidentAnnouncement(incident(), links).blocks)).toContain('incident_join');
    const closed = json(incidentAnnouncement(incident({ status: 'closed', resolution: 'Fixed' }), links).blocks);
    expect(closed).not.toContain('incident_join');
    expect(closed).toContain('Incident closed');
    expect(closed).toContain('Fixed');
  });
  test('the topic names status, priority and commander within 250 characters', () => {
    expect(incidentTopic(incident(), 'Jane Doe')).toBe('Status: Active | Priority: High | Commander: Jane Doe');
    expect(incidentTopic(incident({ priority: 'p'.repeat(300) }), 'Jane').length).toBeLessThanOrEqual(250);
  });
  test('the edit line shows old -> new with escaped values', () => {
    const text = json(editLine(incident(), [{ field: 'title', label: 'Title', from: 'a <b>', to: 'c' }], 'U0EDITOR1').blocks);
    expect(text).toContain('*Title*: a &lt;b&gt; → c');
    expect(text).toContain('<@U0EDITOR1>');
  });
  test('a setup failure says what failed and offers a retry', () => {
    const text = json(setupFailureMessage(incident(), [{ step: 'Creating the incident channel', problem: 'missing scope' }]).blocks);
    expect(text).toContain('Creating the incident channel: missing scope');
    expect(text).toContain('incident_retry_setup');
  });
});

describe('modals', () => {
  const choices = { types: ['Other', 'Security'], priorities: ['Info', 'Low', 'Medium', 'High'], defaultPriority: 'Low' };
  test('titles, submit and close fit Slack’s 24 characters, even for long incident names', () => {
    const long = incident({ name: 'averyveryverylongprefix-123456' });
    for (const view of [reportIncidentModal(choices, {}, {}), editIncidentModal(long, choices), resolutionModal(long)]) {
      expect(view.title.text.length).toBeLessThanOrEqual(24);
      expect(view.submit?.text.length ?? 0).toBeLessThanOrEqual(24);
      expect(view.close?.text.length ?? 0).toBeLessThanOrEqual(24);
    }
  });
  test('the report form preselects the default priority and truncates a long prefilled title', () => {
    const view = reportIncidentModal(choices, { title: 'x'.repeat(400) }, { originChannelId: 'C1' });
    const text = json(view.blocks);
    expect(text).toContain('"initial_option":{"text":{"type":"plain_text","text":"Low","emoji":true},"value":"Low"}');
    expect(text).not.toContain('x'.repeat(151));
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ originChannelId: 'C1' });
  });
  test('the edit form keeps a type or priority that is no longer configured', () => {
    const text = json(editIncidentModal(incident({ priority: 'Legacy' }), choices).blocks);
    expect(text).toContain('"value":"Legacy"');
  });
});

describe('the Home tab incidents (homeView)', () => {
  const numbered = (n: number, changes: Partial<Incident> = {}) =>
    anIncident({ id: n, name: `dispatch-${n}`, channelId: `C0INC${n}`, ...changes });
  const texts = (blocks: unknown[]) => JSON.stringify(blocks);

  test('the incidents you are in, then the others, with the counts and how many are not listed', () => {
    const view = homeView(
      {
        mine: [numbered(9), numbered(4, { status: 'stable' })],
        others: [numbered(12), numbered(11)],
        counts: { active: 40, stable: 3, involved: 2, notShown: 39 },
      },
      links,
      '/dispatch-report-incident',
    );
    const text = texts(view.blocks);
    expect(text).toContain('40 active incidents, 3 stable · you are in 2');
    expect(text.indexOf('*Incidents you are in* (2)')).toBeLessThan(text.indexOf('dispatch-9'));
    expect(text.indexOf('dispatch-4')).toBeLessThan(text.indexOf('*Other open incidents*'));
    expect(text.indexOf('*Other open incidents*')).toBeLessThan(text.indexOf('dispatch-12'));
    expect(text).toContain('39 more open incidents not listed here');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
  });

  test('someone in no incident sees the newest ones; nothing open says so', () => {
    const outsider = texts(
      homeView({ mine: [], others: [numbered(3)], counts: { active: 1, stable: 0, involved: 0, notShown: 0 } }, links, '/r').blocks,
    );
    expect(outsider).toContain('*Newest open incidents*');
    expect(outsider).not.toContain('you are in');
    expect(outsider).not.toContain('not listed');
    const none = texts(homeView({ mine: [], others: [], counts: { active: 0, stable: 0, involved: 0, notShown: 0 } }, links, '/r').blocks);
    expect(none).toContain('No open incidents');
  });
});
