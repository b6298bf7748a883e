import { DomainError } from '../../incidents/errors';
import type { IncidentService } from '../../incidents/incidentService';
import type { Incident } from '../../incidents/model';
import { ResourceService, resourcesFromTemplates, urlProblem } from '../../incidents/resources';
import type { Store } from '../../store';
import type { ManualClock } from '../support/clock';
import { databaseKinds } from '../support/database';
import { type DomainFixture, useDomain } from '../support/domain';

const NO_TEMPLATES = { conferenceUrlTemplate: null, documentUrlTemplate: null, ticketUrlTemplate: null, dashboardUrlTemplate: null };
const REPORT = { conditions: 'Errors at 5%', actions: 'Rolling back', needs: 'Nothing' };

describe('urlProblem', () => {
  test.each(['https://docs.example.com/a?b=c#d', 'http://10.0.0.1:8080/grafana'])('accepts %s', (url) => {
    expect(urlProblem(url)).toBeUndefined();
  });
  test.each([
    ['nothing', ''],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,hi'],
    ['ftp:', 'ftp://example.com'],
    ['a link without scheme', 'example.com/page'],
    ['a link with a space', 'https://exa mple.com'],
    ['a link over 2000 characters', `https://example.com/${'a'.repeat(2000)}`],
  ])('refuses %s', (_label, url) => {
    expect(urlProblem(url)).toEqual(expect.any(String));
  });
});

describe('resourcesFromTemplates', () => {
  test('fills {name}, {number} and {title}, URL-encoding what it substitutes', () => {
    const incident = { id: 7, name: 'dispatch-7', title: 'Payments & refunds / EU' } as Incident;
    expect(
      resourcesFromTemplates(incident, {
        ...NO_TEMPLATES,
        documentUrlTemplate: 'https://docs.example.com/new?title={title}&id={number}',
        dashboardUrlTemplate: 'https://grafana.example.com/d/{name}',
      }),
    ).toEqual([
      { kind: 'document', title: 'Incident document', url: 'https://docs.example.com/new?title=Payments%20%26%20refunds%20%2F%20EU&id=7' },
      { kind: 'dashboard', title: 'Dashboard', url: 'https://grafana.example.com/d/dispatch-7' },
    ]);
    expect(resourcesFromTemplates(incident, NO_TEMPLATES)).toEqual([]);
  });
});

