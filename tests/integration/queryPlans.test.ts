import { CompiledQuery, DefaultQueryExecutor, type Kysely, sql } from 'kysely';
import type { Incident } from '../../incidents/model';
import type { Database } from '../../store/schema';
import { databaseKinds, testDatabase } from '../support/database';
import { appHomeOpened, channelMessage, memberJoined, memberLeft } from '../support/payloads';
import { analyzeSeeded, seedScale } from '../support/scaleSeed';
import { TestApp } from '../support/testApp';

/**
 * Every query on a hot path (an event, a command, the Home tab, the work queue, the timeline)
 * finds its rows through an index. The app runs those paths for real (signed HTTP, the work
 * queue, the flows) while every query it sends is recorded with its parameters; then each is
 * explained on the same engine: SQLite's EXPLAIN QUERY PLAN must not say "SCAN table", and
 * PostgreSQL's EXPLAIN, with sequential scans switched off (so the planner takes any index
 * there is, however few rows the table has), must not keep a "Seq Scan". A scan is fine on ten
 * rows and ruinous on 10,000 incidents, so the plan, not a timing, is what this checks.
 * On SQLite always; on PostgreSQL too when TEST_DATABASE_URL is set.
 */
interface Recorded {
  sql: string;
  parameters: readonly unknown[];
}

const DML = /^\s*(select|update|delete|with|insert)\b/i;

/** Every query any Kysely instance in this process runs while `recording.on`. */
function recordQueries(): { queries: Map<string, Recorded>; on: boolean; stop(): void } {
  const recording = { queries: new Map<string, Recorded>(), on: false, stop: () => spy.mockRestore() };
  const original = DefaultQueryExecutor.prototype.executeQuery;
  const spy = jest.spyOn(DefaultQueryExecutor.prototype, 'executeQuery').mockImplementation(function (
    this: DefaultQueryExecutor,
    compiled: CompiledQuery,
  ) {
    if (recording.on && DML.test(compiled.sql) && !recording.queries.has(compiled.sql)) {
      recording.queries.set(compiled.sql, { sql: compiled.sql, parameters: compiled.parameters });
    }
    return original.call(this, compiled);
  } as typeof original);
  return recording;
}

