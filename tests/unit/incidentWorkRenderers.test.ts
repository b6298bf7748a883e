import type { Resource, StatusReport, Task, TimelineEvent } from '../../incidents/model';
import { SNOOZE_MINUTES } from '../../incidents/reminders';
import { resourceListMessage } from '../../slack/blocks/resources';
import { reminderMessage, statusReportMessage, statusReportModal } from '../../slack/blocks/statusReport';
import { taskListMessage } from '../../slack/blocks/tasks';
import { timelineExport, timelineModal } from '../../slack/blocks/timeline';
import type { SlackMessage } from '../../slack/gateway';
import { WorkspaceLinks } from '../../slack/links';
import { messageTime } from '../../slack/timestamps';
import { anIncident } from '../support/incidentFixture';

const links = new WorkspaceLinks('acme');
const T0 = new Date('2026-11-28T09:00:00Z');

const incident = anIncident({
  id: 3,
  name: 'dispatch-3',
  title: 'Checkout <!channel> & co',
  channelName: 'dispatch-3-checkout',
  summaryTs: '1.1',
});

const json = (value: unknown) => JSON.stringify(value);

/** The text of a message's one section (the timeline export puts each part in one). */
function sectionText(message: SlackMessage): string {
  const [block] = message.blocks ?? [];
  if (block?.type !== 'section' || !block.text) throw new Error('expected one section');
  return block.text.text;
}

function task(id: number, changes: Partial<Task> = {}): Task {
  return {
    id,
    incidentId: 3,
    description: `Task ${id}`,
    creatorId: 'U0CREATOR',
    assigneeIds: [],
    status: 'open',
    createdAt: T0,
    resolvedAt: null,
    resolvedBy: null,
    sourceUrl: null,
    ...changes,
  };
}

function event(index: number, changes: Partial<TimelineEvent> = {}): TimelineEvent {
  return {
    id: index,
    incidentId: 3,
    occurredAt: new Date(T0.getTime() + index * 60_000),
    kind: 'note',
    text: `Event ${index}`,
    actorId: 'U0ACTOR',
    source: 'command',
    permalink: null,
    ...changes,
  };
}

describe('status report renderers', () => {
  const report: StatusReport = {
    id: 1,
    incidentId: 3,
    conditions: '<!here> errors & <https://evil|bank>',
    actions: 'Rollback',
    needs: 'DBA',
    authorId: 'U0AUTHOR',
    createdAt: T0,
    messageTs: null,
  };

  test('the posted report names author and time and escapes what people typed', () => {
    const message = statusReportMessage(incident, report);
    expect(json(message)).toContain('<@U0AUTHOR>');
    expect(json(message)).toContain('<!date^');
    expect(json(message)).toContain('&lt;!here&gt; errors &amp; &lt;https://evil|bank&gt;');
    expect(json(message)).not.toContain('<!here>');
    expect(message.text).not.toContain('<!channel>');
  });

  test('the form is prefilled from the last report', () => {
    const view = statusReportModal(incident, report);
    expect(json(view.blocks)).toContain('"initial_value":"Rollback"');
    expect(view.title.text.length).toBeLessThanOrEqual(24);
  });

  test('the reminder offers the form and each snooze, with distinct action ids', () => {
    const message = reminderMessage(incident, { lastReportAt: null, dueAt: T0, snoozeMinutes: SNOOZE_MINUTES }, links);
    const actions = message.blocks?.find((block) => block.type === 'actions') as { elements: Array<{ action_id: string; value: string }> };
    expect(actions.elements.map((element) => element.action_id)).toEqual([
      'status_report_open',
      'status_report_snooze_30',
      'status_report_snooze_60',
      'status_report_snooze_120',
    ]);
    expect(actions.elements.map((element) => element.value)).toEqual(['3', '3:30', '3:60', '3:120']);
    expect(json(message)).toContain('Checkout &lt;!channel&gt; &amp; co');
  });
});

