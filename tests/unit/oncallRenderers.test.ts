import { severityFor } from '../../flows/engageOncall';
import type { Incident } from '../../incidents/model';
import { OncallDirectory } from '../../oncall';
import type { OncallProvider, OncallService } from '../../oncall/provider';
import { OncallProviderError } from '../../oncall/provider';
import { type EngagementReport, engagedNotice, engagementMessage, engageOncallModal, reportOncallBlocks } from '../../slack/blocks/oncall';
import { WorkspaceLinks } from '../../slack/links';
import { ManualClock } from '../support/clock';
import { anIncident } from '../support/incidentFixture';

const incident: Incident = anIncident(
  {
    id: 7,
    name: 'dispatch-7',
    title: 'Checkout <!channel> is failing',
    description: 'HTTP 500 & worse',
    commanderId: 'U0REPORTER',
    channelName: 'dispatch-7-checkout',
  },
  new Date('2024-05-06T10:00:00Z'),
);

const services = (count: number): OncallService[] => Array.from({ length: count }, (_, i) => ({ id: `P${i}`, name: `Service ${i}` }));
const elementOf = (block: unknown) => (block as { element: { type: string; options?: unknown[] } }).element;

describe('the on-call forms', () => {
  test('up to 100 services are listed in the select; more are searched as the person types', () => {
    const listed = engageOncallModal(incident, { kind: 'static', services: services(100) }, { name: 'PagerDuty', canPage: true });
    const service = listed.blocks.find((block) => block.block_id === 'oncall_service');
    expect(elementOf(service).type).toBe('static_select');
    expect(elementOf(service).options).toHaveLength(100);
    const searched = engageOncallModal(incident, { kind: 'static', services: services(101) }, { name: 'PagerDuty', canPage: true });
    expect(elementOf(searched.blocks.find((block) => block.block_id === 'oncall_service')).type).toBe('external_select');
  });

  test('paging is offered only when the provider can page, and the incident title is escaped', () => {
    const schedule = engageOncallModal(incident, { kind: 'external' }, { name: 'the on-call schedule', canPage: false });
    expect(schedule.blocks.map((block) => block.block_id).filter(Boolean)).toEqual(['oncall_service', 'oncall_note']);
    expect(JSON.stringify(schedule)).toContain('Checkout &lt;!channel&gt; is failing');
    expect(schedule.title.text.length).toBeLessThanOrEqual(24);
    expect(JSON.parse(schedule.private_metadata ?? '')).toEqual({ incidentId: 7 });
    const pagerDuty = reportOncallBlocks({ kind: 'external' }, { name: 'PagerDuty', canPage: true });
    expect(elementOf(pagerDuty[1]).options).toEqual([
      expect.objectContaining({ value: 'commander' }),
      expect.objectContaining({ value: 'page', text: expect.objectContaining({ text: 'Page them through PagerDuty' }) }),
    ]);
  });
});

describe('the engagement messages', () => {
  const report: EngagementReport = {
    incident,
    serviceName: 'Pay<ments> & Co',
    engaged: ['U0ALICE01', 'U0BOB0001'],
    notInSlack: ['Eve <eve@example.com>'],
    actorId: 'U0REPORTER',
    note: 'Look at <https://evil.example|the bank>\nsecond line',
    page: { requested: true, sent: false, problem: 'PagerDuty had a problem answering (HTTP 500)', providerName: 'PagerDuty' },
    newCommander: null,
  };

  test('the channel line says who, for which service, by whom, and what became of the page, with user text escaped', () => {
    const text = JSON.stringify(engagementMessage(report).blocks);
    expect(text).toContain('<@U0REPORTER> engaged the on-call for *Pay&lt;ments&gt; &amp; Co*: <@U0ALICE01>, <@U0BOB0001>.');
    expect(text).toContain(':warning: The page did not go out: PagerDuty had a problem answering (HTTP 500)');
    expect(text).toContain('Also on call, but not found in Slack: Eve &lt;eve@example.com&gt;.');
    expect(text).toContain('>Look at &lt;https://evil.example|the bank&gt;\\n>second line');
    expect(text).not.toContain('<https://evil');
  });

  test('the DM carries the incident summary, the channel link and the note', () => {
    const text = JSON.stringify(engagedNotice({ ...report, page: { ...report.page, sent: true } }, new WorkspaceLinks('acme')).blocks);
    expect(text).toContain('You are on call for *Pay&lt;ments&gt; &amp; Co*');
    expect(text).toContain('*dispatch-7: Checkout &lt;!channel&gt; is failing*');
    expect(text).toContain('https://acme.slack.com/archives/C0INCIDENT');
    expect(text).toContain('HTTP 500 &amp; worse');
    expect(text).toContain('*Note from <@U0REPORTER>*');
    expect(text).toContain('You were also paged through PagerDuty.');
  });
});