/** CTEs ("name" as (...)): scanning one of at most LIMIT rows is fine. */
const cteNamesOf = (text: string) => new Set([...text.matchAll(/"(\w+)" as (?:not )?(?:materialized )?\(/gi)].map((match) => match[1]));

/** The statement itself (not only a subquery) ends in LIMIT: walking an index in order stops after that many rows. */
const outerLimit = (text: string) => /\blimit \S+( offset \S+)?( for update( skip locked)?)?\s*$/i.test(text);

/**
 * SQLite: "SCAN t" is a full scan of t; "SCAN t USING [COVERING] INDEX i" walks all of index i,
 * fine only when i is partial (it holds just the rows asked for) or the statement stops at a
 * LIMIT; "SEARCH ... (ANY(a) ...)" skips through an index without its leading column.
 */
async function sqliteScans(db: Kysely<Database>, queries: Recorded[]) {
  const partial = new Set(
    (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and sql like '% where %'`.execute(db)).rows.map(
      (row) => row.name,
    ),
  );
  const found: Array<{ sql: string; scans: string[] }> = [];
  for (const query of queries) {
    const plan = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]));
    const ctes = cteNamesOf(query.sql);
    const scans = plan.rows
      .map((row) => row.detail.trim())
      .filter((detail) => {
        const scan = /^SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?/.exec(detail);
        if (scan) return !ctes.has(scan[1]) && (scan[2] === undefined || !(partial.has(scan[2]) || outerLimit(query.sql)));
        return /^SEARCH .*\(ANY\(/.test(detail);
      });
    if (scans.length > 0) found.push({ sql: query.sql, scans });
  }
  return found;
}

/** What the PostgreSQL check changes on its connection (and resets after): the first three are turned off. */
const PLANNER_SETTINGS = ['enable_seqscan', 'enable_hashjoin', 'enable_mergejoin', 'plan_cache_mode'];

/** A parameter as an SQL literal (EXECUTE takes values, not bind parameters). */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : JSON.stringify(value);
  return `'${text.replace(/'/g, "''")}'`;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

/**
 * PostgreSQL, with sequential scans (and hash and merge joins) off so the planner takes any
 * index there is however few rows a table has: a Seq Scan left means no index serves; an index scan must search on the
 * index's leading column (a condition on a later column only filters a walk of the whole
 * index), unless the index is partial or a LIMIT above it stops the walk. Generic plans are
 * checked: those are what named statements run with, planned from average rows, not these
 * values. (A plan can use indexes and still be slow for an outlier, as a join of a 1,000-person
 * incident planned for the average 3 was: `npm run bench -- --scale` times that one.)
 */
async function postgresScans(db: Kysely<Database>, queries: Recorded[]) {
  const indexes = await sql<{ name: string; leading: string; partial: boolean }>`
    select c.relname as name, a.attname as leading, x.indpred is not null as partial
    from pg_index x
    join pg_class c on c.oid = x.indexrelid
    join pg_namespace n on n.oid = c.relnamespace and n.nspname = current_schema()
    join pg_attribute a on a.attrelid = x.indrelid and a.attnum = x.indkey[0]`.execute(db);
  const byName = new Map(indexes.rows.map((row) => [row.name, row]));
  const found: Array<{ sql: string; scans: string[] }> = [];
  await db.connection().execute(async (connection) => {
    // Hash and merge joins off too: then a join or EXISTS reads its inner side per outer row, and
    // only an index on the joined columns avoids walking it whole each time.
    for (const setting of ['enable_seqscan', 'enable_hashjoin', 'enable_mergejoin'])
      await sql`set ${sql.raw(setting)} = off`.execute(connection);
    try {
      for (const query of queries) {
        // The generic plan: the app names its statements (store/preparedStatements.ts), and
        // PostgreSQL runs a named statement with one plan for all values after a few runs.
        await connection.executeQuery(CompiledQuery.raw(`prepare plan_check as ${query.sql}`));
        const values = query.parameters.map(literal).join(', ');
        const explained = await connection.executeQuery<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
          CompiledQuery.raw(`explain (format json) execute plan_check${values ? `(${values})` : ''}`),
        );
        await connection.executeQuery(CompiledQuery.raw('deallocate plan_check'));
        const scans: string[] = [];
        const visit = (node: PlanNode, limited: boolean) => {
          const type = node['Node Type'];
          const index = node['Index Name'] ? byName.get(node['Index Name']) : undefined;
          if (type === 'Seq Scan') scans.push(`Seq Scan on ${node['Relation Name']}`);
          else if (/Index/.test(type) && index && !index.partial && !limited) {
            const searches = node['Index Cond'] !== undefined && new RegExp(`\\b${index.leading}\\b`).test(node['Index Cond']);
            if (!searches) scans.push(`${type} walking all of ${index.name}${node['Index Cond'] ? ` (${node['Index Cond']})` : ''}`);
          }
          for (const child of node.Plans ?? []) visit(child, limited || type === 'Limit');
        };
        visit(explained.rows[0]['QUERY PLAN'][0].Plan, false);
        if (scans.length > 0) found.push({ sql: query.sql, scans });
      }
    } finally {
      for (const setting of PLANNER_SETTINGS) await sql`reset ${sql.raw(setting)}`.execute(connection);
    }
  });
  return found;
}

/** A query's plan as text (its generic plan on PostgreSQL). */
async function planText(db: Kysely<Database>, kind: 'sqlite' | 'postgres', query: Recorded): Promise<string> {
  if (kind === 'sqlite') {
    const plan = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]));
    return plan.rows.map((row) => row.detail).join('\n');
  }
  return db.connection().execute(async (connection) => {
    await connection.executeQuery(CompiledQuery.raw(`prepare plan_text as ${query.sql}`));
    try {
      await sql`set plan_cache_mode = force_generic_plan`.execute(connection);
      const values = query.parameters.map(literal).join(', ');
      const plan = await connection.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`explain execute plan_text${values ? `(${values})` : ''}`),
      );
      return plan.rows.map((row) => row['QUERY PLAN']).join('\n');
    } finally {
      await connection.executeQuery(CompiledQuery.raw('deallocate plan_text'));
      for (const setting of PLANNER_SETTINGS) await sql`reset ${sql.raw(setting)}`.execute(connection);
    }
  });
}

/** The full scans in each query's plan, by query (empty when every table is read through an index). */
function tableScans(db: Kysely<Database>, kind: 'sqlite' | 'postgres', queries: Recorded[]) {
  return kind === 'sqlite' ? sqliteScans(db, queries) : postgresScans(db, queries);
}

