import { DomainError } from '../../incidents/errors';
import type { Incident } from '../../incidents/model';
import type { ParticipantService } from '../../incidents/participants';
import type { Store } from '../../store';
import type { ManualClock } from '../support/clock';
import { databaseKinds } from '../support/database';
import { useDomain } from '../support/domain';

const APP_USER = 'UBOT000001';
const REPORTER = 'U0REPORTER';
const COMMANDER = 'U0COMMAND1';
const ALICE = 'U0ALICE001';
const BOB = 'U0BOB00001';
const START = '2024-05-01T09:00:00.000Z';

describe.each(databaseKinds)('ParticipantService on %s', (kind) => {
  let store: Store;
  let clock: ManualClock;
  let participants: ParticipantService;
  let incident: Incident;

  useDomain(kind, { start: START, appUserId: APP_USER }, async (domain) => {
    ({ store, clock, participants } = domain);
    incident = await domain.incidents.report({
      title: 'Checkout fails',
      description: 'HTTP 500 on checkout',
      type: 'Other',
      priority: 'High',
      visibility: 'open',
      reporterId: REPORTER,
      commanderId: COMMANDER,
    });
  });

  const timelineKinds = async () => (await store.timeline.list(incident.id)).map((event) => event.kind);

  describe('join', () => {
    test('adds a person as a Participant; a repeated join changes nothing', async () => {
      const first = await participants.join(incident.id, ALICE);
      expect(first?.changed).toBe(true);
      expect(first?.changed && first.participant).toMatchObject({
        userId: ALICE,
        roles: ['participant'],
        joinedAt: new Date(START),
        leftAt: null,
      });

      clock.advance(60_000);
      const again = await participants.join(incident.id, ALICE);
      expect(again?.changed).toBe(false);
      expect((await participants.find(incident.id, ALICE))?.joinedAt).toEqual(new Date(START));
      expect(await participants.list(incident.id)).toHaveLength(1);
    });

    test('the reporter and commander join with the roles they have, not as plain Participants', async () => {
      await participants.join(incident.id, REPORTER);
      await participants.join(incident.id, COMMANDER);
      const listed = await participants.list(incident.id);
      expect(listed.map((participant) => [participant.userId, participant.roles])).toEqual([
        [COMMANDER, ['commander']],
        [REPORTER, ['reporter']],
      ]);
    });

    test('the app itself never becomes a participant', async () => {
      expect(await participants.join(incident.id, APP_USER)).toBeUndefined();
      await participants.recordActivity(incident.id, APP_USER, 'message:Ev0001x');
      expect(await participants.list(incident.id)).toEqual([]);
      await expect(
        participants.assignRole({ incidentId: incident.id, userId: APP_USER, role: 'scribe', actorId: COMMANDER }),
      ).rejects.toThrow(DomainError);
      expect(await participants.rolesOf(incident.id, APP_USER)).toEqual([]);
    });
  });

  describe('leave', () => {
    test('marks them inactive with the time, keeps their roles; joining again reactivates them', async () => {
      await participants.join(incident.id, ALICE);
      await participants.assignRole({ incidentId: incident.id, userId: ALICE, role: 'scribe', actorId: COMMANDER });
      clock.advance(5 * 60_000);
      const left = await participants.leave(incident.id, ALICE);
      expect(left).toMatchObject({ kind: 'left', participant: { leftAt: new Date('2024-05-01T09:05:00.000Z') } });
      expect((await participants.find(incident.id, ALICE))?.roles).toEqual(['scribe', 'participant']);

      clock.advance(60_000);
      const back = await participants.join(incident.id, ALICE);
      expect(back?.changed).toBe(true);
      expect(back?.changed && back.participant).toMatchObject({ leftAt: null, joinedAt: new Date('2024-05-01T09:06:00.000Z') });
    });

    test('someone who never joined is not a participant to remove', async () => {
      expect(await participants.leave(incident.id, BOB)).toEqual({ kind: 'not_participant' });
    });

    test('the commander must hand over first: they stay on record unless they may leave', async () => {
      await participants.join(incident.id, COMMANDER);
      expect(await participants.leave(incident.id, COMMANDER)).toEqual({ kind: 'commander_must_hand_over' });
      expect((await participants.find(incident.id, COMMANDER))?.leftAt).toBeNull();

      const forced = await participants.leave(incident.id, COMMANDER, { commanderMayLeave: true });
      expect(forced.kind).toBe('left');
      expect(await participants.rolesOf(incident.id, COMMANDER)).toEqual(['commander']);
    });

    test('the commander of a closed incident may leave', async () => {
      await participants.join(incident.id, COMMANDER);
      await store.incidents.update(incident.id, { status: 'closed', closedAt: clock.now() }, clock.now());
      expect((await participants.leave(incident.id, COMMANDER)).kind).toBe('left');
    });
  });

  describe('recordActivity', () => {
    test('counts messages and remembers the last one', async () => {
      await participants.join(incident.id, ALICE);
      await participants.recordActivity(incident.id, ALICE, 'message:Ev0002x');
      clock.advance(90_000);
      await participants.recordActivity(incident.id, ALICE, 'message:Ev0003x');
      expect(await participants.find(incident.id, ALICE)).toMatchObject({
        messageCount: 2,
        lastActivityAt: new Date('2024-05-01T09:01:30.000Z'),
      });
    });

    test('someone who was in the channel before we saw them join becomes a Participant', async () => {
      await participants.recordActivity(incident.id, BOB, 'message:Ev0004x');
      expect(await participants.find(incident.id, BOB)).toMatchObject({ roles: ['participant'], messageCount: 1, leftAt: null });
    });

    test('a message delivery run twice (after a crash, on another replica) is counted once', async () => {
      await participants.join(incident.id, ALICE);
      await participants.recordActivity(incident.id, ALICE, 'message:Ev0001');
      await participants.recordActivity(incident.id, ALICE, 'message:Ev0001');
      await participants.recordActivity(incident.id, ALICE, 'message:Ev0002');
      expect((await participants.find(incident.id, ALICE))?.messageCount).toBe(2);
      // Someone not seen joining: added once, counted once.
      await participants.recordActivity(incident.id, BOB, 'message:Ev0003');
      await participants.recordActivity(incident.id, BOB, 'message:Ev0003');
      expect(await participants.find(incident.id, BOB)).toMatchObject({ roles: ['participant'], messageCount: 1 });
    });
  });

  describe('assignRole', () => {
    test('a new commander replaces the previous one, who becomes a Participant, with a timeline event', async () => {
      await participants.join(incident.id, COMMANDER);
      await participants.join(incident.id, ALICE);
      clock.advance(60_000);
      const names = new Map([
        [ALICE, 'Alice Smith'],
        [COMMANDER, 'Casey Commander'],
      ]);
      const outcome = await participants.assignRole({
        incidentId: incident.id,
        userId: ALICE,
        role: 'commander',
        actorId: COMMANDER,
        names,
      });

      expect(outcome).toMatchObject({ changed: true, userId: ALICE, role: 'commander', previousCommanderId: COMMANDER });
      expect(outcome.incident.commanderId).toBe(ALICE);
      expect(await participants.rolesOf(incident.id, COMMANDER)).toEqual(['participant']);
      expect(await participants.rolesOf(incident.id, ALICE)).toEqual(['commander', 'participant']);
      const holders = await participants.roleHolders(incident.id);
      expect(holders.commander).toEqual([ALICE]);

      const history = await store.participants.roleHistory(incident.id);
      const previous = history.find((assignment) => assignment.userId === COMMANDER && assignment.role === 'commander');
      expect(previous?.revokedAt).toEqual(new Date('2024-05-01T09:01:00.000Z'));
      const timeline = await store.timeline.list(incident.id);
      expect(timeline.at(-1)).toMatchObject({ kind: 'role', actorId: COMMANDER, source: 'command' });
      expect(timeline.at(-1)?.text).toBe('Incident Commander handed over from Casey Commander to Alice Smith');
    });

    test('another role is added to those the person holds', async () => {
      await participants.join(incident.id, ALICE);
      const outcome = await participants.assignRole({ incidentId: incident.id, userId: ALICE, role: 'liaison', actorId: COMMANDER });
      expect(outcome).toMatchObject({ changed: true, previousCommanderId: null });
      expect(await participants.rolesOf(incident.id, ALICE)).toEqual(['liaison', 'participant']);
      expect(outcome.incident.commanderId).toBe(COMMANDER);
    });

    test('a role already held changes nothing', async () => {
      const before = await timelineKinds();
      const outcome = await participants.assignRole({ incidentId: incident.id, userId: COMMANDER, role: 'commander', actorId: ALICE });
      expect(outcome.changed).toBe(false);
      expect(await timelineKinds()).toEqual(before);
      expect(await store.participants.roleHistory(incident.id)).toHaveLength(2);
    });

    test('two hand-overs at once leave exactly one commander', async () => {
      const results = await Promise.allSettled([
        participants.assignRole({ incidentId: incident.id, userId: ALICE, role: 'commander', actorId: COMMANDER }),
        participants.assignRole({ incidentId: incident.id, userId: BOB, role: 'commander', actorId: COMMANDER }),
      ]);
      for (const result of results) {
        if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(DomainError);
      }
      expect(results.some((result) => result.status === 'fulfilled')).toBe(true);
      expect((await participants.roleHolders(incident.id)).commander).toHaveLength(1);
    });

    test('an unknown incident is refused in words', async () => {
      await expect(participants.assignRole({ incidentId: 999, userId: ALICE, role: 'scribe', actorId: COMMANDER })).rejects.toThrow(
        'That incident no longer exists.',
      );
    });
  });

  test('only the commander and scribes are privileged', async () => {
    await participants.join(incident.id, ALICE);
    await participants.join(incident.id, BOB);
    await participants.assignRole({ incidentId: incident.id, userId: BOB, role: 'scribe', actorId: COMMANDER });
    expect(await participants.isPrivileged(incident.id, COMMANDER)).toBe(true);
    expect(await participants.isPrivileged(incident.id, BOB)).toBe(true);
    expect(await participants.isPrivileged(incident.id, ALICE)).toBe(false);
    expect(await participants.isPrivileged(incident.id, REPORTER)).toBe(false);
  });

  test('list: the commander first, then those in the channel by role, then those who left', async () => {
    await participants.join(incident.id, ALICE);
    clock.advance(1000);
    await participants.join(incident.id, BOB);
    clock.advance(1000);
    await participants.join(incident.id, REPORTER);
    clock.advance(1000);
    await participants.join(incident.id, COMMANDER);
    await participants.assignRole({ incidentId: incident.id, userId: BOB, role: 'scribe', actorId: COMMANDER });
    await participants.leave(incident.id, ALICE);
    expect((await participants.list(incident.id)).map((participant) => participant.userId)).toEqual([COMMANDER, BOB, REPORTER, ALICE]);
  });
});
