import type { CommandName } from '../../config';
import type { IncidentStatus } from '../../incidents/model';
import { incidentCommand } from '../incidentScope';
import type { SlashCommandListener, SlugSetting } from '../types';

function markStatusCommand(setting: CommandName, slug: SlugSetting, target: IncidentStatus, description: string): SlashCommandListener {
  return incidentCommand({
    setting,
    slug,
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
export const markActiveCommand = markStatusCommand(
  'markActive',
  { env: 'SLACK_COMMAND_MARK_ACTIVE_SLUG', default: '/dispatch-mark-active', doc: 'Marks the incident active.' },
  'active',
  'Mark this incident active (reopens a closed one)',
);
/** /dispatch-mark-stable */
export const markStableCommand = markStatusCommand(
  'markStable',
  { env: 'SLACK_COMMAND_MARK_STABLE_SLUG', default: '/dispatch-mark-stable', doc: 'Marks the incident stable.' },
  'stable',
  'Mark this incident stable: mitigated, still being watched',
);
/** /dispatch-mark-closed: asks for a resolution when there is none. */
export const markClosedCommand = markStatusCommand(
  'markClosed',
  { env: 'SLACK_COMMAND_MARK_CLOSED_SLUG', default: '/dispatch-mark-closed', doc: 'Marks the incident closed.' },
  'closed',
  'Close this incident (asks for a resolution if needed)',
);
