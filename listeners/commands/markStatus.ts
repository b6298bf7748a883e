import type { CommandName } from '../../config';
import type { IncidentStatus } from '../../incidents/model';
import { incidentCommand } from '../incidentScope';
import type { SlashCommandListener } from '../types';

function markStatusCommand(setting: CommandName, target: IncidentStatus, description: string): SlashCommandListener {
  return incidentCommand({
    setting,
    description,
    async handle({ command, ack }, deps, incident) {
      await ack();
      await deps.flows.requestStatusChange({
        incident,
        target,
        actorId: command.user_id,
        triggerId: command.trigger_id,
        reply: deps.flows.replyByResponseUrl(command.response_url),
      });
    },
  });
}

/** /dispatch-mark-active: also reopens a closed incident. */
export const markActiveCommand = markStatusCommand('markActive', 'active', 'Mark this incident active (reopens a closed one)');
/** /dispatch-mark-stable */
export const markStableCommand = markStatusCommand('markStable', 'stable', 'Mark this incident stable: mitigated, still being watched');
/** /dispatch-mark-closed: asks for a resolution when there is none. */
export const markClosedCommand = markStatusCommand('markClosed', 'closed', 'Close this incident (asks for a resolution if needed)');
