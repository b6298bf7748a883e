import type { KnownBlock } from '@slack/types';
import { STATUS_LABELS } from '../../incidents/incidentService';
import type { Incident } from '../../incidents/model';
import type { WorkspaceLinks } from '../links';
import { STATUS_EMOJI } from './incident';
import type { SlackMessage } from './message';
import { context, escapeText, link, section, truncate } from './text';

/** One thing a person can type, as help lists it. */
export interface VerbHint {
  /** e.g. "/dispatch stable" or "/dispatch report [title]" */
  usage: string;
  description: string;
}

export interface HelpOptions {
  /** What they typed when it was not a verb we know. */
  unknownVerb?: string;
}

const hintLine = (hint: VerbHint) => `• \`${escapeText(hint.usage)}\` ${escapeText(hint.description)}`;

function unknownLine(options: HelpOptions): KnownBlock[] {
  if (!options.unknownVerb) return [];
  return [section(`:thinking_face: \`${escapeText(truncate(options.unknownVerb, 40))}\` isn't something I know. Here is what you can do:`)];
}

/**
 * Help inside an incident channel: what this person may do here, lifecycle first. What the
 * settings keep for the commander and scribes is named once, so nobody wonders where it went.
 */
export function incidentHelp(
  incident: Incident,
  verbs: { lifecycle: VerbHint[]; other: VerbHint[]; reserved: VerbHint[] },
  options: HelpOptions = {},
): SlackMessage {
  const blocks: KnownBlock[] = [
    ...unknownLine(options),
    section(`*What you can do in ${escapeText(incident.name)}* (${STATUS_EMOJI[incident.status]} ${STATUS_LABELS[incident.status]})`),
  ];
  if (verbs.lifecycle.length > 0) blocks.push(section(`*Status*\n${verbs.lifecycle.map(hintLine).join('\n')}`));
  if (verbs.other.length > 0) blocks.push(section(`*Working the incident*\n${verbs.other.map(hintLine).join('\n')}`));
  if (verbs.reserved.length > 0) {
    blocks.push(
      context(`Only the Incident Commander or a Scribe can ${verbs.reserved.map((hint) => `\`${escapeText(hint.usage)}\``).join(', ')}.`),
    );
  }
  blocks.push(context('Only you can see this.'));
  return { text: `What you can do in ${incident.name}`, blocks };
}

/** Help anywhere else: how to report, and where this person's open incidents are. */
export function generalHelp(
  report: VerbHint,
  openIncidents: Incident[],
  links: WorkspaceLinks,
  other: VerbHint[],
  options: HelpOptions = {},
): SlackMessage {
  const blocks: KnownBlock[] = [...unknownLine(options), section(`*Something broken?* Report an incident:\n${hintLine(report)}`)];
  if (openIncidents.length > 0) {
    const lines = openIncidents.slice(0, 10).map((incident) => {
      const where = incident.channelId
        ? link(links.channel(incident.channelId), `#${incident.channelName ?? incident.name}`)
        : '_no channel yet_';
      return `• ${STATUS_EMOJI[incident.status]} *${escapeText(incident.name)}*: ${escapeText(truncate(incident.title, 120))} · ${where}`;
    });
    const extra = openIncidents.length > 10 ? `\n_…and ${openIncidents.length - 10} more_` : '';
    blocks.push(section(`*Your open incidents*\n${lines.join('\n')}${extra}`));
  } else {
    blocks.push(section('*Your open incidents*\n_None right now._'));
  }
  if (other.length > 0) blocks.push(section(`*In an incident's channel*\n${other.map(hintLine).join('\n')}`));
  blocks.push(context('Only you can see this.'));
  return { text: 'What you can do with Dispatch', blocks };
}
