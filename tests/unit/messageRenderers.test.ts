import type { KnownBlock } from '@slack/types';
import type { Incident, StatusReport, Task, TimelineEvent } from '../../incidents/model';
import { type RoleHolders, roleChangeText } from '../../incidents/participants';
import { type CatchUpFacts, catchUpMessage, welcomeMessage } from '../../slack/blocks/catchUp';
import { followConfirmation, followerReportUpdate, followerStatusUpdate } from '../../slack/blocks/follow';
import { generalHelp, incidentHelp } from '../../slack/blocks/help';
import { editLine, incidentAnnouncement, incidentSummary, leadLine, statusChangeLine } from '../../slack/blocks/incident';
import { WorkspaceLinks } from '../../slack/links';
import { markupToPlainText, mentionedUserIds } from '../../slack/markup';
import { messageBlockErrors } from '../support/fakeSlack';
import { anIncident } from '../support/incidentFixture';

const links = new WorkspaceLinks('acme');
const reportedAt = new Date('2026-11-28T09:00:00Z');
const json = (blocks: KnownBlock[] | undefined) => JSON.stringify(blocks ?? []);
const actionIds = (blocks: KnownBlock[] | undefined) =>
  (blocks ?? []).flatMap((block) =>
    block.type === 'actions' ? block.elements.map((element) => ('action_id' in element ? element.action_id : '')) : [],
  );

const noHolders = (): RoleHolders => ({ commander: [], scribe: [], liaison: [], reporter: [], participant: [], observer: [] });

const report: StatusReport = {
  id: 3,
  incidentId: 1,
  conditions: 'Checkout fails for 30% of <users>',
  actions: 'Rolling back deploy 1234',
  needs: 'Someone from payments',
  authorId: 'U0COMMAND1',
  createdAt: new Date('2026-11-28T10:00:00Z'),
  messageTs: '1.1',
};

function event(id: number, text: string, minutes: number): TimelineEvent {
  return {
    id,
    incidentId: 1,
    occurredAt: new Date(reportedAt.getTime() + minutes * 60_000),
    kind: 'status',
    text,
    actorId: 'U0COMMAND1',
    source: 'command',
    permalink: null,
  };
}

function task(id: number, description: string, assigneeIds: string[]): Task {
  return {
    id,
    incidentId: 1,
    description,
    creatorId: 'U0COMMAND1',
    assigneeIds,
    status: 'open',
    createdAt: reportedAt,
    resolvedAt: null,
    resolvedBy: null,
    sourceUrl: null,
  };
}

function facts(overrides: Partial<CatchUpFacts> = {}): CatchUpFacts {
  return {
    incident: anIncident({}, reportedAt),
    now: new Date('2026-11-28T11:15:00Z'),
    statusSince: reportedAt,
    holders: { ...noHolders(), commander: ['U0COMMAND1'], scribe: ['U0SCRIBE01'], reporter: ['U0REPORTER'], participant: ['U0A', 'U0B'] },
    latestReport: report,
    recentEvents: Array.from({ length: 8 }, (_, index) => event(index + 1, `Event ${index + 1}`, index * 5)),
    openTasks: [task(1, 'Roll back', ['U0ALICE001']), task(2, 'Tell support', [])],
    resources: [
      {
        id: 1,
        incidentId: 1,
        kind: 'dashboard',
        title: 'Checkout dashboard',
        url: 'https://grafana.example/d/1',
        addedBy: null,
        createdAt: reportedAt,
      },
    ],
    ...overrides,
  };
}

describe('the pinned summary scans', () => {
  test('one lead line: status · priority · commander · how long', () => {
    expect(leadLine(anIncident({}, reportedAt))).toBe(
      ':red_circle: *Active* · *High* priority · Commander <@U0COMMAND1> · reported <!date^1795856400^{ago}|2026-11-28 09:00 UTC>',
    );
    const closed = anIncident({ status: 'closed', closedAt: new Date('2026-11-28T12:12:00Z') }, reportedAt);
    expect(leadLine(closed)).toContain('closed after 3h 12m');
  });

  test('defaults fold away; what differs goes in one context line; main buttons only', () => {
    const plain = incidentSummary(anIncident({ reporterId: 'U0COMMAND1' }, reportedAt), links, { defaultType: 'Other' });
    const text = json(plain.blocks);
    expect(text).not.toContain('Type');
    expect(text).not.toContain('Visibility');
    expect(text).not.toContain('none yet');
    expect(text).not.toContain('Reported by');
    expect(plain.blocks?.filter((block) => block.type === 'context')).toHaveLength(0);
    expect(actionIds(plain.blocks)).toEqual(['incident_mark_stable', 'incident_mark_closed', 'incident_catch_up']);
    expect(actionIds(plain.blocks)).not.toContain('incident_edit');

    const unusual = incidentSummary(anIncident({ type: 'Security', visibility: 'restricted' }, reportedAt), links, {
      defaultType: 'Other',
      lastReportAt: report.createdAt,
    });
    const contexts = (unusual.blocks ?? []).filter((block) => block.type === 'context');
    expect(contexts).toHaveLength(1);
    const line = json(contexts);
    expect(line).toContain('Reported by <@U0REPORTER>');
    expect(line).toContain('Type Security');
    expect(line).toContain(':lock: Restricted');
    expect(line).toContain('Last status report <!date^');
    expect(messageBlockErrors(unusual.blocks)).toEqual([]);
  });

  test('the mark-stable button keeps its label', () => {
    expect(json(incidentSummary(anIncident({}, reportedAt), links).blocks)).toContain('"text":"Mark stable"');
  });
});

