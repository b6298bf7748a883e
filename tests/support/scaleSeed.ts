import { type Insertable, type Kysely, sql } from 'kysely';
import type { Database, IncidentsTable } from '../../store/schema';

/**
 * Rows straight into the tables (one transaction), in the shape the app's own writes leave: a
 * workspace with years of incidents, for the scale benchmark and the query-plan test.
 *
 * - `incidents` incidents, one every `spacingMinutes` up to `now`; one in `openEvery` still
 *   active or stable, the rest closed an hour after being reported; one in 7 restricted;
 * - each has 3 people from a pool (the first `pool` people of the big incident), the first its
 *   commander; one in 5 has a document and a task for one of them (open while the incident is), and a closed
 *   one in 10 a follow-up and feedback requests;
 * - the newest incident (always active) has `participants` people, one in 10 of whom left.
 */
export interface ScaleSeed {
  incidents: number;
  participants: number;
  openEvery: number;
  now: Date;
  spacingMinutes: number;
  pool: number;
}

export interface SeededScale {
  channelId: string;
  incidentId: number;
  /** The big incident's people, in join order; the first `pool` of them are in other incidents too. */
  people: string[];
}

export const personId = (index: number) => `U0SCALE${String(index).padStart(5, '0')}`;

async function insertInBatches<T extends keyof Database & string>(
  db: Kysely<Database>,
  table: T,
  rows: Array<Insertable<Database[T]>>,
  size = 500,
): Promise<void> {
  for (let start = 0; start < rows.length; start += size) {
    await db
      .insertInto(table)
      .values(rows.slice(start, start + size) as never)
      .execute();
  }
}