describe.each(databaseKinds)('incident work services on %s', (kind) => {
  let domain: DomainFixture;
  let store: Store;
  let clock: ManualClock;
  let incident: Incident;
  let incidents: IncidentService;

  useDomain(kind, {}, async (fixture) => {
    domain = fixture;
    ({ store, clock, incidents } = fixture);
    incident = await incidents.report({
      title: 'Checkout & payments',
      description: 'd',
      type: 'Other',
      priority: 'High',
      visibility: 'open',
      reporterId: 'U0REPORTER',
    });
  });

  const timelineKinds = async () => (await store.timeline.list(incident.id)).map((event) => [event.kind, event.text]);

  describe('StatusReportService', () => {
    test('validates each part', () => {
      const reports = domain.reports;
      expect(reports.validate({ conditions: ' ', actions: 'a', needs: 'x'.repeat(2501) })).toEqual({
        conditions: 'Please describe the current conditions.',
        needs: 'Keep this within 2500 characters (it has 2501).',
      });
      expect(reports.validate(REPORT)).toEqual({});
    });

    test('keeps every report, returns the previous one, adds a timeline event and lifts a snooze', async () => {
      const reports = domain.reports;
      const first = await reports.submit(incident.id, REPORT, 'U0COMMAND1');
      expect(first.previous).toBeNull();
      await reports.recordMessage(first.report.id, '1700000000.000100');
      await store.incidents.update(incident.id, { reminderSnoozedUntil: new Date('2026-11-28T12:00:00Z') }, clock.now());
      clock.advance(60_000);
      const second = await reports.submit(incident.id, { ...REPORT, conditions: '  Recovered  ' }, 'U0REPORTER');
      expect(second.previous).toMatchObject({ id: first.report.id, messageTs: '1700000000.000100' });
      expect(second.report).toMatchObject({ conditions: 'Recovered', authorId: 'U0REPORTER', createdAt: clock.now() });
      expect(second.incident.reminderSnoozedUntil).toBeNull();
      expect((await store.reports.history(incident.id)).map((report) => report.conditions)).toEqual(['Recovered', 'Errors at 5%']);
      expect((await timelineKinds()).filter(([kind]) => kind === 'report')).toEqual([
        ['report', 'Status report: Errors at 5%'],
        ['report', 'Status report: Recovered'],
      ]);
    });

    test('refuses a closed incident and an invalid report', async () => {
      const reports = domain.reports;
      await expect(reports.submit(incident.id, { ...REPORT, actions: '' }, 'U0REPORTER')).rejects.toThrow(DomainError);
      await incidents.changeStatus(incident.id, 'closed', 'U0REPORTER', 'Fixed');
      await expect(reports.submit(incident.id, REPORT, 'U0REPORTER')).rejects.toThrow(/is closed/);
      expect(await store.reports.history(incident.id)).toEqual([]);
    });
  });

  describe('TaskService', () => {
    test('creates, resolves and reopens, with one timeline event per change', async () => {
      const tasks = domain.tasks;
      const task = await tasks.create({
        incidentId: incident.id,
        description: ' Check replicas ',
        assigneeIds: ['U0A', 'U0B', 'U0A'],
        creatorId: 'U0REPORTER',
      });
      expect(task).toMatchObject({ description: 'Check replicas', status: 'open', creatorId: 'U0REPORTER', sourceUrl: null });
      expect(task.assigneeIds.sort()).toEqual(['U0A', 'U0B']);
      expect(await tasks.resolve(task.id, 'U0A')).toMatchObject({ changed: true, task: { status: 'resolved', resolvedBy: 'U0A' } });
      expect(await tasks.resolve(task.id, 'U0B')).toMatchObject({ changed: false, task: { resolvedBy: 'U0A' } });
      expect(await tasks.reopen(task.id, 'U0B')).toMatchObject({ changed: true, task: { status: 'open', resolvedBy: null } });
      expect((await timelineKinds()).filter(([kind]) => kind === 'task')).toEqual([
        ['task', 'Task added: Check replicas'],
        ['task', 'Task resolved: Check replicas'],
        ['task', 'Task reopened: Check replicas'],
      ]);
    });

    test('lists open tasks before resolved ones', async () => {
      const tasks = domain.tasks;
      const first = await tasks.create({ incidentId: incident.id, description: 'one', assigneeIds: [], creatorId: 'U0R' });
      await tasks.create({ incidentId: incident.id, description: 'two', assigneeIds: [], creatorId: 'U0R' });
      await tasks.resolve(first.id, 'U0R');
      expect((await tasks.list(incident.id)).map((task) => task.description)).toEqual(['two', 'one']);
    });

    test('refuses an empty description and an unknown task', async () => {
      const tasks = domain.tasks;
      await expect(tasks.create({ incidentId: incident.id, description: ' ', assigneeIds: [], creatorId: 'U0R' })).rejects.toThrow(
        'Please describe the task.',
      );
      await expect(tasks.resolve(999, 'U0R')).rejects.toThrow('That task no longer exists.');
    });
  });

  describe('ResourceService', () => {
    test('adds a validated resource and notes it on the timeline', async () => {
      const resources = domain.resources;
      expect(resources.validate({ kind: 'channel', title: '', url: 'javascript:x' })).toEqual({
        kind: expect.stringContaining('Pick one of: document'),
        title: 'Please give the link a title.',
        url: 'Enter a web link starting with https:// or http://.',
      });
      await expect(resources.add(incident.id, { kind: 'document', title: 'Doc', url: 'ftp://x' }, 'U0R')).rejects.toThrow(DomainError);
      const added = await resources.add(incident.id, { kind: 'document', title: ' Doc ', url: ' https://docs.example.com/1 ' }, 'U0R');
      expect(added).toMatchObject({ kind: 'document', title: 'Doc', url: 'https://docs.example.com/1', addedBy: 'U0R' });
      expect(await resources.list(incident.id)).toEqual([added]);
      expect((await timelineKinds()).at(-1)).toEqual(['resource', 'Document added: Doc (https://docs.example.com/1)']);
    });

    test('attaches templated resources once, however often setup runs', async () => {
      const resources = new ResourceService(store, clock, { ...NO_TEMPLATES, conferenceUrlTemplate: 'https://meet.example.com/{name}' });
      const first = await resources.attachFromTemplates(incident);
      const again = await resources.attachFromTemplates(incident);
      expect(first).toEqual(again);
      expect((await resources.list(incident.id)).map((resource) => resource.url)).toEqual(['https://meet.example.com/dispatch-1']);
    });
  });

  describe('TimelineService', () => {
    test('adds a marked message once, at the time it was posted', async () => {
      const timeline = domain.timeline;
      const message = {
        incidentId: incident.id,
        channelId: 'C0INCIDENT',
        messageId: '1700000000.000100',
        authorId: 'U0AUTHOR',
        text: 'Rolled back',
        postedAt: new Date(1_700_000_000_000),
        permalink: 'https://acme.slack.com/archives/C0INCIDENT/p1700000000000100',
      };
      expect(await timeline.hasMessage(incident.id, 'C0INCIDENT', '1700000000.000100')).toBe(false);
      expect(await timeline.addMessage(message)).toMatchObject({ kind: 'message', source: 'reaction', occurredAt: message.postedAt });
      expect(await timeline.addMessage({ ...message, text: 'again' })).toBeUndefined();
      expect(await timeline.hasMessage(incident.id, 'C0INCIDENT', '1700000000.000100')).toBe(true);
      // The same ts in another channel is another message.
      expect(await timeline.addMessage({ ...message, channelId: 'C0OTHER' })).toBeDefined();
      const messages = (await timeline.list(incident.id)).filter((event) => event.kind === 'message');
      expect(messages.map((event) => event.text)).toEqual(['Rolled back', 'Rolled back']);
      // Oldest first: the message predates the incident's report.
      expect((await timeline.list(incident.id))[0].kind).toBe('message');
    });

    test('keeps long texts within the limit and names an empty one', async () => {
      const timeline = domain.timeline;
      const base = { incidentId: incident.id, channelId: 'C0I', authorId: null, postedAt: clock.now(), permalink: null };
      const long = await timeline.addMessage({ ...base, messageId: '1.1', text: 'x'.repeat(5000) });
      expect(long?.text).toHaveLength(2000);
      expect((await timeline.addMessage({ ...base, messageId: '1.2', text: '  ' }))?.text).toBe('(a message without text)');
    });
  });
});