describe('paging severity', () => {
  test.each([
    ['High', 'critical'],
    ['Medium', 'error'],
    ['Low', 'warning'],
    ['Info', 'info'],
    ['Unknown', 'info'],
  ])('%s pages as %s with the default priorities', (priority, severity) => {
    expect(severityFor(priority, ['Info', 'Low', 'Medium', 'High'])).toBe(severity);
  });

  test('follows the rank from the top of custom priorities', () => {
    expect(severityFor('SEV1', ['SEV3', 'SEV2', 'SEV1'])).toBe('critical');
    expect(severityFor('SEV3', ['SEV3', 'SEV2', 'SEV1'])).toBe('warning');
  });
});

describe('the cached service list', () => {
  function countingProvider(answer: () => Promise<OncallService[]>) {
    const provider: OncallProvider & { listings: number } = {
      name: 'PagerDuty',
      canPage: false,
      listings: 0,
      listServices() {
        provider.listings += 1;
        return answer();
      },
      findService: async () => undefined,
      whoIsOnCall: async () => [],
    };
    return provider;
  }

  test('is reused until it expires, and looked up from the cache', async () => {
    const clock = new ManualClock('2024-05-06T10:00:00Z');
    const provider = countingProvider(async () => services(3));
    const directory = new OncallDirectory(provider, clock, 60_000);
    expect(directory.cachedService('P1')).toBeUndefined();
    await directory.services();
    await directory.services();
    expect(provider.listings).toBe(1);
    expect(directory.cachedService('P1')).toEqual({ id: 'P1', name: 'Service 1' });
    expect(directory.cachedService('P9')).toBeNull();
    expect(await directory.search('service 2', 100, 100)).toEqual([{ id: 'P2', name: 'Service 2' }]);
    clock.advance(60_001);
    await directory.services();
    expect(provider.listings).toBe(2);
  });

  test('a slow provider misses the budget without failing, and fills the cache for the next time', async () => {
    let release: (services: OncallService[]) => void = () => undefined;
    const provider = countingProvider(() => new Promise((resolve) => (release = resolve)));
    const directory = new OncallDirectory(provider, new ManualClock());
    expect(await directory.servicesWithin(20)).toBeUndefined();
    expect(await directory.lookupWithin('P0', 20)).toBeUndefined();
    release(services(1));
    expect(await directory.servicesWithin(20)).toEqual(services(1));
    expect(provider.listings).toBe(1);
  });

  test('a failed listing is not cached', async () => {
    let fail = true;
    const provider = countingProvider(async () => {
      if (fail) throw new OncallProviderError('down', 'down');
      return services(1);
    });
    const directory = new OncallDirectory(provider, new ManualClock());
    await expect(directory.servicesWithin(100)).rejects.toThrow('down');
    expect(await directory.lookupWithin('P0', 100)).toBeUndefined();
    fail = false;
    expect(await directory.lookupWithin('P0', 100)).toEqual({ id: 'P0', name: 'Service 0' });
  });
});
