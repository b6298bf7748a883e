import { LRUCache } from 'lru-cache';
import type { Clock } from './clock';
import { DomainError } from './errors';
import { type FieldValueChange, statusEventType } from './incidentEvents';
import { type Announcement, type Incident, type IncidentStatus, ROLE_LABELS, VISIBILITIES, type Visibility } from './model';
import type { IncidentRef, OpenIncidentCounts, Repositories, UnitOfWork } from './ports';
import { claimSubmission } from './submissions';

/** How many incidents each part of the Home tab lists. */
export interface HomeCaps {
  mine: number;
  others: number;
}

export const HOME_CAPS: HomeCaps = { mine: 10, others: 15 };

/** The Home tab's incidents for one person (see IncidentService.homeIncidents). */
export interface HomeIncidents {
  /** Open incidents they are in now: active first, newest first. */
  mine: Incident[];
  /** The newest other open incidents they may see: active first, newest first. */
  others: Incident[];
  counts: OpenIncidentCounts & {
    /** Open incidents they may see that neither list shows. */
    notShown: number;
  };
}

export interface IncidentPolicy {
  namePrefix: string;
  types: readonly string[];
  priorities: readonly string[];
}

export const FIELD_LIMITS = {
  title: 150,
  description: 3000,
  resolution: 3000,
} as const;

export interface IncidentDetails {
  title: string;
  description: string;
  type: string;
  priority: string;
  visibility: Visibility;
}

export interface ReportIncidentInput extends IncidentDetails {
  reporterId: string;
  /** The form submission this report came from: a repeated delivery of it records nothing. */
  submissionKey?: string;
  /** Defaults to the reporter. */
  commanderId?: string | null;
}

export type EditableField = 'title' | 'description' | 'resolution' | 'type' | 'priority' | 'visibility' | 'status';
export type FieldErrors = Partial<Record<EditableField | 'commander', string>>;

export interface EditIncidentInput extends IncidentDetails {
  resolution: string | null;
  status: IncidentStatus;
}

export interface FieldChange {
  field: EditableField;
  label: string;
  from: string;
  to: string;
}

export interface StatusChange {
  incident: Incident;
  previous: IncidentStatus;
  /** The statuses entered, in order: closing an active incident enters stable, then closed. */
  entered: IncidentStatus[];
}

export const STATUS_LABELS: Record<IncidentStatus, string> = { active: 'Active', stable: 'Stable', closed: 'Closed' };

const FIELD_LABELS: Record<EditableField, string> = {
  title: 'Title',
  description: 'Description',
  resolution: 'Resolution',
  type: 'Type',
  priority: 'Priority',
  visibility: 'Visibility',
  status: 'Status',
};

function checkText(errors: FieldErrors, field: 'title' | 'description' | 'resolution', value: string | null, required: boolean): void {
  const text = (value ?? '').trim();
  if (required && text.length === 0) errors[field] = `Please enter a ${field}.`;
  else if (text.length > FIELD_LIMITS[field])
    errors[field] = `Keep the ${field} within ${FIELD_LIMITS[field]} characters (it has ${text.length}).`;
}

/** The incident lifecycle: report, status changes, edits. Knows nothing of Slack. */
export class IncidentService {
  private readonly channelRefs = new LRUCache<string, IncidentRef>({ max: 10_000 });

  constructor(
    private readonly store: UnitOfWork,
    private readonly clock: Clock,
    private readonly policy: IncidentPolicy,
  ) {}

  /** Problems with a report or edit, by field, in words for the form. Empty when all is well. */
  validateDetails(details: Partial<IncidentDetails> & { resolution?: string | null }): FieldErrors {
    const errors: FieldErrors = {};
    checkText(errors, 'title', details.title ?? '', true);
    checkText(errors, 'description', details.description ?? '', true);
    if (details.resolution !== undefined) checkText(errors, 'resolution', details.resolution, false);
    if (!details.type || !this.policy.types.includes(details.type)) errors.type = `Pick one of: ${this.policy.types.join(', ')}.`;
    if (!details.priority || !this.policy.priorities.includes(details.priority)) {
      errors.priority = `Pick one of: ${this.policy.priorities.join(', ')}.`;
    }
    if (!details.visibility || !VISIBILITIES.includes(details.visibility)) errors.visibility = 'Pick open or restricted.';
    return errors;
  }

