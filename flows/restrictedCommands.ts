import type { CommandName } from '../config';
import { DomainError } from '../incidents/errors';
import type { Incident } from '../incidents/model';
import { mention } from '../slack/blocks/text';
import type { FlowDependencies } from './dependencies';

type RestrictionDependencies = Pick<FlowDependencies, 'settings' | 'participants'>;

/**
 * Commands listed in SLACK_RESTRICTED_COMMANDS are for the Incident Commander and Scribes only;
 * a button or a form that does what a restricted command does asks the same question.
 */
export async function mayRun(deps: RestrictionDependencies, incident: Incident, userId: string, slug: string): Promise<boolean> {
  return !deps.settings.slack.restrictedCommands.includes(slug) || deps.participants.isPrivileged(incident.id, userId);
}

/** Why `userId` may not run `slug` in this incident (naming who can), or undefined when they may. */
export async function restrictionProblem(
  deps: RestrictionDependencies,
  incident: Incident,
  userId: string,
  slug: string,
): Promise<string | undefined> {
  if (await mayRun(deps, incident, userId, slug)) return undefined;
  const { scribe: scribes } = await deps.participants.roleHolders(incident.id);
  const who = [incident.commanderId ? `the Incident Commander (${mention(incident.commanderId)})` : 'the Incident Commander'];
  who.push(scribes.length > 0 ? `a Scribe (${scribes.map(mention).join(', ')})` : 'a Scribe');
  return `In ${incident.name}, only ${who.join(' or ')} can run ${slug}. Nothing was changed.`;
}

/** A button that does what a restricted command does is refused the same way (privately, nothing changes). */
export async function refuseIfRestricted(
  deps: RestrictionDependencies,
  incident: Incident,
  userId: string,
  command: CommandName,
): Promise<void> {
  const problem = await restrictionProblem(deps, incident, userId, deps.settings.commands[command]);
  if (problem) throw new DomainError(problem, 'restricted_command');
}