describe('one post per change', () => {
  test('a close is one message with duration, time to stable and resolution', () => {
    const closed = anIncident(
      {
        status: 'closed',
        resolution: 'Rolled back <deploy>',
        stableAt: new Date('2026-11-28T09:45:00Z'),
        closedAt: new Date('2026-11-28T12:12:00Z'),
      },
      reportedAt,
    );
    const message = statusChangeLine(closed, 'U0COMMAND1', closed.closedAt as Date);
    const text = json(message.blocks);
    expect(text).toContain('*Duration* 3h 12m');
    expect(text).toContain('*Time to stable* 45m');
    expect(text).toContain('Rolled back &lt;deploy&gt;');
    expect(message.text).toBe('dispatch-1 is closed: Rolled back &lt;deploy&gt;');
    expect(messageBlockErrors(message.blocks)).toEqual([]);
  });

  test('an edit that closes carries the same details; other edits do not', () => {
    const closed = anIncident({ status: 'closed', resolution: 'Fixed', closedAt: new Date('2026-11-28T10:00:00Z') }, reportedAt);
    const closing = editLine(closed, [{ field: 'status', label: 'Status', from: 'Active', to: 'Closed' }], 'U0EDITOR1');
    expect(json(closing.blocks)).toContain('*Resolution:* Fixed');
    expect(json(closing.blocks)).toContain('_never marked stable_');
    const retitled = editLine(anIncident({}, reportedAt), [{ field: 'title', label: 'Title', from: 'a', to: 'b' }], 'U0EDITOR1');
    expect(json(retitled.blocks)).not.toContain('Resolution');
  });

  test('the announcement offers Follow beside Join while open', () => {
    expect(actionIds(incidentAnnouncement(anIncident({}, reportedAt), links).blocks)).toEqual(['incident_join', 'incident_follow']);
    expect(actionIds(incidentAnnouncement(anIncident({ status: 'closed', resolution: 'x' }, reportedAt), links).blocks)).toEqual([]);
  });
});

describe('catch-up and welcome', () => {
  test('the catch-up has status and how long, roles, the latest report, recent events, open tasks and resources', () => {
    const message = catchUpMessage(facts());
    const text = json(message.blocks);
    expect(text).toContain(':red_circle: *Active* for 2h 15m · *High* priority');
    expect(text).toContain('Incident Commander <@U0COMMAND1>');
    expect(text).toContain('Scribe <@U0SCRIBE01>');
    expect(text).toContain('2 other participants');
    expect(text).toContain('*Latest status report* by <@U0COMMAND1>');
    expect(text).toContain('*Conditions:* Checkout fails for 30% of &lt;users&gt;');
    expect(text).toContain('*Actions:* Rolling back deploy 1234');
    expect(text).toContain('*Needs:* Someone from payments');
    expect(text).toContain('Event 8');
    expect(text).toContain('Event 4');
    expect(text).not.toContain('Event 3');
    expect(text).toContain('Roll back → <@U0ALICE001>');
    expect(text).toContain('Tell support → _nobody yet_');
    expect(text).toContain('<https://grafana.example/d/1|Checkout dashboard>');
    expect(messageBlockErrors(message.blocks)).toEqual([]);
  });

  test('without a report or tasks it says so instead of leaving gaps', () => {
    const text = json(catchUpMessage(facts({ latestReport: null, openTasks: [], resources: [], recentEvents: [] })).blocks);
    expect(text).toContain('*Latest status report*\\n_None yet._');
    expect(text).toContain('*Open tasks*\\n_None._');
    expect(text).not.toContain('Key resources');
  });

  test('the welcome is short: role, what is happening, at most three next actions, a Help button', () => {
    const message = welcomeMessage(facts(), {
      userId: 'U0SCRIBE01',
      roles: ['scribe'],
      nextActions: ['one', 'two', 'three', 'four'],
    });
    const text = json(message.blocks);
    expect(text).toContain("You're the *Scribe*.");
    expect(text).toContain('• one');
    expect(text).toContain('• three');
    expect(text).not.toContain('• four');
    expect(text).not.toContain('/dispatch-list-participants');
    expect(actionIds(message.blocks)).toEqual(['dispatch_help']);
    expect(messageBlockErrors(message.blocks)).toEqual([]);
    expect(json(welcomeMessage(facts(), { userId: 'U0A', roles: ['participant'], nextActions: [] }).blocks)).not.toContain("You're the");
  });
});