describe.each(databaseKinds)('hot-path queries use indexes (%s query plans)', (kind) => {
  let app: TestApp;
  let incident: Incident;
  const CHANNEL = 'C0INCIDENT3';
  const RESPONDER = 'U0PERSON1';

  beforeEach(async () => {
    app = await TestApp.start({ database: await testDatabase(kind) });
    const { incidents, participants, tasks, followUps, store } = app.deps;
    // Tables of a real size with their statistics, so each engine plans as it would in production;
    // then a few incidents written by the app itself.
    await seedScale(store.db, { incidents: 2000, participants: 300, openEvery: 50, now: new Date(), spacingMinutes: 120, pool: 200 });
    for (let n = 1; n <= 6; n += 1) {
      const reported = await incidents.report({
        title: `Incident ${n}`,
        description: 'd',
        type: 'Other',
        priority: 'High',
        visibility: n % 3 === 0 ? 'restricted' : 'open',
        reporterId: 'U0REPORTER',
      });
      const recorded = await incidents.recordSlackArtifacts(reported.id, { channelId: `C0INCIDENT${n}`, channelName: `dispatch-${n}` });
      for (let person = 0; person < 5; person += 1) await participants.join(reported.id, `U0PERSON${person}`);
      if (n === 3) incident = recorded;
      await tasks.create({ incidentId: reported.id, description: `Task ${n}`, assigneeIds: [RESPONDER], creatorId: 'U0REPORTER' });
      if (n === 1) {
        await followUps.create([
          { incidentId: reported.id, description: 'Follow up', ownerId: RESPONDER, dueOn: null, creatorId: 'U0REPORTER' },
        ]);
      }
    }
    await analyzeSeeded(store.db);
    await app.settle();
  });
  afterEach(() => app.stop());

  it('joins, messages, leaves, list-participants, help, the Home tab, the work queue and the timeline', async () => {
    const recording = recordQueries();
    recording.on = true;
    try {
      // Events: which incident a channel is, a new and a repeated join, messages, a leave.
      await app.event(memberJoined('U0NEWCOMER', CHANNEL));
      await app.event(memberJoined(RESPONDER, CHANNEL));
      await app.event(channelMessage(RESPONDER, CHANNEL, 'looking at the dashboards'));
      await app.event(channelMessage('U0QUIETONE', CHANNEL, 'first words'));
      await app.event(memberLeft('U0PERSON2', CHANNEL));
      await app.settle();
      // Commands: the incident of the channel, restrictions, the participant list (answered in the ack or after).
      await app.command(app.settings.commands.listParticipants, { channel_id: CHANNEL, user_id: RESPONDER });
      await app.command(app.settings.commands.listParticipants, { channel_id: CHANNEL, user_id: RESPONDER });
      // Help outside an incident channel: the person's open incidents (in the ack).
      await app.command(app.settings.commands.dispatch, { text: 'help', channel_id: 'C0GENERAL1', user_id: RESPONDER });
      await app.settle();
      // The Home tab: for someone in incidents, with tasks and a follow-up, and for an outsider.
      await app.event(appHomeOpened(RESPONDER));
      await app.event(appHomeOpened('U0OUTSIDER'));
      await app.settle();
      // The timeline: is this message on it already, add it (once).
      const marked = {
        incidentId: incident.id,
        channelId: CHANNEL,
        messageId: '1772442000.000100',
        authorId: RESPONDER,
        text: 'found it',
        postedAt: new Date(),
        permalink: null,
      };
      await app.deps.timeline.hasMessage(incident.id, CHANNEL, marked.messageId);
      await app.deps.timeline.addMessage(marked);
      await app.deps.timeline.addMessage(marked);
      // The work queue: store an item, claim it, finish it.
      const { workQueue } = app.deps.store;
      await workQueue.enqueue({ kind: 'plans.test', dedupeKey: 'Ev1', payload: { n: 1 } });
      const [claimed] = await workQueue.claim({
        owner: 'w1',
        kinds: ['plans.test'],
        limit: 10,
        now: new Date(Date.now() + 1000),
        leaseMs: 30_000,
      });
      await workQueue.complete(claimed.id, 'w1', new Date());
    } finally {
      recording.on = false;
      recording.stop();
    }

    const queries = [...recording.queries.values()];
    // The paths above really ran: the participant list, the Home tab's incidents, the claim.
    expect(queries.length).toBeGreaterThan(30);
    for (const table of ['participants', 'participant_roles', 'incidents', 'timeline_events', 'work_items', 'task_assignees']) {
      expect(queries.some((query) => query.sql.includes(`"${table}"`))).toBe(true);
    }
    expect(await tableScans(app.deps.store.db, kind, queries)).toEqual([]);
    // The claim walks pending work (the partial index), not every item of its kind ever stored:
    // the dedupe index (kind, dedupe_key) would also "search", through all the finished items.
    const claims = queries.filter((query) => /^\s*with "candidates"/i.test(query.sql));
    expect(claims.length).toBeGreaterThanOrEqual(1);
    for (const claim of claims) expect(await planText(app.deps.store.db, kind, claim)).toContain('work_items_pending_idx');
  });
});