  /** Why a resolution cannot close an incident, or undefined when it can. */
  resolutionProblem(resolution: string): string | undefined {
    const text = resolution.trim();
    if (text.length === 0) return 'Please describe how the incident was resolved.';
    if (text.length > FIELD_LIMITS.resolution)
      return `Keep the resolution within ${FIELD_LIMITS.resolution} characters (it has ${text.length}).`;
    return undefined;
  }

  async report(input: ReportIncidentInput): Promise<Incident> {
    const errors = this.validateDetails(input);
    if (Object.keys(errors).length > 0) throw new DomainError(Object.values(errors).join(' '), 'invalid_report');
    const now = this.clock.now();
    const commanderId = input.commanderId || input.reporterId;
    return this.store.transaction(async (tx) => {
      await claimSubmission(tx, input.submissionKey, now);
      const incident = await tx.incidents.insert({
        namePrefix: this.policy.namePrefix,
        title: input.title.trim(),
        description: input.description.trim(),
        type: input.type,
        priority: input.priority,
        visibility: input.visibility,
        reporterId: input.reporterId,
        reportedAt: now,
      });
      await tx.participants.grantRole(incident.id, commanderId, 'commander', input.reporterId, now);
      await tx.participants.grantRole(incident.id, input.reporterId, 'reporter', input.reporterId, now);
      await tx.timeline.add(
        {
          incidentId: incident.id,
          occurredAt: now,
          kind: 'reported',
          text: `Incident reported: ${incident.title} (${input.priority}, ${input.type}, ${input.visibility})`,
          actorId: input.reporterId,
          source: 'command',
        },
        now,
      );
      if (commanderId !== input.reporterId) {
        await tx.timeline.add(
          {
            incidentId: incident.id,
            occurredAt: now,
            kind: 'role',
            text: `${ROLE_LABELS.commander} assigned at report time`,
            actorId: input.reporterId,
            source: 'command',
          },
          now,
        );
      }
      const reported = await tx.incidents.getById(incident.id);
      await tx.events.record({ type: 'incident.reported', incident: reported, actorId: input.reporterId, occurredAt: now });
      return reported;
    });
  }

  get(id: number): Promise<Incident | undefined> {
    return this.store.incidents.findById(id);
  }

  async require(id: number): Promise<Incident> {
    const incident = await this.store.incidents.findById(id);
    if (!incident) throw new DomainError('That incident no longer exists.', 'incident_not_found');
    return incident;
  }

  /** By its name, e.g. dispatch-42 (what people type). */
  findByName(name: string): Promise<Incident | undefined> {
    return this.store.incidents.findByName(name);
  }

  /**
   * Open incidents reported before `before` whose Slack setup never finished (no channel, or no
   * pinned summary): the process setting them up was stopped mid-way.
   */
  async listUnfinishedSetups(before: Date): Promise<Incident[]> {
    const [active, stable] = await Promise.all([this.store.incidents.listByStatus('active'), this.store.incidents.listByStatus('stable')]);
    return [...active, ...stable].filter((incident) => (!incident.channelId || !incident.summaryTs) && incident.reportedAt < before);
  }

  findByChannel(channelId: string): Promise<Incident | undefined> {
    return this.store.incidents.findByChannel(channelId);
  }

  /**
   * The incident a channel belongs to, for the busiest events (messages, joins), from memory
   * after the first time. Safe on every replica without invalidation: an incident's channel is
   * recorded once and never changes, Slack never reuses a channel id, and incidents are not
   * deleted. "No incident" is not remembered: the channel may be recorded a moment later.
   */
  async refOfChannel(channelId: string): Promise<IncidentRef | undefined> {
    const known = this.channelRefs.get(channelId);
    if (known) return known;
    const found = await this.store.incidents.refByChannel(channelId);
    if (found) this.channelRefs.set(channelId, found);
    return found;
  }

