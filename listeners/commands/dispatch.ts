import type { CommandName } from '../../config';
import type { HelpVerb } from '../../flows/help';
import type { IncidentStatus } from '../../incidents/model';
import { noticeMessage, problemMessage } from '../../slack/blocks/feedback';
import type { CommandArgs, ListenerDependencies, SlashCommandListener } from '../types';
import { assignRoleCommand } from './assignRole';
import { editIncidentCommand } from './editIncident';
import { engageOncallCommand } from './engageOncall';
import { listParticipantsCommand } from './listParticipants';
import { listResourcesCommand } from './listResources';
import { listTasksCommand } from './listTasks';
import { markActiveCommand, markClosedCommand, markStableCommand } from './markStatus';
import { reportIncidentCommand } from './reportIncident';
import { statusReportCommand } from './statusReport';

type VerbHandler = (args: CommandArgs, deps: ListenerDependencies, rest: string) => Promise<void>;

/** One word after the root command: the listener (and so the flow) it shares with a named command, or its own. */
interface Verb {
  names: string[];
  /** After the verb, as help shows it. */
  argument?: string;
  description: string;
  group: HelpVerb['group'] | 'help';
  target?: IncidentStatus;
  /** The named command whose listener runs it: same flow, same restriction (SLACK_RESTRICTED_COMMANDS). */
  shares?: SlashCommandListener;
  handle?: VerbHandler;
}

/** Runs the named command's listener as if that command had been typed, with the rest as its text. */
function delegate(listener: SlashCommandListener): VerbHandler {
  return (args, deps, rest) => {
    const command = { ...args.command, command: deps.settings.commands[listener.setting as CommandName], text: rest };
    return listener.handle({ ...args, command, payload: command, body: command }, deps);
  };
}

/** The incident of the channel the command came from, or a private answer saying where it works. */
async function incidentHere(args: CommandArgs, deps: ListenerDependencies, verb: string) {
  const incident = await deps.incidents.findByChannel(args.command.channel_id);
  if (!incident) {
    await args.ack(
      problemMessage(
        `\`${args.command.command} ${verb}\` works in an incident's channel. Run it there, or report one with \`${args.command.command} report\`.`,
      ),
    );
  }
  return incident;
}

async function catchUp(args: CommandArgs, deps: ListenerDependencies): Promise<void> {
  const incident = await incidentHere(args, deps, 'catchup');
  if (!incident) return;
  await args.ack();
  await deps.flows.sendCatchUp({ incident, reply: deps.flows.replyByResponseUrl(args.command.response_url) });
}

/** `follow [dispatch-N]`: the incident named, or the one of this channel. */
function following(kind: 'follow' | 'unfollow'): VerbHandler {
  return async (args, deps, rest) => {
    const name = rest.split(/\s+/)[0]?.toLowerCase();
    const incident = name ? await deps.incidents.findByName(name) : await deps.incidents.findByChannel(args.command.channel_id);
    if (!incident) {
      await args.ack(
        problemMessage(
          name
            ? `There is no incident called ${name}.`
            : `Say which incident: \`${args.command.command} ${kind} dispatch-42\`, or run it in the incident's channel.`,
        ),
      );
      return;
    }
    await args.ack();
    const request = { incident, userId: args.command.user_id, reply: deps.flows.replyByResponseUrl(args.command.response_url) };
    if (kind === 'follow') await deps.flows.followIncident(request);
    else await deps.flows.unfollowIncident(request);
  };
}

/** `followup [text]`: the follow-up form, prefilled with the text. */
async function followUp(args: CommandArgs, deps: ListenerDependencies, rest: string): Promise<void> {
  const incident = await incidentHere(args, deps, 'followup');
  if (!incident) return;
  await args.ack();
  await deps.flows.openFollowUpForm({ triggerId: args.command.trigger_id, incident, description: rest });
}

/** `postmortem`: the draft from the record as it stands, uploaded to the incident channel. */
async function postmortem(args: CommandArgs, deps: ListenerDependencies): Promise<void> {
  const incident = await incidentHere(args, deps, 'postmortem');
  if (!incident) return;
  await args.ack(noticeMessage(`Building the postmortem draft of ${incident.name} from the record; it is uploaded to this channel.`));
  await deps.flows.postPostmortem({ incidentId: incident.id, actorId: args.command.user_id });
}

