import type { Button, KnownBlock } from '@slack/types';
import { STATUS_LABELS } from '../../incidents/incidentService';
import type { Incident, Resource, Role, StatusReport, Task, TimelineEvent } from '../../incidents/model';
import { ROLE_LABELS, ROLES } from '../../incidents/model';
import type { RoleHolders } from '../../incidents/participants';
import { ACTIONS } from './ids';
import { STATUS_EMOJI } from './incident';
import type { SlackMessage } from './message';
import { context, escapeText, formatDuration, link, mention, plain, section, slackDate, truncate } from './text';

/** What a catch-up is built from: the record, nothing else. */
export interface CatchUpFacts {
  incident: Incident;
  now: Date;
  /** When the incident entered its current status. */
  statusSince: Date;
  holders: RoleHolders;
  latestReport: StatusReport | null;
  /** The most recent timeline entries, oldest first. */
  recentEvents: TimelineEvent[];
  openTasks: Task[];
  resources: Resource[];
}

/** A person's first arrival: the catch-up is their welcome, with their role and what to do first. */
export interface WelcomeFacts {
  userId: string;
  /** Their roles beyond plain Participant. */
  roles: Role[];
  /** Two or three things to do now, already in mrkdwn (commands in backticks). */
  nextActions: string[];
}

export const CATCH_UP_LIMITS = { events: 5, tasks: 5, resources: 5, reportField: 600 } as const;

function helpButton(): Button {
  return { type: 'button', text: plain('Help'), action_id: ACTIONS.help, value: 'help' };
}

/** "Active for 2h 15m · High priority"; a closed one says when and after how long. */
function statusLine(facts: CatchUpFacts): string {
  const { incident } = facts;
  const since = formatDuration(facts.now.getTime() - facts.statusSince.getTime());
  const label = `${STATUS_EMOJI[incident.status]} *${STATUS_LABELS[incident.status]}*`;
  const priority = `*${escapeText(incident.priority)}* priority`;
  if (incident.status !== 'closed') return `${label} for ${since} · ${priority}`;
  const lasted = incident.closedAt ? `, after ${formatDuration(incident.closedAt.getTime() - incident.reportedAt.getTime())}` : '';
  return `${label} ${since} ago${lasted} · ${priority}`;
}

/** Commander first, then the other roles; Participants and Observers are counted, not listed. */
function whoIsWho(holders: RoleHolders): string {
  const commander = holders.commander[0] ? mention(holders.commander[0]) : '_nobody yet_';
  const parts = [`${ROLE_LABELS.commander} ${commander}`];
  for (const role of ROLES) {
    if (role === 'commander' || role === 'participant' || role === 'observer' || role === 'reporter') continue;
    if (holders[role].length > 0) parts.push(`${ROLE_LABELS[role]} ${holders[role].slice(0, 5).map(mention).join(', ')}`);
  }
  if (holders.reporter.length > 0 && !holders.reporter.every((id) => holders.commander.includes(id))) {
    parts.push(`${ROLE_LABELS.reporter} ${holders.reporter.slice(0, 3).map(mention).join(', ')}`);
  }
  const others = new Set([...holders.participant, ...holders.observer]).size;
  if (others > 0) parts.push(`${others} other participant${others === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

function reportBlocks(report: StatusReport | null): KnownBlock[] {
  if (!report) return [section('*Latest status report*\n_None yet._')];
  const part = (label: string, text: string) => `*${label}:* ${escapeText(truncate(text, CATCH_UP_LIMITS.reportField))}`;
  return [
    section(
      [
        `*Latest status report* by ${mention(report.authorId)}, ${slackDate(report.createdAt, '{ago}')}`,
        part('Conditions', report.conditions),
        part('Actions', report.actions),
        part('Needs', report.needs),
      ].join('\n'),
    ),
  ];
}

function eventLine(event: TimelineEvent): string {
  const who = event.actorId ? ` · ${mention(event.actorId)}` : '';
  return `• ${slackDate(event.occurredAt, '{time}')} ${escapeText(truncate(event.text, 200))}${who}`;
}

function taskLine(task: Task): string {
  const owners = task.assigneeIds.length > 0 ? task.assigneeIds.map(mention).join(', ') : '_nobody yet_';
  return `• ${escapeText(truncate(task.description, 200))} → ${owners}`;
}

function more(total: number, shown: number, what: string): string {
  return total > shown ? `\n_…and ${total - shown} more ${what}_` : '';
}

/** The body every catch-up shares: status, who's who, the latest report, recent events, tasks, resources. */
function catchUpBody(facts: CatchUpFacts): KnownBlock[] {
  const { incident } = facts;
  const blocks: KnownBlock[] = [section(`${statusLine(facts)}\n${whoIsWho(facts.holders)}`)];
  if (incident.status === 'closed' && incident.resolution) {
    blocks.push(section(`*Resolution:* ${escapeText(truncate(incident.resolution, 1000))}`));
  }
  blocks.push(...reportBlocks(facts.latestReport));
  const events = facts.recentEvents.slice(-CATCH_UP_LIMITS.events);
  if (events.length > 0) blocks.push(section(`*Latest on the timeline*\n${events.map(eventLine).join('\n')}`));
  const tasks = facts.openTasks.slice(0, CATCH_UP_LIMITS.tasks);
  blocks.push(
    section(
      tasks.length > 0
        ? `*Open tasks*\n${tasks.map(taskLine).join('\n')}${more(facts.openTasks.length, tasks.length, 'open tasks')}`
        : '*Open tasks*\n_None._',
    ),
  );
  const resources = facts.resources.slice(0, CATCH_UP_LIMITS.resources);
  if (resources.length > 0) {
    const lines = resources.map((resource) => `• ${link(resource.url, truncate(resource.title, 80))}`);
    blocks.push(section(`*Key resources*\n${lines.join('\n')}${more(facts.resources.length, resources.length, 'resources')}`));
  }
  return blocks;
}

/** Asked for (`/dispatch catchup`, "Catch me up") or on a later join: privately, from the record. */
export function catchUpMessage(facts: CatchUpFacts): SlackMessage {
  const { incident } = facts;
  return {
    text: `Catch-up on ${incident.name}: ${truncate(escapeText(incident.title), 150)}`,
    blocks: [
      section(`:newspaper: *Catch-up on ${escapeText(incident.name)}: ${escapeText(truncate(incident.title, 150))}*`),
      ...catchUpBody(facts),
      context('Only you can see this.'),
    ],
  };
}

/** A person's first join: who they are here, what is happening now, what to do first, and Help. */
export function welcomeMessage(facts: CatchUpFacts, welcome: WelcomeFacts): SlackMessage {
  const { incident } = facts;
  const roles = welcome.roles.filter((role) => role !== 'participant');
  const role = roles.length > 0 ? ` You're the *${roles.map((held) => ROLE_LABELS[held]).join('* and *')}*.` : '';
  const blocks: KnownBlock[] = [
    section(`:wave: Welcome to *${escapeText(incident.name)}: ${escapeText(truncate(incident.title, 150))}*.${role}`),
    ...catchUpBody(facts),
  ];
  if (welcome.nextActions.length > 0) {
    blocks.push(
      section(
        `*What you can do now*\n${welcome.nextActions
          .slice(0, 3)
          .map((action) => `• ${action}`)
          .join('\n')}`,
      ),
    );
  }
  blocks.push({ type: 'actions', block_id: 'welcome_actions', elements: [helpButton()] });
  blocks.push(context('Only you can see this.'));
  return { text: `Welcome to ${incident.name}: ${truncate(escapeText(incident.title), 150)}`, blocks };
}
