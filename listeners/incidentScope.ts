import type { Incident } from '../../incidents/model';
import { addToRequestContext } from '../../logging/context';
import type { Dependencies } from '../../server/dependencies';
import { problemMessage } from '../../slack/blocks/feedback';
import type { CommandArgs, SlashCommandListener } from '../types';
import { restrictionProblem } from './restrictions';

type IncidentCommandHandler = (args: CommandArgs, deps: Dependencies, incident: Incident) => Promise<void>;

/**
 * A command that only makes sense in an incident channel. Elsewhere it answers privately (in
 * the ack, so nothing is posted and no Web API call is made) with what it needs. Commands
 * listed in SLACK_RESTRICTED_COMMANDS are refused to anyone but the commander and scribes.
 */
export function incidentCommand(spec: Omit<SlashCommandListener, 'handle'> & { handle: IncidentCommandHandler }): SlashCommandListener {
  return {
    setting: spec.setting,
    description: spec.description,
    usageHint: spec.usageHint,
    async handle(args, deps) {
      const { command, ack } = args;
      const incident = await deps.incidents.findByChannel(command.channel_id);
      if (!incident) {
        await ack(
          problemMessage(
            `${command.command} works in an incident's channel. Run it there, or report a new incident with ${deps.settings.commands.reportIncident}.`,
          ),
        );
        return;
      }
      addToRequestContext({ incident: incident.name });
      const restricted = await restrictionProblem(deps, incident, command.user_id, command.command);
      if (restricted) {
        await ack(problemMessage(restricted));
        return;
      }
      await spec.handle(args, deps, incident);
    },
  };
}