describe('help', () => {
  test('in an incident: the verbs this person may use, and what is reserved', () => {
    const message = incidentHelp(
      anIncident({}, reportedAt),
      {
        lifecycle: [{ usage: '/dispatch stable', description: 'Mark it stable' }],
        other: [{ usage: '/dispatch catchup', description: 'Catch up' }],
        reserved: [{ usage: '/dispatch close', description: 'Close it' }],
      },
      { unknownVerb: 'frobnicate' },
    );
    const text = json(message.blocks);
    expect(text).toContain('`/dispatch stable` Mark it stable');
    expect(text).toContain('`/dispatch catchup` Catch up');
    expect(text).toContain('Only the Incident Commander or a Scribe can `/dispatch close`');
    expect(text).toContain('`frobnicate` isn');
    expect(messageBlockErrors(message.blocks)).toEqual([]);
  });

  test('elsewhere: how to report, and their open incidents', () => {
    const mine: Incident[] = [anIncident({}, reportedAt)];
    const text = json(generalHelp({ usage: '/dispatch report [title]', description: 'Report' }, mine, links, []).blocks);
    expect(text).toContain('`/dispatch report [title]`');
    expect(text).toContain('*dispatch-1*: Checkout is failing');
    expect(text).toContain('https://acme.slack.com/archives/C0INCIDENT');
    expect(json(generalHelp({ usage: '/dispatch report', description: 'Report' }, [], links, []).blocks)).toContain('_None right now._');
  });
});

describe('follow', () => {
  test('status and report DMs, the last one on close', () => {
    const stable = followerStatusUpdate(anIncident({ status: 'stable', stableAt: reportedAt }, reportedAt), 'U0COMMAND1', links);
    expect(json(stable.blocks)).toContain('is now *Stable*');
    expect(actionIds(stable.blocks)).toEqual(['incident_unfollow']);
    const closed = followerStatusUpdate(
      anIncident({ status: 'closed', resolution: 'Fixed it', closedAt: reportedAt }, reportedAt),
      'U0C',
      links,
    );
    expect(json(closed.blocks)).toContain('*Resolution:* Fixed it');
    expect(json(closed.blocks)).toContain('these updates stop here');
    expect(actionIds(closed.blocks)).toEqual([]);
    const posted = followerReportUpdate(anIncident({}, reportedAt), report, links);
    expect(json(posted.blocks)).toContain('*Needs:* Someone from payments');
    for (const message of [stable, closed, posted, followConfirmation(anIncident(), true)])
      expect(messageBlockErrors(message.blocks)).toEqual([]);
  });
});

describe('names instead of ids', () => {
  test('message markup becomes plain text with names', () => {
    const raw = 'Hey <@U0ALICE001> and <@U0BOB00001|bob>, <!here> see <https://status.example|status> in <#C0OPS|ops> &lt;now&gt;';
    expect(mentionedUserIds(raw)).toEqual(['U0ALICE001', 'U0BOB00001']);
    expect(markupToPlainText(raw, new Map([['U0ALICE001', 'Alice Smith']]))).toBe(
      'Hey @Alice Smith and @bob, @here see status (https://status.example) in #ops <now>',
    );
    expect(markupToPlainText('<@U0NOBODY1> <https://x.example>')).toBe('@someone https://x.example');
  });

  test('role changes on the timeline hold names, never ids', () => {
    const names = new Map([
      ['U0ALICE001', 'Alice Smith'],
      ['U0BOB00001', 'Bob Jones'],
    ]);
    expect(roleChangeText('commander', 'U0BOB00001', 'U0ALICE001', names)).toBe(
      'Incident Commander handed over from Alice Smith to Bob Jones',
    );
    expect(roleChangeText('scribe', 'U0BOB00001', null, names)).toBe('Scribe role given to Bob Jones');
    expect(roleChangeText('scribe', 'U0UNKNOWN1', null, names)).toBe('Scribe role given');
    expect(roleChangeText('commander', 'U0UNKNOWN1', 'U0UNKNOWN2')).not.toMatch(/U0/);
  });
});
