import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Incident } from '../../incidents/model';
import { ConflictError, type NewIncidentRecord } from '../../incidents/ports';
import { Store } from '../../store';
import { MIGRATION_NAMES } from '../../store/database';
import { databaseKinds, postgresSchema, postgresUrl, type TestDatabase, testDatabase } from '../support/database';

const T0 = new Date('2026-03-01T10:00:00.000Z');
/** T0 plus some minutes. */
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const REPORTER = 'U0REPORTER';
const ALICE = 'U0ALICE001';
const BOB = 'U0BOB00001';
const CAROL = 'U0CAROL001';

const record = (overrides: Partial<NewIncidentRecord> = {}): NewIncidentRecord => ({
  namePrefix: 'dispatch',
  title: 'Checkout is failing',
  description: 'Payments API answers 500',
  type: 'Availability',
  priority: 'High',
  visibility: 'open',
  reporterId: REPORTER,
  reportedAt: T0,
  ...overrides,
});

/** Names of the migrations the database has recorded as applied. */
async function appliedMigrations(store: Store): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.db);
  return rows.map((row) => row.name);
}

/** Resolves with the rejection reason, failing the test if `work` resolves. */
async function rejection(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected the database to refuse this');
}

describe.each(databaseKinds)('the store on %s', (kind) => {
  let database: TestDatabase;
  let store: Store;

  const newIncident = (overrides: Partial<NewIncidentRecord> = {}) =>
    store.transaction((repos) => repos.incidents.insert(record(overrides)));

  beforeEach(async () => {
    database = await testDatabase(kind);
    store = await Store.open(database.url);
  });

  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  test('is healthy, knows its dialect, and applied the schema', async () => {
    expect(store.dialect).toBe(kind);
    expect(await store.ping()).toBe(true);
    expect(await appliedMigrations(store)).toEqual(MIGRATION_NAMES);
  });

  describe('incidents', () => {
    test('insert names each incident after its number and reads back every field', async () => {
      const first = await newIncident();
      const second = await newIncident({ title: 'Search is slow', priority: 'Low', visibility: 'restricted', reportedAt: at(5) });
      expect(first).toEqual<Incident>({
        id: first.id,
        name: `dispatch-${first.id}`,
        title: 'Checkout is failing',
        description: 'Payments API answers 500',
        resolution: null,
        status: 'active',
        type: 'Availability',
        priority: 'High',
        visibility: 'open',
        reporterId: REPORTER,
        commanderId: null,
        channelId: null,
        channelName: null,
        summaryTs: null,
        reportedAt: T0,
        stableAt: null,
        closedAt: null,
        updatedAt: T0,
        reminderSnoozedUntil: null,
        rosterRevision: 0,
      });
      expect(first.name).toBe('dispatch-1');
      expect(second.name).toBe('dispatch-2');
      expect(second).toMatchObject({ visibility: 'restricted', priority: 'Low', reportedAt: at(5) });
      expect(await store.incidents.findByName('dispatch-2')).toEqual(second);
      expect(await store.incidents.findById(first.id)).toEqual(first);
    });

    test('the prefix comes from the caller', async () => {
      const incident = await newIncident({ namePrefix: 'sec' });
      expect(incident.name).toBe(`sec-${incident.id}`);
    });

    test('unknown ids, names and channels find nothing; getById throws', async () => {
      expect(await store.incidents.findById(999)).toBeUndefined();
      expect(await store.incidents.findByName('dispatch-999')).toBeUndefined();
      expect(await store.incidents.findByChannel('C0NOWHERE1')).toBeUndefined();
      await expect(store.incidents.getById(999)).rejects.toThrow('incident 999 does not exist');
    });

    test('update changes the named fields, keeps the rest, and finds by channel', async () => {
      const incident = await newIncident();
      const updated = await store.incidents.update(
        incident.id,
        { channelId: 'C0INCIDENT1', channelName: 'dispatch-1-checkout-is-failing', summaryTs: '1700000000.000100', title: 'Checkout down' },
        at(1),
      );
      expect(updated).toMatchObject({
        channelId: 'C0INCIDENT1',
        channelName: 'dispatch-1-checkout-is-failing',
        summaryTs: '1700000000.000100',
        title: 'Checkout down',
        description: 'Payments API answers 500',
        updatedAt: at(1),
        reportedAt: T0,
      });
      expect(await store.incidents.findByChannel('C0INCIDENT1')).toEqual(updated);
    });

    test('a timestamp is set, then cleared with null (reopening), while undefined leaves it alone', async () => {
      const incident = await newIncident();
      const stable = await store.incidents.update(incident.id, { status: 'stable', stableAt: at(10) }, at(10));
      expect(stable).toMatchObject({ status: 'stable', stableAt: at(10), closedAt: null });
      const closed = await store.incidents.update(incident.id, { status: 'closed', closedAt: at(20), resolution: 'Rolled back' }, at(20));
      expect(closed).toMatchObject({ status: 'closed', stableAt: at(10), closedAt: at(20), resolution: 'Rolled back' });
      const reopened = await store.incidents.update(
        incident.id,
        { status: 'active', stableAt: null, closedAt: null, resolution: null },
        at(30),
      );
      expect(reopened).toMatchObject({ status: 'active', stableAt: null, closedAt: null, resolution: null, updatedAt: at(30) });
      const snoozed = await store.incidents.update(incident.id, { reminderSnoozedUntil: at(90) }, at(31));
      expect(snoozed.reminderSnoozedUntil).toEqual(at(90));
      expect(snoozed.status).toBe('active');
    });

    test('lists by status and most recent first', async () => {
      const one = await newIncident();
      const two = await newIncident();
      const three = await newIncident();
      await store.incidents.update(two.id, { status: 'stable', stableAt: at(1) }, at(1));
      expect((await store.incidents.listByStatus('active')).map((incident) => incident.id)).toEqual([one.id, three.id]);
      expect((await store.incidents.listByStatus('stable')).map((incident) => incident.id)).toEqual([two.id]);
      expect(await store.incidents.listByStatus('closed')).toEqual([]);
      expect((await store.incidents.listRecent(2)).map((incident) => incident.id)).toEqual([three.id, two.id]);
    });

    test('one channel belongs to one incident', async () => {
      const one = await newIncident();
      const two = await newIncident();
      await store.incidents.update(one.id, { channelId: 'C0SHARED01' }, at(1));
      const error = await rejection(store.incidents.update(two.id, { channelId: 'C0SHARED01' }, at(1)));
      expect(error).toBeInstanceOf(ConflictError);
    });

    test('commanderId is the current commander role', async () => {
      const incident = await newIncident();
      await store.participants.grantRole(incident.id, ALICE, 'commander', REPORTER, at(1));
      expect((await store.incidents.getById(incident.id)).commanderId).toBe(ALICE);
      await store.participants.revokeRole(incident.id, ALICE, 'commander', at(2));
      expect((await store.incidents.getById(incident.id)).commanderId).toBeNull();
    });

    test('announcements: saved per channel, saved again replaces the message ts, deleted per channel', async () => {
      const incident = await newIncident();
      const other = await newIncident();
      await store.incidents.saveAnnouncement({ incidentId: incident.id, channelId: 'C0ANNOUNCE', messageTs: '1.000001' });
      await store.incidents.saveAnnouncement({ incidentId: incident.id, channelId: 'C0SECURITY', messageTs: '1.000002' });
      await store.incidents.saveAnnouncement({ incidentId: other.id, channelId: 'C0ANNOUNCE', messageTs: '1.000003' });
      await store.incidents.saveAnnouncement({ incidentId: incident.id, channelId: 'C0ANNOUNCE', messageTs: '2.000001' });
      const byChannel = (rows: Array<{ channelId: string; messageTs: string }>) =>
        Object.fromEntries(rows.map((row) => [row.channelId, row.messageTs]));
      expect(byChannel(await store.incidents.announcements(incident.id))).toEqual({ C0ANNOUNCE: '2.000001', C0SECURITY: '1.000002' });
      await store.incidents.deleteAnnouncement(incident.id, 'C0ANNOUNCE');
      expect(await store.incidents.announcements(incident.id)).toEqual([
        { incidentId: incident.id, channelId: 'C0SECURITY', messageTs: '1.000002' },
      ]);
      expect(byChannel(await store.incidents.announcements(other.id))).toEqual({ C0ANNOUNCE: '1.000003' });
    });
  });

  describe('participants and roles', () => {
    let incident: Incident;
    beforeEach(async () => {
      incident = await newIncident();
    });

    test('join, repeated join, leave, repeated leave and rejoin', async () => {
      const joined = await store.participants.join(incident.id, ALICE, at(1));
      expect(joined.changed).toBe(true);
      expect(joined.participant).toMatchObject({ userId: ALICE, joinedAt: at(1), leftAt: null, messageCount: 0, roles: [] });
      const again = await store.participants.join(incident.id, ALICE, at(2));
      expect(again.changed).toBe(false);
      expect(again.participant.joinedAt).toEqual(at(1));

      expect(await store.participants.leave(incident.id, ALICE, at(3))).toBe(true);
      expect(await store.participants.leave(incident.id, ALICE, at(4))).toBe(false);
      expect(await store.participants.leave(incident.id, BOB, at(4))).toBe(false);
      expect((await store.participants.get(incident.id, ALICE))?.leftAt).toEqual(at(3));

      const rejoined = await store.participants.join(incident.id, ALICE, at(5));
      expect(rejoined.changed).toBe(true);
      expect(rejoined.participant).toMatchObject({ joinedAt: at(5), leftAt: null });
      expect(await store.participants.list(incident.id)).toHaveLength(1);
    });

    test('activity is counted; someone never seen joining becomes a participant', async () => {
      await store.participants.recordActivity(incident.id, BOB, at(1));
      expect(await store.participants.get(incident.id, BOB)).toMatchObject({ joinedAt: at(1), lastActivityAt: at(1), messageCount: 1 });
      await store.participants.recordActivity(incident.id, BOB, at(2));
      expect(await store.participants.countMessage(incident.id, BOB, at(3))).toBe(true);
      expect(await store.participants.get(incident.id, BOB)).toMatchObject({ joinedAt: at(1), lastActivityAt: at(3), messageCount: 3 });
      expect(await store.participants.countMessage(incident.id, CAROL, at(3))).toBe(false);
      expect(await store.participants.get(incident.id, CAROL)).toBeUndefined();
    });

    test('lists everyone who took part, in joining order, with the roles they hold now in role order', async () => {
      await store.participants.join(incident.id, BOB, at(2));
      await store.participants.join(incident.id, ALICE, at(1));
      await store.participants.grantRole(incident.id, ALICE, 'scribe', null, at(3));
      await store.participants.grantRole(incident.id, ALICE, 'commander', REPORTER, at(4));
      await store.participants.leave(incident.id, BOB, at(5));
      const list = await store.participants.list(incident.id);
      expect(list.map((participant) => [participant.userId, participant.roles, participant.leftAt])).toEqual([
        [ALICE, ['commander', 'scribe'], null],
        [BOB, [], at(5)],
      ]);
      expect(await store.participants.currentRoles(incident.id, ALICE)).toEqual(['commander', 'scribe']);
      expect(await store.participants.currentAssignments(incident.id)).toEqual([
        { userId: ALICE, role: 'scribe' },
        { userId: ALICE, role: 'commander' },
      ]);
    });

    test('roles are granted once, revoked once, and keep their history', async () => {
      expect(await store.participants.grantRole(incident.id, ALICE, 'scribe', REPORTER, at(1))).toBe(true);
      expect(await store.participants.grantRole(incident.id, ALICE, 'scribe', REPORTER, at(2))).toBe(false);
      expect(await store.participants.grantRole(incident.id, BOB, 'scribe', REPORTER, at(2))).toBe(true);
      expect(await store.participants.holders(incident.id, 'scribe')).toEqual([ALICE, BOB]);
      expect(await store.participants.revokeRole(incident.id, ALICE, 'scribe', at(3))).toBe(true);
      expect(await store.participants.revokeRole(incident.id, ALICE, 'scribe', at(4))).toBe(false);
      expect(await store.participants.holders(incident.id, 'scribe')).toEqual([BOB]);
      // Granted again after a revoke: a new assignment, the old one stays in the history.
      expect(await store.participants.grantRole(incident.id, ALICE, 'scribe', BOB, at(5))).toBe(true);
      const history = await store.participants.roleHistory(incident.id);
      expect(
        history.map(({ userId, role, assignedAt, assignedBy, revokedAt }) => ({ userId, role, assignedAt, assignedBy, revokedAt })),
      ).toEqual([
        { userId: ALICE, role: 'scribe', assignedAt: at(1), assignedBy: REPORTER, revokedAt: at(3) },
        { userId: BOB, role: 'scribe', assignedAt: at(2), assignedBy: REPORTER, revokedAt: null },
        { userId: ALICE, role: 'scribe', assignedAt: at(5), assignedBy: BOB, revokedAt: null },
      ]);
    });

    test("the roster's revision advances with every write to it, by this store or by SQL written past it, and only then", async () => {
      const other = await newIncident();
      const revision = async (id = incident.id) => (await store.incidents.getById(id)).rosterRevision;
      const revisions: number[] = [await revision()];
      const advanced = async (step: string, write: () => Promise<unknown>) => {
        await write();
        const now = await revision();
        expect([step, now > revisions[revisions.length - 1]]).toEqual([step, true]);
        revisions.push(now);
      };
      await advanced('join', () => store.participants.join(incident.id, ALICE, at(1)));
      await advanced('a counted message', () => store.participants.countMessage(incident.id, ALICE, at(2)));
      await advanced('a message of someone never seen joining', () => store.participants.recordActivity(incident.id, BOB, at(2)));
      await advanced('role assignment', () => store.participants.grantRole(incident.id, ALICE, 'scribe', REPORTER, at(3)));
      await advanced('role revocation', () => store.participants.revokeRole(incident.id, ALICE, 'scribe', at(4)));
      await advanced('leave', () => store.participants.leave(incident.id, ALICE, at(5)));
      await advanced('rejoin', () => store.participants.join(incident.id, ALICE, at(6)));
      // Another writer (a script, a shell, another app) that never goes through the repositories.
      await advanced('a direct UPDATE', () => sql`update participants set message_count = 7 where user_id = ${BOB}`.execute(store.db));
      await advanced('a direct INSERT', () =>
        sql`insert into participants (incident_id, user_id, joined_at, message_count) values (${incident.id}, ${CAROL}, ${at(7).toISOString()}, 0)`.execute(
          store.db,
        ),
      );

      // Writes that change nothing, and other incidents' rosters, leave it as it is.
      const settled = await revision();
      await store.participants.join(incident.id, ALICE, at(8));
      await store.participants.leave(incident.id, BOB, at(8));
      await store.participants.leave(incident.id, BOB, at(9));
      await store.participants.revokeRole(incident.id, ALICE, 'scribe', at(9));
      await store.participants.join(other.id, ALICE, at(9));
      await store.incidents.update(incident.id, { title: 'Checkout is failing for everyone', channelId: 'C0ROSTER01' }, at(9));
      expect(await revision()).toBe(settled + 1); // BOB's first leave
      // The lookup a command makes by its channel carries it, so checking it costs no query of its own.
      expect((await store.incidents.findByChannel('C0ROSTER01'))?.rosterRevision).toBe(settled + 1);
      expect(await revision(other.id)).toBeGreaterThan(0);
    });

    test('the database allows exactly one Incident Commander per incident', async () => {
      const other = await newIncident();
      expect(await store.participants.grantRole(incident.id, ALICE, 'commander', REPORTER, at(1))).toBe(true);
      // Another incident has its own commander.
      expect(await store.participants.grantRole(other.id, BOB, 'commander', REPORTER, at(1))).toBe(true);
      const error = await rejection(store.participants.grantRole(incident.id, BOB, 'commander', REPORTER, at(2)));
      expect(error).toBeInstanceOf(ConflictError);
      expect(await store.participants.holders(incident.id, 'commander')).toEqual([ALICE]);
      // Handing over: revoke, then grant.
      await store.participants.revokeRole(incident.id, ALICE, 'commander', at(3));
      expect(await store.participants.grantRole(incident.id, BOB, 'commander', ALICE, at(3))).toBe(true);
      expect((await store.incidents.getById(incident.id)).commanderId).toBe(BOB);
    });

    test('two commanders granted at the same moment: one wins, the other is refused', async () => {
      const outcomes = await Promise.allSettled([
        store.participants.grantRole(incident.id, ALICE, 'commander', REPORTER, at(1)),
        store.participants.grantRole(incident.id, BOB, 'commander', REPORTER, at(1)),
      ]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const refused = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      expect(refused?.reason).toBeInstanceOf(ConflictError);
      expect(await store.participants.holders(incident.id, 'commander')).toHaveLength(1);
    });
  });

  describe('tasks', () => {
    test('insert with assignees (each once), list per incident, resolve and reopen', async () => {
      const incident = await newIncident();
      const other = await newIncident();
      const task = await store.transaction((repos) =>
        repos.tasks.insert({
          incidentId: incident.id,
          description: 'Roll back the deploy',
          creatorId: ALICE,
          assigneeIds: [BOB, CAROL, BOB],
          sourceUrl: 'https://acme.slack.com/archives/C0INCIDENT1/p1700000000000100',
          createdAt: at(1),
        }),
      );
      expect(task).toEqual({
        id: task.id,
        incidentId: incident.id,
        description: 'Roll back the deploy',
        creatorId: ALICE,
        assigneeIds: expect.arrayContaining([BOB, CAROL]),
        status: 'open',
        createdAt: at(1),
        resolvedAt: null,
        resolvedBy: null,
        sourceUrl: 'https://acme.slack.com/archives/C0INCIDENT1/p1700000000000100',
      });
      expect(task.assigneeIds).toHaveLength(2);
      const unassigned = await store.tasks.insert({
        incidentId: incident.id,
        description: 'Write the postmortem',
        creatorId: BOB,
        assigneeIds: [],
        sourceUrl: null,
        createdAt: at(2),
      });
      expect(unassigned.assigneeIds).toEqual([]);
      await store.tasks.insert({
        incidentId: other.id,
        description: 'Elsewhere',
        creatorId: BOB,
        assigneeIds: [ALICE],
        sourceUrl: null,
        createdAt: at(0),
      });

      expect((await store.tasks.listForIncident(incident.id)).map((listed) => listed.description)).toEqual([
        'Roll back the deploy',
        'Write the postmortem',
      ]);

      expect(await store.tasks.setStatus(task.id, 'resolved', CAROL, at(5))).toBe(true);
      expect(await store.tasks.setStatus(task.id, 'resolved', CAROL, at(6))).toBe(false);
      expect(await store.tasks.getById(task.id)).toMatchObject({ status: 'resolved', resolvedAt: at(5), resolvedBy: CAROL });
      expect(await store.tasks.setStatus(task.id, 'open', ALICE, at(7))).toBe(true);
      expect(await store.tasks.getById(task.id)).toMatchObject({ status: 'open', resolvedAt: null, resolvedBy: null });
      expect(await store.tasks.findById(9999)).toBeUndefined();
      await expect(store.tasks.getById(9999)).rejects.toThrow('task 9999 does not exist');
    });
  });

  describe('resources', () => {
    test('insert and list per incident, in the order they were added', async () => {
      const incident = await newIncident();
      const other = await newIncident();
      const doc = await store.resources.insert({
        incidentId: incident.id,
        kind: 'document',
        title: 'Investigation notes',
        url: 'https://docs.example.com/dispatch-1',
        addedBy: ALICE,
        createdAt: at(1),
      });
      await store.resources.insert({
        incidentId: other.id,
        kind: 'ticket',
        title: 'JIRA-1',
        url: 'https://jira/1',
        addedBy: null,
        createdAt: at(1),
      });
      await store.resources.insert({
        incidentId: incident.id,
        kind: 'conference',
        title: 'Bridge',
        url: 'https://meet.example.com/dispatch-1',
        addedBy: null,
        createdAt: at(2),
      });
      const listed = await store.resources.listForIncident(incident.id);
      expect(listed[0]).toEqual(doc);
      expect(listed.map((resource) => [resource.kind, resource.title, resource.addedBy, resource.createdAt])).toEqual([
        ['document', 'Investigation notes', ALICE, at(1)],
        ['conference', 'Bridge', null, at(2)],
      ]);
    });
  });

  describe('status reports', () => {
    test('latest, history newest first, message ts, and the latest time per incident', async () => {
      const incident = await newIncident();
      const other = await newIncident();
      const quiet = await newIncident();
      expect(await store.reports.latest(incident.id)).toBeUndefined();
      const report = (incidentId: number, minutes: number, conditions: string) =>
        store.reports.insert({
          incidentId,
          conditions,
          actions: 'Rolling back',
          needs: 'Nothing',
          authorId: ALICE,
          createdAt: at(minutes),
        });
      const first = await report(incident.id, 10, 'Errors at 40%');
      await report(incident.id, 30, 'Errors at 5%');
      await report(incident.id, 20, 'Errors at 20%');
      await report(other.id, 50, 'Other incident');
      expect(first).toMatchObject({ conditions: 'Errors at 40%', authorId: ALICE, createdAt: at(10), messageTs: null });

      expect((await store.reports.latest(incident.id))?.conditions).toBe('Errors at 5%');
      expect((await store.reports.history(incident.id)).map((entry) => entry.conditions)).toEqual([
        'Errors at 5%',
        'Errors at 20%',
        'Errors at 40%',
      ]);

      await store.reports.setMessageTs(first.id, '1700000000.000200');
      expect((await store.reports.history(incident.id)).at(-1)?.messageTs).toBe('1700000000.000200');

      const times = await store.reports.latestTimes([incident.id, other.id, quiet.id]);
      expect(times).toEqual(
        new Map([
          [incident.id, at(30)],
          [other.id, at(50)],
        ]),
      );
      expect(await store.reports.latestTimes([])).toEqual(new Map());
    });

    test('two reports at the same time: the later one is the latest', async () => {
      const incident = await newIncident();
      await store.reports.insert({
        incidentId: incident.id,
        conditions: 'first',
        actions: '',
        needs: '',
        authorId: ALICE,
        createdAt: at(1),
      });
      await store.reports.insert({
        incidentId: incident.id,
        conditions: 'second',
        actions: '',
        needs: '',
        authorId: ALICE,
        createdAt: at(1),
      });
      expect((await store.reports.latest(incident.id))?.conditions).toBe('second');
    });
  });

  describe('timeline', () => {
    test('events are listed in time order; a dedupe key records an event once per incident', async () => {
      const incident = await newIncident();
      const other = await newIncident();
      const reaction = {
        incidentId: incident.id,
        occurredAt: at(5),
        kind: 'message',
        text: 'Deploy rolled back',
        actorId: ALICE,
        source: 'reaction' as const,
        permalink: 'https://acme.slack.com/archives/C0INCIDENT1/p1',
        dedupeKey: 'C0INCIDENT1:1.000001',
      };
      const added = await store.timeline.add(reaction, at(6));
      expect(added).toMatchObject({ incidentId: incident.id, occurredAt: at(5), text: 'Deploy rolled back', source: 'reaction' });
      expect(await store.timeline.add({ ...reaction, text: 'the same message again' }, at(7))).toBeUndefined();
      // The same key in another incident is a different event.
      expect(await store.timeline.add({ ...reaction, incidentId: other.id }, at(7))).toBeDefined();
      // Without a key, nothing is deduplicated.
      const system = {
        incidentId: incident.id,
        occurredAt: at(1),
        kind: 'status',
        text: 'Marked active',
        actorId: null,
        source: 'system' as const,
      };
      expect(await store.timeline.add(system)).toBeDefined();
      expect(await store.timeline.add({ ...system, occurredAt: at(9), text: 'Marked active again' })).toBeDefined();

      const listed = await store.timeline.list(incident.id);
      expect(listed.map((event) => [event.occurredAt, event.text, event.permalink])).toEqual([
        [at(1), 'Marked active', null],
        [at(5), 'Deploy rolled back', 'https://acme.slack.com/archives/C0INCIDENT1/p1'],
        [at(9), 'Marked active again', null],
      ]);
    });
  });

  describe('processed events', () => {
    test('an event id is claimed once; pruning forgets old ids', async () => {
      expect(await store.processedEvents.claim('Ev0001', at(0))).toBe(true);
      expect(await store.processedEvents.claim('Ev0001', at(1))).toBe(false);
      expect(await store.processedEvents.claim('Ev0002', at(60))).toBe(true);
      expect(await store.processedEvents.prune(at(30))).toBe(1);
      expect(await store.processedEvents.prune(at(30))).toBe(0);
      expect(await store.processedEvents.claim('Ev0002', at(61))).toBe(false);
      // Forgotten: a (very late) delivery would be taken in again.
      expect(await store.processedEvents.claim('Ev0001', at(62))).toBe(true);
    });

    test('claims racing for one id: exactly one wins', async () => {
      const claims = await Promise.all(Array.from({ length: 6 }, () => store.processedEvents.claim('EvRACE', at(0))));
      expect(claims.filter(Boolean)).toHaveLength(1);
    });
  });

  describe('status report reminders', () => {
    test('claimed once per incident and due time, released on failure, counted', async () => {
      const incident = await newIncident();
      const other = await newIncident();
      expect(await store.reminders.claim(incident.id, at(60), at(61))).toBe(true);
      expect(await store.reminders.claim(incident.id, at(60), at(62))).toBe(false);
      expect(await store.reminders.claim(incident.id, at(120), at(121))).toBe(true);
      expect(await store.reminders.claim(other.id, at(60), at(61))).toBe(true);
      expect(await store.reminders.count(incident.id)).toBe(2);
      await store.reminders.release(incident.id, at(120));
      expect(await store.reminders.count(incident.id)).toBe(1);
      expect(await store.reminders.claim(incident.id, at(120), at(125))).toBe(true);
      expect(await store.reminders.count(other.id)).toBe(1);
    });
  });

  describe('on-call engagements', () => {
    test('insert and list per incident', async () => {
      const incident = await newIncident();
      const engagement = await store.oncallEngagements.insert({
        incidentId: incident.id,
        service: 'payments',
        userId: BOB,
        engagedBy: ALICE,
        paged: true,
        note: 'primary',
        engagedAt: at(3),
      });
      await store.oncallEngagements.insert({
        incidentId: incident.id,
        service: 'search',
        userId: CAROL,
        engagedBy: ALICE,
        paged: false,
        note: null,
        engagedAt: at(4),
      });
      const listed = await store.oncallEngagements.listForIncident(incident.id);
      expect(listed[0]).toEqual(engagement);
      expect(listed.map((entry) => [entry.service, entry.paged, entry.note])).toEqual([
        ['payments', true, 'primary'],
        ['search', false, null],
      ]);
    });
  });

  describe('transactions', () => {
    test('writes in one transaction land together', async () => {
      const incident = await store.transaction(async (repos) => {
        const created = await repos.incidents.insert(record());
        await repos.participants.join(created.id, ALICE, at(0));
        await repos.participants.grantRole(created.id, ALICE, 'commander', REPORTER, at(0));
        // A transaction sees its own writes.
        expect((await repos.incidents.getById(created.id)).commanderId).toBe(ALICE);
        return created;
      });
      expect((await store.incidents.getById(incident.id)).commanderId).toBe(ALICE);
    });

    test('an error thrown inside rolls every write back', async () => {
      const failure = new Error('channel creation failed');
      await expect(
        store.transaction(async (repos) => {
          const created = await repos.incidents.insert(record());
          await repos.participants.join(created.id, ALICE, at(0));
          await repos.timeline.add({
            incidentId: created.id,
            occurredAt: at(0),
            kind: 'reported',
            text: 'Reported',
            actorId: null,
            source: 'system',
          });
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await store.incidents.listRecent(10)).toEqual([]);
      expect(await store.incidents.findByName('dispatch-1')).toBeUndefined();
    });

    test('a write the database refuses rolls back the writes before it', async () => {
      const incident = await newIncident();
      await store.participants.grantRole(incident.id, ALICE, 'commander', REPORTER, at(0));
      const error = await rejection(
        store.transaction(async (repos) => {
          await repos.participants.join(incident.id, BOB, at(1));
          await repos.tasks.insert({
            incidentId: incident.id,
            description: 'x',
            creatorId: BOB,
            assigneeIds: [],
            sourceUrl: null,
            createdAt: at(1),
          });
          await repos.participants.grantRole(incident.id, BOB, 'commander', BOB, at(1));
        }),
      );
      expect(error).toBeInstanceOf(ConflictError);
      expect(await store.participants.get(incident.id, BOB)).toBeUndefined();
      expect(await store.tasks.listForIncident(incident.id)).toEqual([]);
      expect(await store.participants.holders(incident.id, 'commander')).toEqual([ALICE]);
    });
  });
});

/** A database that outlives one Store: a SQLite file in a temp dir, or a PostgreSQL schema. */
async function durableDatabase(kind: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'postgres') return postgresSchema();
  const directory = mkdtempSync(join(tmpdir(), 'dispatch-store-'));
  return {
    kind: 'sqlite',
    // A folder that does not exist yet: Store.open creates it.
    url: `sqlite:${join(directory, 'nested', 'dispatch.db')}`,
    drop: async () => rmSync(directory, { recursive: true, force: true }),
  };
}

describe.each(databaseKinds)('migrations on %s', (kind) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await durableDatabase(kind);
  });
  afterEach(async () => {
    await database.drop();
  });

  test('opening the same database again applies nothing twice and keeps the data', async () => {
    const first = await Store.open(database.url);
    const incident = await first.transaction((repos) => repos.incidents.insert(record()));
    await first.close();

    const second = await Store.open(database.url);
    try {
      expect(await appliedMigrations(second)).toEqual(MIGRATION_NAMES);
      expect(await second.incidents.getById(incident.id)).toEqual(incident);
    } finally {
      await second.close();
    }
  });

  test('two stores migrating the same fresh database at the same time both succeed, the schema applied once', async () => {
    const [one, two] = await Promise.all([Store.open(database.url), Store.open(database.url)]);
    try {
      expect(await appliedMigrations(one)).toEqual(MIGRATION_NAMES);
      expect(await appliedMigrations(two)).toEqual(MIGRATION_NAMES);
      // Both work on the same tables: what one writes, the other reads.
      const incident = await one.transaction((repos) => repos.incidents.insert(record()));
      expect((await two.incidents.getById(incident.id)).name).toBe('dispatch-1');
      expect(await two.processedEvents.claim('EvSHARED', T0)).toBe(true);
      expect(await one.processedEvents.claim('EvSHARED', T0)).toBe(false);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});

// Kysely's migrator once looked for its bookkeeping tables in every schema of the database,
// so a second schema (another test, another app) made it skip creating them in its own.
(postgresUrl ? test : test.skip)('PostgreSQL: two schemas in one database migrate independently', async () => {
  const [a, b] = await Promise.all([postgresSchema(), postgresSchema()]);
  try {
    const first = await Store.open(a.url);
    const second = await Store.open(b.url);
    await first.transaction((repos) => repos.incidents.insert(record()));
    expect(await second.incidents.listRecent(5)).toEqual([]);
    expect(await appliedMigrations(second)).toEqual(MIGRATION_NAMES);
    await Promise.all([first.close(), second.close()]);
  } finally {
    await Promise.all([a.drop(), b.drop()]);
  }
});