  /** Records the Slack artifacts of an incident (its channel, the pinned summary). */
  recordSlackArtifacts(id: number, artifacts: { channelId?: string; channelName?: string; summaryTs?: string }): Promise<Incident> {
    return this.store.incidents.update(id, artifacts, this.clock.now());
  }

  /** Where the incident is announced (one message per notification channel). */
  announcements(id: number): Promise<Announcement[]> {
    return this.store.incidents.announcements(id);
  }

  recordAnnouncement(announcement: Announcement): Promise<void> {
    return this.store.incidents.saveAnnouncement(announcement);
  }

  forgetAnnouncement(id: number, channelId: string): Promise<void> {
    return this.store.incidents.deleteAnnouncement(id, channelId);
  }

  /** True when closing this incident first needs a resolution. */
  needsResolution(incident: Incident): boolean {
    return !incident.resolution?.trim();
  }

  /**
   * Moves the incident to `target`. Closing an active incident passes through stable (both
   * times recorded); going back to active reopens it. The same status is refused, unchanged.
   */
  async changeStatus(
    id: number,
    target: IncidentStatus,
    actorId: string,
    resolution?: string,
    options: { submissionKey?: string } = {},
  ): Promise<StatusChange> {
    const now = this.clock.now();
    return this.store.transaction(async (tx) => {
      await claimSubmission(tx, options.submissionKey, now);
      const incident = await tx.incidents.lock(id);
      if (!incident) throw new DomainError('That incident no longer exists.', 'incident_not_found');
      return this.applyStatus(tx, incident, target, actorId, now, resolution);
    });
  }

  private async applyStatus(
    tx: Repositories,
    incident: Incident,
    target: IncidentStatus,
    actorId: string,
    now: Date,
    resolution?: string,
  ): Promise<StatusChange> {
    const previous = incident.status;
    if (previous === target) {
      throw new DomainError(`${incident.name} is already ${STATUS_LABELS[target].toLowerCase()}; nothing changed.`, 'same_status');
    }
    const finalResolution = resolution?.trim() || incident.resolution?.trim() || '';
    if (target === 'closed' && !finalResolution) {
      throw new DomainError(`${incident.name} needs a resolution before it can be closed.`, 'resolution_required');
    }
    if (finalResolution.length > FIELD_LIMITS.resolution) {
      throw new DomainError(`Keep the resolution within ${FIELD_LIMITS.resolution} characters.`, 'resolution_too_long');
    }
    const entered: IncidentStatus[] = previous === 'active' && target === 'closed' ? ['stable', 'closed'] : [target];
    await tx.incidents.update(
      incident.id,
      {
        status: target,
        resolution: target === 'closed' ? finalResolution : undefined,
        stableAt: target === 'active' ? null : entered.includes('stable') ? now : undefined,
        closedAt: target === 'closed' ? now : null,
      },
      now,
    );
    let from = previous;
    for (const status of entered) {
      await tx.timeline.add(
        {
          incidentId: incident.id,
          occurredAt: now,
          kind: 'status',
          text: `Status changed from ${STATUS_LABELS[from]} to ${STATUS_LABELS[status]}`,
          actorId,
          source: 'command',
        },
        now,
      );
      from = status;
    }
    const changed = await tx.incidents.getById(incident.id);
    const resolutionSet = target === 'closed' && finalResolution !== (incident.resolution ?? '');
    await tx.events.record({
      type: statusEventType(previous, target),
      incident: changed,
      actorId,
      occurredAt: now,
      previousStatus: previous,
      changes: resolutionSet ? [{ field: 'resolution', from: incident.resolution, to: finalResolution }] : [],
    });
    return { incident: changed, previous, entered };
  }

