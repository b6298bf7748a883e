import type { ModalView } from '@slack/types';
import type { Incident } from '../../incidents/model';
import { ROLE_LABELS, ROLES } from '../../incidents/model';
import { VIEWS } from './ids';
import type { IncidentMetadata } from './incidentModals';
import { modal, option, selectInput, userInput } from './inputs';
import { context, escapeText, mention } from './text';

/** The assign-role form: a person and a role. */
export function assignRoleModal(incident: Incident): ModalView {
  const commander = incident.commanderId ? mention(incident.commanderId) : '_nobody_';
  return modal({
    callbackId: VIEWS.assignRole,
    title: 'Assign a role',
    submit: 'Assign',
    privateMetadata: { incidentId: incident.id } satisfies IncidentMetadata,
    blocks: [
      context(`*${escapeText(incident.name)}*: ${escapeText(incident.title)}  ·  ${ROLE_LABELS.commander} now: ${commander}`),
      userInput('assignee', 'Person', { hint: 'They are invited to the channel if they are not in it.' }),
      selectInput(
        'role',
        'Role',
        ROLES.map((role) => option(role, ROLE_LABELS[role])),
        { hint: `A new ${ROLE_LABELS.commander} replaces the current one, who stays as a Participant.` },
      ),
    ],
  });
}