export const VERBS: Verb[] = [
  { names: ['report'], argument: '[title]', description: 'Report a new incident', group: 'report', shares: reportIncidentCommand },
  {
    names: ['stable'],
    description: 'Mark it stable: mitigated, still watched',
    group: 'lifecycle',
    target: 'stable',
    shares: markStableCommand,
  },
  { names: ['close'], description: 'Close it (asks for the resolution)', group: 'lifecycle', target: 'closed', shares: markClosedCommand },
  {
    names: ['active'],
    description: 'Mark it active again (reopens a closed one)',
    group: 'lifecycle',
    target: 'active',
    shares: markActiveCommand,
  },
  { names: ['status-report', 'update'], description: 'Post a status report', group: 'incident', shares: statusReportCommand },
  { names: ['catchup', 'catch-up'], description: 'Catch up: status, roles, latest report, tasks', group: 'incident', handle: catchUp },
  { names: ['edit'], description: 'Edit title, description, priority…', group: 'incident', shares: editIncidentCommand },
  { names: ['participants'], description: 'Who takes part, and their roles', group: 'incident', shares: listParticipantsCommand },
  { names: ['role'], description: 'Give someone a role', group: 'incident', shares: assignRoleCommand },
  { names: ['oncall'], description: "Engage a service's on-call", group: 'incident', shares: engageOncallCommand },
  { names: ['tasks'], description: 'Open and done tasks', group: 'incident', shares: listTasksCommand },
  { names: ['resources'], description: 'Documents, dashboards and links', group: 'incident', shares: listResourcesCommand },
  {
    names: ['follow'],
    argument: '[dispatch-N]',
    description: 'Updates by DM without joining',
    group: 'incident',
    handle: following('follow'),
  },
  { names: ['unfollow'], argument: '[dispatch-N]', description: 'Stop those DMs', group: 'incident', handle: following('unfollow') },
  {
    names: ['followup', 'follow-up'],
    argument: '[text]',
    description: 'Add a follow-up: work that outlives the incident',
    group: 'incident',
    handle: followUp,
  },
  { names: ['postmortem'], description: 'Upload a postmortem draft built from the record', group: 'incident', handle: postmortem },
  { names: ['help'], description: 'What you can do here', group: 'help' },
];

/** The verbs as help lists them, with the named commands whose restriction they share. */
export function helpVerbs(deps: ListenerDependencies, root: string): HelpVerb[] {
  return VERBS.filter((verb) => verb.group !== 'help').map((verb) => ({
    usage: `${root} ${verb.names[0]}${verb.argument ? ` ${verb.argument}` : ''}`,
    description: verb.description,
    group: verb.group as HelpVerb['group'],
    target: verb.target,
    slugs: verb.shares ? [deps.settings.commands[verb.shares.setting]] : [],
  }));
}

async function help(args: CommandArgs, deps: ListenerDependencies, unknownVerb?: string): Promise<void> {
  const { command } = args;
  const message = await deps.flows.helpFor({
    userId: command.user_id,
    channelId: command.channel_id,
    verbs: helpVerbs(deps, command.command),
    unknownVerb,
  });
  // Answered in the ack: private, and nothing else to wait for.
  await args.ack(message);
}

/** /dispatch VERB [text]: one root command whose first word picks the action; alone or unknown, help. */
export const dispatchCommand: SlashCommandListener = {
  setting: 'dispatch',
  slug: {
    env: 'SLACK_COMMAND_DISPATCH_SLUG',
    default: '/dispatch',
    doc: 'The root command: its first word picks the action (`/dispatch help` lists what you can do where you are).',
  },
  details:
    'Verbs: report [title], active, stable, close, edit, status-report (or update), participants, role, oncall, tasks, resources, catchup, follow / unfollow [dispatch-N], followup [text], postmortem, help; each runs the same flow as its named command. Works in any channel.',
  description: 'Everything Dispatch does: /dispatch help lists what you can do where you are',
  usageHint: '[verb], e.g. help, stable, catchup',
  async handle(args, deps) {
    const text = args.command.text.trim();
    const word = text.split(/\s+/)[0] ?? '';
    const rest = text.slice(word.length).trim();
    const verb = VERBS.find((candidate) => candidate.names.includes(word.toLowerCase()));
    if (!word || !verb || verb.group === 'help') {
      await help(args, deps, word && !verb ? word : undefined);
      return;
    }
    if (verb.shares) {
      // Incident verbs run where an incident is: say so in the root command's words, not the named one's.
      if (verb.group !== 'report' && !(await incidentHere(args, deps, word.toLowerCase()))) return;
      await delegate(verb.shares)(args, deps, rest);
      return;
    }
    await verb.handle?.(args, deps, rest);
  },
};