  /**
   * Applies an edit. Returns what changed (old -> new); a status change inside an edit follows
   * the same rules as the status commands.
   */
  async edit(
    id: number,
    input: EditIncidentInput,
    actorId: string,
    options: { submissionKey?: string } = {},
  ): Promise<{ incident: Incident; changes: FieldChange[]; status?: StatusChange }> {
    const errors = this.validateDetails(input);
    if (Object.keys(errors).length > 0) throw new DomainError(Object.values(errors).join(' '), 'invalid_edit');
    const now = this.clock.now();
    return this.store.transaction(async (tx) => {
      await claimSubmission(tx, options.submissionKey, now);
      const before = await tx.incidents.lock(id);
      if (!before) throw new DomainError('That incident no longer exists.', 'incident_not_found');
      const next = {
        title: input.title.trim(),
        description: input.description.trim(),
        resolution: input.resolution?.trim() ? input.resolution.trim() : null,
        type: input.type,
        priority: input.priority,
        visibility: input.visibility,
      };
      const changes: FieldChange[] = [];
      const edited: FieldValueChange[] = [];
      for (const field of ['title', 'description', 'resolution', 'type', 'priority', 'visibility'] as const) {
        const from = before[field] ?? '';
        const to = next[field] ?? '';
        if (from === to) continue;
        changes.push({ field, label: FIELD_LABELS[field], from, to });
        edited.push({ field, from: before[field], to: next[field] });
      }
      if (edited.length > 0) {
        const incident = await tx.incidents.update(id, next, now);
        await tx.events.record({ type: 'incident.updated', incident, actorId, occurredAt: now, changes: edited });
      }
      let status: StatusChange | undefined;
      if (input.status !== before.status) {
        status = await this.applyStatus(
          tx,
          { ...before, resolution: next.resolution },
          input.status,
          actorId,
          now,
          next.resolution ?? undefined,
        );
        changes.push({ field: 'status', label: FIELD_LABELS.status, from: STATUS_LABELS[before.status], to: STATUS_LABELS[input.status] });
      }
      if (changes.length > 0) {
        await tx.timeline.add(
          {
            incidentId: id,
            occurredAt: now,
            kind: 'edited',
            text: `Edited: ${changes.map((change) => change.label.toLowerCase()).join(', ')}`,
            actorId,
            source: 'command',
          },
          now,
        );
      }
      return { incident: await tx.incidents.getById(id), changes, status };
    });
  }

  /**
   * Active incidents first, then stable, most recent first, at most `limit`: two LIMITed reads
   * in index order (never every open incident).
   */
  async listOpen(limit = 20): Promise<Incident[]> {
    const active = await this.store.incidents.listByStatus('active', limit);
    if (active.length >= limit) return active;
    return [...active, ...(await this.store.incidents.listByStatus('stable', limit - active.length))];
  }

  /**
   * Open incidents `userId` is in now (in the channel, or holding a role beyond participant or
   * observer), active first, newest first, at most `limit`: one indexed query, as the Home tab's
   * own list of them, whatever the number of open incidents.
   */
  listOpenInvolving(userId: string, limit: number): Promise<Incident[]> {
    return this.store.incidents.listOpenInvolving(userId, limit);
  }

  /**
   * What the Home tab shows a person, bounded whatever the number of incidents: the open ones
   * they are in (at most `caps.mine`), then the newest other open ones they may see (at most
   * `caps.others`, active before stable), and how many open incidents they may see in all, so
   * the tab can say how many it left out. A handful of LIMITed, indexed queries.
   */
  async homeIncidents(userId: string, caps: HomeCaps = HOME_CAPS): Promise<HomeIncidents> {
    const [mine, counts] = await Promise.all([
      this.store.incidents.listOpenInvolving(userId, caps.mine),
      this.store.incidents.countOpenFor(userId),
    ]);
    const shown = new Set(mine.map((incident) => incident.id));
    const others: Incident[] = [];
    for (const status of ['active', 'stable'] as const) {
      const room = caps.others - others.length;
      if (room <= 0) break;
      // Enough rows that, with the person's own left out, the cap can still be filled.
      const newest = await this.store.incidents.listVisibleByStatus(status, userId, room + mine.length);
      others.push(...newest.filter((incident) => !shown.has(incident.id)).slice(0, room));
    }
    const visible = counts.active + counts.stable;
    return {
      mine,
      others,
      counts: { ...counts, notShown: Math.max(0, visible - mine.length - others.length) },
    };
  }
}
