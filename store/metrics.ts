import type { ExpressionBuilder, Kysely } from 'kysely';
import type { MetricsQueries, MetricsViewer } from '../incidents/afterClosePorts';
import type { IncidentTimes } from '../incidents/metrics';
import type { IncidentStatus } from '../incidents/model';
import type { Database } from './schema';
import { fromIso, fromIsoOrNull, toIso } from './time';
import { visibleToUser } from './visibility';

/** Restricted incidents count only for people who take part in them (the Home tab's rule). */
function visibleTo(viewer: MetricsViewer) {
  return (eb: ExpressionBuilder<Database & { i: Database['incidents'] }, 'i'>) =>
    viewer.kind === 'everyone' ? eb.lit(true) : visibleToUser(eb, viewer.userId);
}

/** The store side of the metrics: what happened when, filtered by what the viewer may see. */
export class KyselyMetricsQueries implements MetricsQueries {
  constructor(private readonly db: Kysely<Database>) {}

  /** Incidents reported in [since, until), oldest first. */
  async incidentsReported(since: Date, until: Date, viewer: MetricsViewer): Promise<IncidentTimes[]> {
    const rows = await this.db
      .selectFrom('incidents as i')
      .select(['i.id', 'i.name', 'i.type', 'i.priority', 'i.status', 'i.reported_at', 'i.stable_at', 'i.closed_at'])
      .where('i.reported_at', '>=', toIso(since))
      .where('i.reported_at', '<', toIso(until))
      .where(visibleTo(viewer))
      .orderBy('i.reported_at')
      .orderBy('i.id')
      .execute();
    return rows.map((row) => ({
      id: Number(row.id),
      name: row.name,
      type: row.type,
      priority: row.priority,
      status: row.status as IncidentStatus,
      reportedAt: fromIso(row.reported_at),
      stableAt: fromIsoOrNull(row.stable_at),
      closedAt: fromIsoOrNull(row.closed_at),
    }));
  }

  /** Open follow-ups due before `today` (YYYY-MM-DD) of incidents the viewer may see. */
  async overdueFollowUps(today: string, viewer: MetricsViewer): Promise<number> {
    const row = await this.db
      .selectFrom('follow_ups as f')
      .innerJoin('tasks as t', 't.id', 'f.task_id')
      .innerJoin('incidents as i', 'i.id', 'f.incident_id')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('t.status', '=', 'open')
      .where('f.due_on', 'is not', null)
      .where('f.due_on', '<', today)
      .where(visibleTo(viewer))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /**
   * Ids of incidents closed since `since` whose responders were asked for feedback, latest close
   * first, at most `limit`; with `commanderId`, only those they lead. Reads incidents_closed_idx
   * from its newest end, so a month of closed incidents costs `limit` rows, not the month.
   */
  async closedWithFeedback(since: Date, commanderId: string | null, limit: number): Promise<number[]> {
    let query = this.db
      .selectFrom('incidents as i')
      .select('i.id')
      .where('i.status', '=', 'closed')
      .where('i.closed_at', '>=', toIso(since))
      .where((eb) => eb.exists(eb.selectFrom('feedback_requests as q').select('q.user_id').whereRef('q.incident_id', '=', 'i.id')));
    if (commanderId !== null) {
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('participant_roles as r')
            .select('r.user_id')
            .whereRef('r.incident_id', '=', 'i.id')
            .where('r.role', '=', 'commander')
            .where('r.revoked_at', 'is', null)
            .where('r.user_id', '=', commanderId),
        ),
      );
    }
    const rows = await query.orderBy('i.closed_at', 'desc').limit(limit).execute();
    return rows.map((row) => Number(row.id));
  }

  /** Ids of incidents closed in [from, to]: the ones whose feedback may be due. */
  async closedBetween(from: Date, to: Date): Promise<number[]> {
    const rows = await this.db
      .selectFrom('incidents')
      .select('id')
      .where('status', '=', 'closed')
      .where('closed_at', '>=', toIso(from))
      .where('closed_at', '<=', toIso(to))
      .orderBy('closed_at')
      .execute();
    return rows.map((row) => Number(row.id));
  }
}
