import type { ExpressionBuilder } from 'kysely';
import type { Database } from './schema';

type IncidentScope = ExpressionBuilder<Database & { i: Database['incidents'] }, 'i'>;

/**
 * The incident `i` is restricted-visible to `userId`: they have a participant row (even after
 * leaving) or hold a role now. Each check is one primary-key (or participant_roles_current_idx)
 * probe per incident, so it costs what the rows it filters cost, never a scan.
 */
export function takesPart(eb: IncidentScope, userId: string) {
  return eb.or([
    eb.exists(
      eb.selectFrom('participants as p').select('p.user_id').whereRef('p.incident_id', '=', 'i.id').where('p.user_id', '=', userId),
    ),
    eb.exists(
      eb
        .selectFrom('participant_roles as r')
        .select('r.user_id')
        .whereRef('r.incident_id', '=', 'i.id')
        .where('r.user_id', '=', userId)
        .where('r.revoked_at', 'is', null),
    ),
  ]);
}

/** Open incidents for everyone; restricted ones only for those who take part (the Home tab's rule). */
export function visibleToUser(eb: IncidentScope, userId: string) {
  return eb.or([eb('i.visibility', '=', 'open'), takesPart(eb, userId)]);
}

/**
 * The person is in the incident now: in the channel (joined, not left), or holding a role that
 * is more than taking part (commander, scribe, liaison, reporter: a role kept on record after
 * leaving the channel, like Participant's, does not count).
 */
export function involves(eb: IncidentScope, userId: string) {
  return eb.or([
    eb.exists(
      eb
        .selectFrom('participants as p')
        .select('p.user_id')
        .whereRef('p.incident_id', '=', 'i.id')
        .where('p.user_id', '=', userId)
        .where('p.left_at', 'is', null),
    ),
    eb.exists(
      eb
        .selectFrom('participant_roles as r')
        .select('r.user_id')
        .whereRef('r.incident_id', '=', 'i.id')
        .where('r.user_id', '=', userId)
        .where('r.revoked_at', 'is', null)
        .where('r.role', 'not in', ['participant', 'observer']),
    ),
  ]);
}
