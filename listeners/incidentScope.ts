import type { ButtonAction } from '@slack/bolt';
import type { CommandName } from '../config';
import { restrictionProblem } from '../flows/restrictedCommands';
import { DomainError } from '../incidents/errors';
import type { Incident } from '../incidents/model';
import { addToRequestContext } from '../logging/context';
import { problemMessage } from '../slack/blocks/feedback';
import type {
  ButtonArgs,
  CommandArgs,
  ListenerDependencies,
  MessageShortcutArgs,
  MessageShortcutListener,
  SlashCommandListener,
  ViewSubmissionArgs,
} from './types';
import { readMetadata } from './viewState';

/**
 * The one place a request finds its incident and asks SLACK_RESTRICTED_COMMANDS, for every
 * surface: a command or a message shortcut names it by its channel, a button by the incident id
 * it carries, a form by the id in its private_metadata. Each surface then only says how it
 * refuses: a command in its ack, a button or a shortcut privately through its response_url, a
 * form inline on one of its fields. Handlers get the incident and never repeat the lookup.
 */

type Where = { channelId: string } | { incidentId: number };

type Found =
  | { problem: null; incident: Incident }
  | { problem: 'not_found' }
  | { problem: 'restricted'; incident: Incident; message: string };

async function findIncident(deps: ListenerDependencies, where: Where, userId: string, restrictedAs?: CommandName): Promise<Found> {
  const incident = 'channelId' in where ? await deps.incidents.findByChannel(where.channelId) : await deps.incidents.get(where.incidentId);
  if (!incident) return { problem: 'not_found' };
  addToRequestContext({ incident: incident.name });
  if (restrictedAs) {
    const message = await restrictionProblem(deps, incident, userId, deps.settings.commands[restrictedAs]);
    if (message) return { problem: 'restricted', incident, message };
  }
  return { problem: null, incident };
}

type IncidentHandler<Args> = (args: Args, deps: ListenerDependencies, incident: Incident) => Promise<void>;

/**
 * A command that only makes sense in an incident channel. Elsewhere it answers privately (in
 * the ack, so nothing is posted and no Web API call is made) with what it needs. Commands
 * listed in SLACK_RESTRICTED_COMMANDS are refused to anyone but the commander and scribes.
 * The handler acknowledges itself (some answer in the ack).
 */
export function incidentCommand(
  spec: Omit<SlashCommandListener, 'handle'> & { handle: IncidentHandler<CommandArgs> },
): SlashCommandListener {
  return {
    setting: spec.setting,
    slug: spec.slug,
    description: spec.description,
    usageHint: spec.usageHint,
    details: spec.details,
    async handle(args, deps) {
      const { command, ack } = args;
      const found = await findIncident(deps, { channelId: command.channel_id }, command.user_id, spec.setting);
      if (found.problem === null) return spec.handle(args, deps, found.incident);
      await ack(
        problemMessage(
          found.problem === 'restricted'
            ? found.message
            : `${command.command} works in an incident's channel. Run it there, or report a new incident with ${deps.settings.commands.reportIncident}.`,
        ),
      );
    },
  };
}

/** The incident a button is about: its value is the incident id we rendered. */
function incidentIdOfButton(action: ButtonAction): number {
  const id = Number(action.value);
  if (!Number.isInteger(id)) throw new DomainError('That button does not belong to an incident any more.', 'bad_button');
  return id;
}

/**
 * A button about one incident (its value is the incident id). Acknowledged at once; a refusal
 * (no such incident, or a restricted command's button pressed by someone else) is told privately
 * through the click's response_url, and nothing changes.
 */
export function incidentButton(
  options: { restrictedAs?: CommandName },
  handle: IncidentHandler<ButtonArgs>,
): (args: ButtonArgs, deps: ListenerDependencies) => Promise<void> {
  return async (args, deps) => {
    await args.ack();
    const found = await findIncident(deps, { incidentId: incidentIdOfButton(args.action) }, args.body.user.id, options.restrictedAs);
    if (found.problem === 'not_found') throw new DomainError('That incident no longer exists.', 'incident_not_found');
    if (found.problem === 'restricted') throw new DomainError(found.message, 'restricted_command');
    await handle(args, deps, found.incident);
  };
}

/** A message shortcut that only works on messages in an incident channel; elsewhere it says so privately. */
export function incidentShortcut(
  spec: Omit<MessageShortcutListener, 'handle'> & { restrictedAs?: CommandName; handle: IncidentHandler<MessageShortcutArgs> },
): MessageShortcutListener {
  return {
    callbackId: spec.callbackId,
    name: spec.name,
    description: spec.description,
    async handle(args, deps) {
      await args.ack();
      const { shortcut } = args;
      const found = await findIncident(deps, { channelId: shortcut.channel.id }, shortcut.user.id, spec.restrictedAs);
      if (found.problem === 'restricted') throw new DomainError(found.message, 'restricted_command');
      if (found.problem === 'not_found') {
        throw new DomainError(
          `"${spec.name}" works on messages in an incident's channel. ${deps.settings.commands.reportIncident} reports a new incident.`,
          'not_incident_channel',
        );
      }
      await spec.handle(args, deps, found.incident);
    },
  };
}

/**
 * A modal submission about one incident (its id in private_metadata, which `isMetadata` checks,
 * since it comes back from the client). An out-of-date form, a vanished incident or a restricted
 * command is refused inline on `errorField`, the form staying open. The handler checks its
 * fields, then acknowledges.
 */
export function incidentForm<Metadata extends { incidentId: number }>(
  options: {
    isMetadata: (value: unknown) => value is Metadata;
    errorField: string;
    restricted?: { command: CommandName; problem?: (incident: Incident) => string };
  },
  handle: (args: ViewSubmissionArgs, deps: ListenerDependencies, incident: Incident, metadata: Metadata) => Promise<void>,
): (args: ViewSubmissionArgs, deps: ListenerDependencies) => Promise<void> {
  return async (args, deps) => {
    const refuse = (message: string) => args.ack({ response_action: 'errors', errors: { [options.errorField]: message } });
    const metadata = readMetadata(args.view.private_metadata, options.isMetadata);
    if (!metadata) return refuse('This form is out of date; run the command again.');
    const found = await findIncident(deps, { incidentId: metadata.incidentId }, args.body.user.id, options.restricted?.command);
    if (found.problem === 'not_found') return refuse('This incident no longer exists; close this form.');
    if (found.problem === 'restricted') return refuse(options.restricted?.problem?.(found.incident) ?? found.message);
    await handle(args, deps, found.incident, metadata);
  };
}
