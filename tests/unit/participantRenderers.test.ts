import type { InputBlock, KnownBlock } from '@slack/types';
import type { Incident, Participant } from '../../incidents/model';
import { ROLE_RESPONSIBILITIES, type RoleHolders } from '../../incidents/participants';
import {
  commanderGoneLine,
  commanderMustHandOverMessage,
  PARTICIPANT_LIST_MAX,
  participantList,
  roleAlreadyHeldMessage,
  roleAssignedLine,
  roleDutiesMessage,
} from '../../slack/blocks/participantMessages';
import { assignRoleModal } from '../../slack/blocks/participantModals';
import type { SlackUserProfile } from '../../slack/gateway';
import { WorkspaceLinks } from '../../slack/links';
import { messageBlockErrors } from '../support/fakeSlack';
import { anIncident } from '../support/incidentFixture';

const links = new WorkspaceLinks('acme');
const reportedAt = new Date('2024-05-01T09:00:00.000Z');

const incident: Incident = anIncident(
  {
    id: 7,
    name: 'dispatch-7',
    title: 'Checkout <!channel> fails & more',
    description: 'HTTP 500 on <https://evil.example|checkout>',
    channelName: 'dispatch-7-checkout',
    summaryTs: '1714554000.000100',
  },
  reportedAt,
);

const noHolders = (): RoleHolders => ({ commander: [], scribe: [], liaison: [], reporter: [], participant: [], observer: [] });

function participant(userId: string, overrides: Partial<Participant> = {}): Participant {
  return {
    incidentId: incident.id,
    userId,
    roles: ['participant'],
    joinedAt: reportedAt,
    leftAt: null,
    lastActivityAt: null,
    messageCount: 0,
    ...overrides,
  };
}

function profile(userId: string, realName: string, title = ''): SlackUserProfile {
  return {
    id: userId,
    name: realName.toLowerCase(),
    realName,
    displayName: realName,
    title,
    email: null,
    isBot: false,
    deleted: false,
    tz: null,
  };
}

const allText = (blocks: KnownBlock[] | undefined) => JSON.stringify(blocks ?? []);

function sectionTexts(blocks: KnownBlock[] | undefined): string[] {
  return (blocks ?? []).flatMap((block) => (block.type === 'section' && block.text ? [block.text.text] : []));
}

describe('participantList', () => {
  test('shows name, title, roles, joined, in channel or left, and last activity; the commander comes first as given', () => {
    const participants = [
      participant('U0COMMAND1', { roles: ['commander'], lastActivityAt: new Date('2024-05-01T09:30:00Z'), messageCount: 3 }),
      participant('U0LEFT0001', { leftAt: new Date('2024-05-01T10:00:00Z'), messageCount: 1, lastActivityAt: reportedAt }),
      participant('U0NOPROFIL'),
    ];
    const profiles = new Map([
      ['U0COMMAND1', profile('U0COMMAND1', 'Casey <Lead>', 'SRE & on-call')],
      ['U0LEFT0001', profile('U0LEFT0001', 'Lee Left')],
    ]);
    const message = participantList(incident, participants, profiles);
    const lines = sectionTexts(message.blocks).join('\n').split('\n');
    expect(lines[0]).toContain('*Casey &lt;Lead&gt;* (SRE &amp; on-call): Incident Commander');
    expect(lines[0]).toContain('joined <!date^1714554000^');
    expect(lines[0]).toContain('in the channel');
    expect(lines[0]).toContain('last active <!date^1714555800^{ago}');
    expect(lines[0]).toContain('(3 messages)');
    expect(lines[1]).toContain('*Lee Left*: Participant');
    expect(lines[1]).toContain('left <!date^1714557600^{ago}');
    expect(lines[1]).toContain('(1 message)');
    expect(lines[2]).toContain('<@U0NOPROFIL>: Participant');
    expect(lines[2]).toContain('no messages yet');
    expect(allText(message.blocks)).toContain('3 participants: 2 in the channel, 1 left');
    expect(allText(message.blocks)).not.toContain('not shown');
  });

  test('nobody yet', () => {
    const message = participantList(incident, [], new Map());
    expect(allText(message.blocks)).toContain('Nobody has joined the channel yet.');
    expect(messageBlockErrors(message.blocks)).toEqual([]);
  });

  test.each([200, 1000])('with %i participants with long names it stays within Block Kit limits and counts who is not shown', (count) => {
    const participants = Array.from({ length: count }, (_, index) =>
      participant(`U0P${String(index).padStart(7, '0')}`, {
        roles: index === 0 ? ['commander'] : ['scribe', 'liaison', 'participant'],
        leftAt: index % 10 === 9 ? new Date('2024-05-01T10:00:00Z') : null,
        lastActivityAt: reportedAt,
        messageCount: 12345,
      }),
    );
    const profiles = new Map(
      participants.map((entry) => [
        entry.userId,
        profile(entry.userId, `${'Longname '.repeat(20)}${entry.userId}`, 'Principal '.repeat(20)),
      ]),
    );
    const message = participantList(incident, participants, profiles);
    expect(messageBlockErrors(message.blocks)).toEqual([]);
    expect(message.blocks?.length).toBeLessThanOrEqual(50);
    const listed = sectionTexts(message.blocks)
      .join('\n')
      .split('\n')
      .filter((line) => line.startsWith('• '));
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.length).toBeLessThanOrEqual(PARTICIPANT_LIST_MAX);
    expect(listed[0]).toContain('Incident Commander');
    const hidden = count - listed.length;
    const hiddenLeft = participants.slice(listed.length).filter((entry) => entry.leftAt).length;
    expect(allText(message.blocks)).toContain(
      `${hidden} more participants are not shown (${hidden - hiddenLeft} in the channel, ${hiddenLeft} left)`,
    );
  });

  test('lists up to the maximum when lines are short', () => {
    const participants = Array.from({ length: PARTICIPANT_LIST_MAX + 1 }, (_, index) =>
      participant(`U0P${String(index).padStart(7, '0')}`),
    );
    const message = participantList(incident, participants, new Map());
    const listed = sectionTexts(message.blocks)
      .join('\n')
      .split('\n')
      .filter((line) => line.startsWith('• '));
    expect(listed).toHaveLength(PARTICIPANT_LIST_MAX);
    expect(allText(message.blocks)).toContain('1 more participant is not shown (1 in the channel, 0 left)');
  });
});