describe('taskListMessage', () => {
  test('keeps within 50 blocks, open tasks first, and says how many are not shown', () => {
    const tasks = [
      ...Array.from({ length: 40 }, (_, i) => task(i + 1)),
      ...Array.from({ length: 20 }, (_, i) => task(100 + i, { status: 'resolved' })),
    ];
    const message = taskListMessage(incident, tasks);
    const blocks = message.blocks ?? [];
    expect(blocks.length).toBeLessThanOrEqual(50);
    const blockIds = blocks.map((block) => block.block_id).filter(Boolean);
    expect(new Set(blockIds).size).toBe(blockIds.length);
    expect(json(blocks)).toContain('"block_id":"task_40"');
    expect(json(blocks)).toContain('more tasks are not shown');
    expect(message.text).toBe('Tasks of dispatch-3: 40 open, 20 resolved');
  });

  test('escapes descriptions and links the source message', () => {
    const message = taskListMessage(incident, [
      task(1, { description: '<!channel> & go', sourceUrl: 'https://acme.slack.com/archives/C1/p1' }),
    ]);
    expect(json(message)).toContain('&lt;!channel&gt; &amp; go');
    expect(json(message)).toContain('<https://acme.slack.com/archives/C1/p1|message>');
  });
});

describe('resourceListMessage', () => {
  test('lists the channel link first and escapes titles', () => {
    const resource: Resource = {
      id: 1,
      incidentId: 3,
      kind: 'ticket',
      title: 'Ticket <b>',
      url: 'https://tickets.example.com/1',
      addedBy: null,
      createdAt: T0,
    };
    const text = json(resourceListMessage(incident, [resource], links));
    expect(text.indexOf('https://acme.slack.com/archives/C0INCIDENT')).toBeLessThan(text.indexOf('tickets.example.com'));
    expect(text).toContain('<https://tickets.example.com/1|Ticket &lt;b&gt;>');
  });
});

describe('timeline renderers', () => {
  test('the modal shows the newest events first within 100 blocks and counts the rest', () => {
    const events = Array.from({ length: 250 }, (_, i) => event(i));
    const view = timelineModal(incident, events);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = json(view.blocks);
    expect(text.indexOf('Event 249')).toBeLessThan(text.indexOf('Event 248'));
    expect(text).not.toContain('Event 0"');
    const shown = (text.match(/Event \d+/g) ?? []).length;
    expect(text).toContain(`${250 - shown} older events are not shown`);
  });

  test('the export is oldest first, split into sections of at most 3000 characters, in UTC and naming people', () => {
    const events = Array.from({ length: 120 }, (_, i) =>
      event(i, { text: `Event ${i} & ${'long text '.repeat(10)}`, permalink: i === 0 ? 'https://acme.slack.com/archives/C1/p1' : null }),
    );
    const messages = timelineExport(incident, events, new Map([['U0ACTOR', 'Ada <Lovelace>']]));
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expect(message.blocks).toHaveLength(1);
      expect(sectionText(message).length).toBeLessThanOrEqual(3000);
    }
    const all = messages.map(sectionText).join('\n');
    expect(all.startsWith('*Timeline of dispatch-3: Checkout &lt;!channel&gt; &amp; co*')).toBe(true);
    expect(all).toContain('• 2026-11-28 09:00 UTC — Note — Ada &lt;Lovelace&gt;: Event 0 &amp; long text');
    expect(all).toContain('(<https://acme.slack.com/archives/C1/p1|message>)');
    expect(all).not.toContain('<@U0ACTOR>');
    const positions = events.map((_, i) => all.indexOf(`Event ${i} &amp;`));
    expect(positions.every((position, i) => position > (positions[i - 1] ?? -1))).toBe(true);
    expect(messages[1].text).toBe(`Timeline of dispatch-3 (part 2 of ${messages.length})`);
  });

  test('a very long event with entities is cut without breaking an entity or the link after it', () => {
    const [message] = timelineExport(
      incident,
      [event(1, { text: '&'.repeat(3000), permalink: 'https://acme.slack.com/archives/C1/p1' })],
      new Map(),
    );
    const text = sectionText(message);
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text).toMatch(/(&amp;)+…/);
    expect(text).toContain('(<https://acme.slack.com/archives/C1/p1|message>)');
  });
});

describe('messageTime', () => {
  test('reads a Slack ts as the time the message was posted', () => {
    expect(messageTime('1700000000.123456')).toEqual(new Date(1_700_000_000_123));
    expect(messageTime('1700000000')).toEqual(new Date(1_700_000_000_000));
    expect(messageTime('not a ts')).toBeNull();
  });
});
