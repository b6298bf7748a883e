import type { Incident } from '../incidents/model';
import type { Store } from '../store';

/** Restricted incidents are for the people who take part in them (the Home tab's rule); open ones for all. */
export async function maySee(store: Store, incident: Incident, userId: string): Promise<boolean> {
  if (incident.visibility === 'open') return true;
  if (await store.participants.get(incident.id, userId)) return true;
  return (await store.participants.currentRoles(incident.id, userId)).length > 0;
}
