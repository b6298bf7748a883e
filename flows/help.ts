import type { IncidentStatus } from '../incidents/model';
import { generalHelp, incidentHelp, type VerbHint } from '../slack/blocks/help';
import type { SlackMessage } from '../slack/blocks/message';
import type { FlowDependencies } from './dependencies';
import type { Reply } from './reply';

type HelpDependencies = Pick<FlowDependencies, 'settings' | 'incidents' | 'participants' | 'links'>;

/** One thing the root command does, as help needs to know it. */
export interface HelpVerb extends VerbHint {
  group: 'report' | 'lifecycle' | 'incident';
  /** The lifecycle status it moves to (lifecycle verbs). */
  target?: IncidentStatus;
  /** Slugs that, listed in SLACK_RESTRICTED_COMMANDS, keep it for the commander and scribes. */
  slugs: string[];
}

/** Which status changes make sense from where the incident is now. */
const MOVES: Record<IncidentStatus, IncidentStatus[]> = {
  active: ['stable', 'closed'],
  stable: ['closed', 'active'],
  closed: ['active'],
};

/** How many of a person's open incidents help looks up (it shows 10 and counts the rest). */
const OPEN_INCIDENTS_LOOKED_UP = 50;

/**
 * `/dispatch help` (or alone, or an unknown verb): what this person can do here. In an incident
 * channel, the status changes that apply now and the rest, minus what SLACK_RESTRICTED_COMMANDS
 * keeps for the commander and scribes (named once); elsewhere, how to report and their incidents.
 */
export async function helpFor(
  deps: HelpDependencies,
  request: { userId: string; channelId: string; verbs: HelpVerb[]; unknownVerb?: string },
): Promise<SlackMessage> {
  const { verbs, userId } = request;
  const incident = await deps.incidents.findByChannel(request.channelId);
  const options = { unknownVerb: request.unknownVerb };
  if (!incident) {
    const report = verbs.find((verb) => verb.group === 'report') ?? {
      usage: deps.settings.commands.reportIncident,
      description: 'Report an incident',
    };
    const inChannel = verbs.filter((verb) => verb.usage.endsWith(' help'));
    // One indexed query (the Home tab's), not one per open incident: help is answered in the ack.
    const mine = await deps.incidents.listOpenInvolving(userId, OPEN_INCIDENTS_LOOKED_UP);
    return generalHelp(report, mine, deps.links, inChannel, options);
  }
  const restricted = deps.settings.slack.restrictedCommands;
  const privileged = await deps.participants.isPrivileged(incident.id, userId);
  const allowed = (verb: HelpVerb) => privileged || !verb.slugs.some((slug) => restricted.includes(slug));
  const lifecycle = MOVES[incident.status]
    .map((target) => verbs.find((verb) => verb.group === 'lifecycle' && verb.target === target))
    .filter((verb): verb is HelpVerb => verb !== undefined);
  const other = verbs.filter((verb) => verb.group === 'incident');
  return incidentHelp(
    incident,
    {
      lifecycle: lifecycle.filter(allowed),
      other: other.filter(allowed),
      reserved: [...lifecycle, ...other].filter((verb) => !allowed(verb)),
    },
    options,
  );
}

/** The Help button: the same answer, privately through the click's response_url. */
export async function showHelp(
  deps: HelpDependencies,
  request: { userId: string; channelId: string; verbs: HelpVerb[]; reply: Reply },
): Promise<void> {
  await request.reply(await helpFor(deps, request));
}

/** The flows listeners may start from this module (bound to their dependencies by createFlows). */
export const flows = { helpFor, showHelp };
