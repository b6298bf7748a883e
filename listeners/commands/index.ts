import type { ListenerDependencies, ListenerRoutes, SlashCommandListener } from '../types';
import { assignRoleCommand } from './assignRole';
import { dispatchCommand } from './dispatch';
import { editIncidentCommand } from './editIncident';
import { engageOncallCommand } from './engageOncall';
import { listParticipantsCommand } from './listParticipants';
import { listResourcesCommand } from './listResources';
import { listTasksCommand } from './listTasks';
import { markActiveCommand, markClosedCommand, markStableCommand } from './markStatus';
import { reportIncidentCommand } from './reportIncident';
import { statusReportCommand } from './statusReport';

/** Every slash command: one line each. The manifest is built from this list. */
export const COMMAND_LISTENERS: SlashCommandListener[] = [
  reportIncidentCommand,
  markActiveCommand,
  markStableCommand,
  markClosedCommand,
  editIncidentCommand,
  listParticipantsCommand,
  assignRoleCommand,
  engageOncallCommand,
  statusReportCommand,
  listTasksCommand,
  listResourcesCommand,
  dispatchCommand,
];

export function register(routes: ListenerRoutes, deps: ListenerDependencies): void {
  for (const listener of COMMAND_LISTENERS) {
    routes.command(deps.settings.commands[listener.setting], (args) => listener.handle(args, deps));
  }
}
