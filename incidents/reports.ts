import type { Clock } from './clock';
import { DomainError } from './errors';
import type { Incident, StatusReport } from './model';
import type { UnitOfWork } from './ports';
import { claimSubmission } from './submissions';

export const REPORT_FIELDS = ['conditions', 'actions', 'needs'] as const;
export type ReportField = (typeof REPORT_FIELDS)[number];

/** Each part is shown in its own section of the posted report, so it stays under Slack's 3000. */
export const REPORT_FIELD_LIMIT = 2500;

export type StatusReportInput = Record<ReportField, string>;
export type ReportErrors = Partial<Record<ReportField, string>>;

const FIELD_NAMES: Record<ReportField, string> = {
  conditions: 'the current conditions',
  actions: 'the actions being taken',
  needs: 'what is needed',
};

export interface SubmittedReport {
  incident: Incident;
  report: StatusReport;
  /** The report this one follows (its pinned message is unpinned), if any. */
  previous: StatusReport | null;
}

/** Status reports: Conditions, Actions, Needs. Every report is kept; the latest one counts. */
export class StatusReportService {
  constructor(
    private readonly store: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  /** Problems with a report, by field, in words for the form. Empty when all is well. */
  validate(input: Partial<StatusReportInput>): ReportErrors {
    const errors: ReportErrors = {};
    for (const field of REPORT_FIELDS) {
      const text = (input[field] ?? '').trim();
      if (text.length === 0) errors[field] = `Please describe ${FIELD_NAMES[field]}.`;
      else if (text.length > REPORT_FIELD_LIMIT)
        errors[field] = `Keep this within ${REPORT_FIELD_LIMIT} characters (it has ${text.length}).`;
    }
    return errors;
  }

  /** Refuses reports on a closed incident: there is no status left to report. */
  assertReportable(incident: Incident): void {
    if (incident.status === 'closed') {
      throw new DomainError(`${incident.name} is closed, so it takes no more status reports.`, 'report_on_closed');
    }
  }

  /** One report of the incident, by id. */
  async find(incidentId: number, reportId: number): Promise<StatusReport | undefined> {
    return (await this.store.reports.history(incidentId)).find((report) => report.id === reportId);
  }

  latest(incidentId: number): Promise<StatusReport | undefined> {
    return this.store.reports.latest(incidentId);
  }

  /**
   * Stores the report (earlier ones stay as history), puts it on the timeline, and lifts any
   * reminder snooze: the next reminder counts from this report.
   */
  async submit(
    incidentId: number,
    input: StatusReportInput,
    authorId: string,
    options: { submissionKey?: string } = {},
  ): Promise<SubmittedReport> {
    const errors = this.validate(input);
    if (Object.keys(errors).length > 0) throw new DomainError(Object.values(errors).join(' '), 'invalid_report');
    const now = this.clock.now();
    return this.store.transaction(async (tx) => {
      await claimSubmission(tx, options.submissionKey, now);
      const incident = await tx.incidents.lock(incidentId);
      if (!incident) throw new DomainError('That incident no longer exists.', 'incident_not_found');
      this.assertReportable(incident);
      const previous = (await tx.reports.latest(incidentId)) ?? null;
      const report = await tx.reports.insert({
        incidentId,
        conditions: input.conditions.trim(),
        actions: input.actions.trim(),
        needs: input.needs.trim(),
        authorId,
        createdAt: now,
      });
      await tx.timeline.add(
        {
          incidentId,
          occurredAt: now,
          kind: 'report',
          text: `Status report: ${report.conditions}`,
          actorId: authorId,
          source: 'command',
        },
        now,
      );
      const updated = incident.reminderSnoozedUntil ? await tx.incidents.update(incidentId, { reminderSnoozedUntil: null }, now) : incident;
      await tx.events.record({ type: 'status_report.posted', incident: updated, actorId: authorId, occurredAt: now, report });
      return { incident: updated, report, previous };
    });
  }

  /** Remembers where the report was posted, so the next report can unpin it. */
  recordMessage(reportId: number, messageTs: string): Promise<void> {
    return this.store.reports.setMessageTs(reportId, messageTs);
  }
}
