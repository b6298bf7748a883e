import type { Clock } from './clock';
import { DomainError } from './errors';
import { type Incident, RESOURCE_KINDS, type Resource, type ResourceKind } from './model';
import type { UnitOfWork } from './ports';

/** Kinds a person can add; the channel is every incident's own resource, listed without being stored. */
export const ADDABLE_RESOURCE_KINDS: readonly ResourceKind[] = RESOURCE_KINDS.filter((kind) => kind !== 'channel');

export const RESOURCE_KIND_LABELS: Record<ResourceKind, string> = {
  channel: 'Channel',
  document: 'Document',
  ticket: 'Ticket',
  conference: 'Conference',
  dashboard: 'Dashboard',
  other: 'Other',
};

export const RESOURCE_LIMITS = { title: 150, url: 2000 } as const;

export interface NewResource {
  kind: ResourceKind;
  title: string;
  url: string;
}

export type ResourceErrors = Partial<Record<keyof NewResource, string>>;

/** INCIDENT_*_URL_TEMPLATE settings; {name}, {number} and {title} are filled in per incident. */
export interface ResourceTemplates {
  conferenceUrlTemplate: string | null;
  documentUrlTemplate: string | null;
  ticketUrlTemplate: string | null;
  dashboardUrlTemplate: string | null;
}

const TEMPLATED: Array<{ setting: keyof ResourceTemplates; kind: ResourceKind; title: string }> = [
  { setting: 'conferenceUrlTemplate', kind: 'conference', title: 'Conference' },
  { setting: 'documentUrlTemplate', kind: 'document', title: 'Incident document' },
  { setting: 'ticketUrlTemplate', kind: 'ticket', title: 'Ticket' },
  { setting: 'dashboardUrlTemplate', kind: 'dashboard', title: 'Dashboard' },
];

/** Why `url` is not a link we accept (only absolute http and https URLs), or undefined. */
export function urlProblem(url: string): string | undefined {
  const text = url.trim();
  const expectation = 'Enter a web link starting with https:// or http://.';
  if (text.length === 0) return expectation;
  if (text.length > RESOURCE_LIMITS.url) return `Keep the link within ${RESOURCE_LIMITS.url} characters.`;
  if (/\s/.test(text)) return `${expectation} It cannot contain spaces.`;
  try {
    const parsed = new URL(text);
    if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || !parsed.hostname) return expectation;
  } catch {
    return expectation;
  }
  return undefined;
}

/** The resources the URL templates give this incident; substituted values are URL-encoded. */
export function resourcesFromTemplates(incident: Incident, templates: ResourceTemplates): NewResource[] {
  const values: Record<string, string> = { name: incident.name, number: String(incident.id), title: incident.title };
  const resources: NewResource[] = [];
  for (const { setting, kind, title } of TEMPLATED) {
    const template = templates[setting];
    if (!template) continue;
    const url = template.replace(/\{(name|number|title)\}/g, (_match, key: string) => encodeURIComponent(values[key]));
    if (!urlProblem(url)) resources.push({ kind, title, url });
  }
  return resources;
}

/** Links attached to an incident: documents, tickets, conferences, dashboards. */
export class ResourceService {
  constructor(
    private readonly store: UnitOfWork,
    private readonly clock: Clock,
    private readonly templates: ResourceTemplates,
  ) {}

  /** Problems with a resource, by field, in words for the form. Empty when all is well. */
  validate(input: Partial<NewResource>): ResourceErrors {
    const errors: ResourceErrors = {};
    if (!input.kind || !ADDABLE_RESOURCE_KINDS.includes(input.kind)) {
      errors.kind = `Pick one of: ${ADDABLE_RESOURCE_KINDS.map((kind) => RESOURCE_KIND_LABELS[kind].toLowerCase()).join(', ')}.`;
    }
    const title = (input.title ?? '').trim();
    if (title.length === 0) errors.title = 'Please give the link a title.';
    else if (title.length > RESOURCE_LIMITS.title) errors.title = `Keep the title within ${RESOURCE_LIMITS.title} characters.`;
    const problem = urlProblem(input.url ?? '');
    if (problem) errors.url = problem;
    return errors;
  }

  list(incidentId: number): Promise<Resource[]> {
    return this.store.resources.listForIncident(incidentId);
  }

  /** Adds a resource someone entered, and notes it on the timeline. */
  async add(incidentId: number, input: NewResource, addedBy: string): Promise<Resource> {
    const errors = this.validate(input);
    if (Object.keys(errors).length > 0) throw new DomainError(Object.values(errors).join(' '), 'invalid_resource');
    const now = this.clock.now();
    return this.store.transaction(async (tx) => {
      const incident = await tx.incidents.findById(incidentId);
      if (!incident) throw new DomainError('That incident no longer exists.', 'incident_not_found');
      const resource = await tx.resources.insert({
        incidentId,
        kind: input.kind,
        title: input.title.trim(),
        url: input.url.trim(),
        addedBy,
        createdAt: now,
      });
      await tx.timeline.add(
        {
          incidentId,
          occurredAt: now,
          kind: 'resource',
          text: `${RESOURCE_KIND_LABELS[resource.kind]} added: ${resource.title} (${resource.url})`,
          actorId: addedBy,
          source: 'command',
        },
        now,
      );
      return resource;
    });
  }

  /**
   * Attaches the templated resources to a new incident. Safe to run again (a retried setup):
   * a link the incident already has is not added twice. Returns the incident's templated
   * resources, new or not.
   */
  async attachFromTemplates(incident: Incident): Promise<Resource[]> {
    const wanted = resourcesFromTemplates(incident, this.templates);
    if (wanted.length === 0) return [];
    const now = this.clock.now();
    return this.store.transaction(async (tx) => {
      const existing = await tx.resources.listForIncident(incident.id);
      const attached: Resource[] = [];
      for (const resource of wanted) {
        const found = existing.find((candidate) => candidate.kind === resource.kind && candidate.url === resource.url);
        attached.push(found ?? (await tx.resources.insert({ incidentId: incident.id, ...resource, addedBy: null, createdAt: now })));
      }
      return attached;
    });
  }
}