export async function seedScale(db: Kysely<Database>, options: ScaleSeed): Promise<SeededScale> {
  const { incidents: total, participants, openEvery, now, spacingMinutes, pool } = options;
  const at = (minutesBeforeNow: number) => new Date(now.getTime() - minutesBeforeNow * 60_000).toISOString();
  const reportedAgo = (n: number) => (total - n) * spacingMinutes + 90;
  const channelId = 'C0BIGINCIDENT';
  const people = Array.from({ length: participants }, (_, index) => personId(index));
  let incidentId = 0;
  await db.transaction().execute(async (tx) => {
    const incidentRows: Array<Insertable<IncidentsTable>> = [];
    for (let n = 1; n <= total; n += 1) {
      const open = n % openEvery === 0 || n === total;
      const reported = reportedAgo(n);
      incidentRows.push({
        name: `dispatch-${n}`,
        title: `Incident ${n}`,
        description: 'Seeded at scale',
        resolution: open ? null : 'Resolved',
        status: open ? (n % 2 === 0 || n === total ? 'active' : 'stable') : 'closed',
        type: 'Other',
        priority: n % 3 === 0 ? 'Low' : 'High',
        visibility: n % 7 === 0 && n !== total ? 'restricted' : 'open',
        reporter_id: 'U0REPORTER',
        channel_id: n === total ? channelId : `C0SEED${n}`,
        channel_name: `dispatch-${n}`,
        // Set up as a finished setup leaves it (channel and pinned summary): otherwise every open
        // incident looks cut off mid-setup, and the setup recovery resyncs them all at start.
        summary_ts: `${1_700_000_000 + n}.000100`,
        reported_at: at(reported),
        stable_at: open ? null : at(reported - 30),
        closed_at: open ? null : at(reported - 60),
        updated_at: at(reported - 60),
        reminder_snoozed_until: null,
      });
    }
    await insertInBatches(tx, 'incidents', incidentRows);
    const ids = await tx.selectFrom('incidents').select(['id', 'name', 'status', 'closed_at']).orderBy('id').execute();
    const big = ids[ids.length - 1];
    incidentId = Number(big.id);

    const participantRows: Array<Insertable<Database['participants']>> = [];
    const roleRows: Array<Insertable<Database['participant_roles']>> = [];
    const taskRows: Array<Insertable<Database['tasks']>> = [];
    const taskOwners: string[] = [];
    const feedbackRows: Array<Insertable<Database['feedback_requests']>> = [];
    const resourceRows: Array<Insertable<Database['resources']>> = [];
    ids.slice(0, -1).forEach((row, index) => {
      const n = index + 1;
      const id = Number(row.id);
      const reported = reportedAgo(n);
      const crew = [0, 1, 2].map((k) => personId((n * 7 + k * 131) % pool));
      for (const [k, user] of [...new Set(crew)].entries()) {
        participantRows.push({
          incident_id: id,
          user_id: user,
          joined_at: at(reported - k),
          left_at: null,
          last_activity_at: at(reported - 10),
          message_count: 3 + k,
        });
        roleRows.push({
          incident_id: id,
          user_id: user,
          role: k === 0 ? 'commander' : 'participant',
          assigned_at: at(reported - k),
          assigned_by: null,
          revoked_at: null,
        });
      }
      if (n % 5 === 0) {
        taskRows.push({
          incident_id: id,
          description: `Task of incident ${n}`,
          creator_id: 'U0REPORTER',
          status: row.status === 'closed' ? 'resolved' : 'open',
          created_at: at(reported - 5),
          resolved_at: row.status === 'closed' ? at(reported - 60) : null,
          resolved_by: null,
          source_url: null,
        });
        taskOwners.push(crew[1]);
        resourceRows.push({
          incident_id: id,
          kind: 'document',
          title: 'Notes',
          url: `https://docs.example.com/${n}`,
          added_by: crew[0],
          created_at: at(reported - 2),
        });
      }
      if (row.status === 'closed' && n % 10 === 0) {
        for (const user of new Set(crew)) feedbackRows.push({ incident_id: id, user_id: user, requested_at: at(reported - 120) });
      }
    });
    people.forEach((user, index) => {
      participantRows.push({
        incident_id: incidentId,
        user_id: user,
        joined_at: at(80 - index / participants),
        left_at: index % 10 === 9 ? at(20) : null,
        last_activity_at: at(10),
        message_count: index % 13,
      });
      roleRows.push({
        incident_id: incidentId,
        user_id: user,
        role: index === 0 ? 'commander' : 'participant',
        assigned_at: at(80 - index / participants),
        assigned_by: null,
        revoked_at: null,
      });
    });
    await insertInBatches(tx, 'participants', participantRows);
    await insertInBatches(tx, 'participant_roles', roleRows);
    await insertInBatches(tx, 'tasks', taskRows);
    const tasks = await tx.selectFrom('tasks').select(['id', 'incident_id', 'status', 'created_at']).orderBy('id').execute();
    await insertInBatches(
      tx,
      'task_assignees',
      tasks.map((task, index) => ({ task_id: Number(task.id), user_id: taskOwners[index] })),
    );
    await insertInBatches(
      tx,
      'follow_ups',
      tasks
        .filter((_task, index) => index % 2 === 0)
        .map((task) => ({
          task_id: Number(task.id),
          incident_id: Number(task.incident_id),
          owner_id: taskOwners[tasks.indexOf(task)],
          due_on: task.created_at.slice(0, 10),
          created_at: task.created_at,
        })),
    );
    await insertInBatches(tx, 'feedback_requests', feedbackRows);
    await insertInBatches(tx, 'resources', resourceRows);
  });
  return { channelId, incidentId, people };
}

/** The tables seedScale fills. */
const SEEDED_TABLES = [
  'incidents',
  'participants',
  'participant_roles',
  'tasks',
  'task_assignees',
  'follow_ups',
  'feedback_requests',
  'resources',
];

/**
 * Planner statistics for the seeded tables only (what autovacuum gives a production database).
 * Named one by one: a bare ANALYZE on PostgreSQL walks every schema of the shared test
 * database, other runs' tables included, and holds them up.
 */
export async function analyzeSeeded(db: Kysely<Database>): Promise<void> {
  for (const table of SEEDED_TABLES) await sql`analyze ${sql.table(table)}`.execute(db);
}
