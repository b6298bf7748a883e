import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Incident } from '../../incidents/model';
import { Store } from '../../store';
import { KyselyParticipantRepository } from '../../store/participantRepository';
import { ManualClock } from '../support/clock';
import { databaseKinds, type TestDatabase, testDatabase } from '../support/database';
import { COMMANDER, reportIncident } from '../support/incidentFlow';
import { memberJoined } from '../support/payloads';
import { type HttpAnswer, TestApp } from '../support/testApp';

/**
 * The participant list is rendered once per roster: asked again, the ack is the answer rendered
 * before (no participant query, the same bytes), until something it shows changes, whoever
 * changed it: this app, another replica or script on the same database, or Slack's profile.
 */
const PEOPLE = Array.from({ length: 30 }, (_, index) => `U0ROSTER${String(index).padStart(2, '0')}`);

/** A database another connection can open too: a SQLite file, or a fresh PostgreSQL schema. */
async function sharedDatabase(kind: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'postgres') return testDatabase(kind);
  const directory = mkdtempSync(join(tmpdir(), 'dispatch-listcache-'));
  return {
    kind,
    url: `sqlite:${join(directory, 'dispatch.db')}`,
    drop: async () => rmSync(directory, { recursive: true, force: true }),
  };
}

describe.each(databaseKinds)('the participant list, rendered once per roster (%s)', (kind) => {
  const clock = new ManualClock();
  let database: TestDatabase;
  let app: TestApp;
  /** Another writer on the same database: what another replica, a CLI script or a shell does. */
  let other: Store;
  let incident: Incident;
  let channelId: string;
  let listQueries: jest.SpyInstance;

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await TestApp.start({ database, clock });
    other = await Store.open(database.url);
    incident = await reportIncident(app, { answers: { commander: COMMANDER } });
    channelId = incident.channelId as string;
    for (const [index, userId] of PEOPLE.entries()) {
      app.fake.addUser({ id: userId, name: `person${index}`, real_name: `Person ${index}`, title: 'Engineer' });
      app.fake.channels.get(channelId)?.members.add(userId);
      await app.event(memberJoined(userId, channelId));
    }
    await app.settle();
    // The first list looks the profiles up in Slack and answers after the ack; from then on they are known.
    await list();
    await app.settle();
  }, 60_000);

  beforeEach(() => {
    listQueries = jest.spyOn(KyselyParticipantRepository.prototype, 'list');
  });
  afterEach(() => {
    listQueries.mockRestore();
  });

  afterAll(async () => {
    await other.close();
    await app.stop();
    await database.drop();
  });

  function list(): Promise<HttpAnswer> {
    return app.command(app.settings.commands.listParticipants, { user_id: PEOPLE[1], channel_id: channelId });
  }

  /** The ack of a list that answered in the ack, as the person sees it. */
  async function listInAck(): Promise<{ answer: HttpAnswer; text: string }> {
    const answer = await list();
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('application/json');
    const message = answer.json();
    expect(message.response_type).toBe('ephemeral');
    return { answer, text: JSON.stringify(message.blocks) };
  }

  const lineOf = (text: string, name: string) =>
    (JSON.parse(text) as Array<{ text?: { text: string } }>)
      .flatMap((block) => (block.text?.text ?? '').split('\n'))
      .find((line) => line.includes(`*${name}*`));

  test('asked again, the ack is the list rendered before: no participant query, byte for byte the same', async () => {
    // Rendered after the ack the first time (beforeAll), so already kept: a change makes the next one fresh.
    await other.participants.countMessage(incident.id, PEOPLE[20], clock.now());
    const fresh = await listInAck();
    expect(listQueries).toHaveBeenCalledTimes(1);
    const again = await listInAck();
    const third = await listInAck();
    expect(listQueries).toHaveBeenCalledTimes(1);
    expect(again.answer.text).toBe(fresh.answer.text);
    expect(third.answer.text).toBe(fresh.answer.text);
    expect(fresh.text).toContain('*Person 0* (Engineer)');
  });

  test('a change another replica writes to the same database shows in the next list, and then that list is reused', async () => {
    const before = await listInAck();
    expect(lineOf(before.text, 'Person 2')).toContain('no messages yet');
    const queriesBefore = listQueries.mock.calls.length;
    await other.participants.countMessage(incident.id, PEOPLE[2], clock.now());
    const after = await listInAck();
    expect(lineOf(after.text, 'Person 2')).toContain('(1 message)');
    expect(listQueries).toHaveBeenCalledTimes(queriesBefore + 1);
    expect(await listInAck()).toEqual({ ...after, answer: expect.objectContaining({ text: after.answer.text }) });
    expect(listQueries).toHaveBeenCalledTimes(queriesBefore + 1);
  });

  test('so does a write straight into the database, past the app (a script, a shell)', async () => {
    await listInAck();
    await sql`update participants set left_at = ${clock.now().toISOString()} where user_id = ${PEOPLE[3]}`.execute(other.db);
    const after = await listInAck();
    expect(lineOf(after.text, 'Person 3')).toContain('left');
    expect(after.text).toContain(`${PEOPLE.length} participants: ${PEOPLE.length - 1} in the channel, 1 left`);
    await sql`update participant_roles set revoked_at = ${clock.now().toISOString()} where user_id = ${COMMANDER} and role = 'commander'`.execute(
      other.db,
    );
    const noCommander = await app.command(app.settings.commands.listParticipants, { user_id: PEOPLE[1], channel_id: channelId });
    expect(noCommander.json().blocks).not.toEqual(after.answer.json().blocks);
    expect(JSON.stringify(noCommander.json().blocks)).toContain('Incident Commander: _nobody_');
  });

  test('a profile Slack answers differently, once looked up again, shows in the next list', async () => {
    await listInAck();
    app.fake.addUser({ id: PEOPLE[4], name: 'person4', real_name: 'Dana Renamed', title: 'Staff Engineer' });
    // Known profiles are fresh for a while; past that they are looked up again (after the ack).
    clock.advance(app.settings.slack.userCacheTtlMs + 1000);
    const stale = await list();
    expect(stale.text).toBe('');
    await app.settle();
    const renamed = await listInAck();
    expect(lineOf(renamed.text, 'Dana Renamed')).toContain('(Staff Engineer)');
    expect(renamed.text).not.toContain('*Person 4*');
  });
});