describe('role messages', () => {
  const holders: RoleHolders = { ...noHolders(), commander: ['U0NEWCMD01'], participant: ['U0COMMAND1'] };

  test('a hand-over says who made whom commander and what became of the previous one', () => {
    const message = roleAssignedLine(
      incident,
      { userId: 'U0NEWCMD01', role: 'commander', previousCommanderId: 'U0COMMAND1' },
      'U0ACTOR001',
      holders,
    );
    const [headline, overview] = sectionTexts(message.blocks);
    expect(headline).toBe(
      ':crown: <@U0ACTOR001> made <@U0NEWCMD01> the *Incident Commander* of dispatch-7. <@U0COMMAND1> is now a Participant.',
    );
    expect(overview).toContain('*Incident Commander*: <@U0NEWCMD01>');
    expect(overview).toContain('*Participant*: <@U0COMMAND1>');
  });

  test('another role says who gave it to whom', () => {
    const message = roleAssignedLine(incident, { userId: 'U0SCRIBE01', role: 'scribe', previousCommanderId: null }, 'U0ACTOR001', holders);
    expect(sectionTexts(message.blocks)[0]).toBe(':busts_in_silhouette: <@U0ACTOR001> gave <@U0SCRIBE01> the *Scribe* role in dispatch-7.');
  });

  test('the DM says what the role is responsible for', () => {
    const message = roleDutiesMessage(incident, 'liaison', 'U0ACTOR001', links);
    const text = sectionTexts(message.blocks).join('\n');
    expect(message.text).toBe('You are now the Liaison of dispatch-7');
    expect(text).toContain('<@U0ACTOR001> made you the *Liaison* of *dispatch-7: Checkout &lt;!channel&gt; fails &amp; more*');
    expect(text).toContain('<https://acme.slack.com/archives/C0INCIDENT|#dispatch-7-checkout>');
    expect(text).toContain(ROLE_RESPONSIBILITIES.liaison);
  });

  test('already held, commander asked to hand over, commander gone', () => {
    expect(roleAlreadyHeldMessage(incident, 'U0COMMAND1', 'commander').text).toBe(
      '<@U0COMMAND1> is already the Incident Commander in dispatch-7; nothing changed.',
    );
    expect(commanderMustHandOverMessage(incident, '/dispatch-assign-role').text).toContain(
      'Please hand the role over with `/dispatch-assign-role` before you leave.',
    );
    const gone = commanderGoneLine(incident, 'U0COMMAND1', 'that person is a guest & cannot be added', '/dispatch-assign-role');
    expect(sectionTexts(gone.blocks)[0]).toContain('could not be added back (that person is a guest &amp; cannot be added)');
  });
});

describe('assignRoleModal', () => {
  const view = assignRoleModal(incident);

  test('asks for a person and one of the six roles, and remembers the incident', () => {
    expect(view.callback_id).toBe('participant_assign_role');
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ incidentId: 7 });
    const inputs = view.blocks.filter((block): block is InputBlock => block.type === 'input');
    expect(inputs.map((block) => [block.block_id, block.element.type])).toEqual([
      ['assignee', 'users_select'],
      ['role', 'static_select'],
    ]);
    const roleElement = inputs[1].element;
    const options = roleElement.type === 'static_select' ? (roleElement.options ?? []) : [];
    expect(options.map((option) => option.text.text)).toEqual([
      'Incident Commander',
      'Scribe',
      'Liaison',
      'Reporter',
      'Participant',
      'Observer',
    ]);
    expect(JSON.stringify(view.blocks)).toContain('Checkout &lt;!channel&gt; fails &amp; more');
  });
});
