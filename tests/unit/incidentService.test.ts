import { DomainError } from '../../incidents/errors';
import type { IncidentService } from '../../incidents/incidentService';
import type { Incident } from '../../incidents/model';
import type { ParticipantService } from '../../incidents/participants';
import type { Store } from '../../store';
import type { ManualClock } from '../support/clock';
import { databaseKinds } from '../support/database';
import { useDomain } from '../support/domain';

const policy = { namePrefix: 'dispatch', types: ['Other', 'Security'], priorities: ['Info', 'Low', 'Medium', 'High'] };
const report = {
  title: 'Checkout is failing',
  description: 'HTTP 500 on checkout',
  type: 'Other',
  priority: 'High',
  visibility: 'open' as const,
  reporterId: 'U0REPORTER',
};

describe.each(databaseKinds)('IncidentService on %s', (kind) => {
  let store: Store;
  let clock: ManualClock;
  let service: IncidentService;
  let participants: ParticipantService;
  useDomain(kind, { policy }, (domain) => {
    ({ store, clock, incidents: service, participants } = domain);
  });

  test('reporting names the incident after its number and makes the reporter commander by default', async () => {
    const first = await service.report(report);
    const second = await service.report({ ...report, commanderId: 'U0COMMAND1' });
    expect([first.name, second.name]).toEqual(['dispatch-1', 'dispatch-2']);
    expect(first.commanderId).toBe('U0REPORTER');
    expect(second.commanderId).toBe('U0COMMAND1');
    expect(first.status).toBe('active');
    expect(first.reportedAt).toEqual(new Date('2026-11-28T09:00:00Z'));
    const timeline = await store.timeline.list(second.id);
    expect(timeline.map((event) => event.kind)).toEqual(['reported', 'role']);
  });

  test('validation names each bad field', () => {
    const errors = service.validateDetails({
      title: '',
      description: 'x'.repeat(3001),
      type: 'Nope',
      priority: 'Urgent',
      visibility: 'open',
    });
    expect(Object.keys(errors).sort()).toEqual(['description', 'priority', 'title', 'type']);
    expect(errors.type).toContain('Other, Security');
    expect(service.validateDetails(report)).toEqual({});
  });

  test('an invalid report is refused and nothing is recorded', async () => {
    await expect(service.report({ ...report, title: ' ' })).rejects.toBeInstanceOf(DomainError);
    expect(await store.incidents.listRecent(5)).toEqual([]);
  });

  test('status: stable records its time; closing an active incident passes through stable; reopening clears the times', async () => {
    const incident = await service.report(report);
    clock.advance(30 * 60_000);
    const stable = await service.changeStatus(incident.id, 'stable', 'U0REPORTER');
    expect(stable.entered).toEqual(['stable']);
    expect(stable.incident.stableAt).toEqual(clock.now());

    const other = await service.report(report);
    clock.advance(60_000);
    await expect(service.changeStatus(other.id, 'closed', 'U0REPORTER')).rejects.toMatchObject({ code: 'resolution_required' });
    const closed = await service.changeStatus(other.id, 'closed', 'U0REPORTER', 'Rolled back');
    expect(closed.entered).toEqual(['stable', 'closed']);
    expect(closed.incident.stableAt).toEqual(clock.now());
    expect(closed.incident.closedAt).toEqual(clock.now());
    expect(closed.incident.resolution).toBe('Rolled back');

    const reopened = await service.changeStatus(other.id, 'active', 'U0REPORTER');
    expect(reopened.incident.status).toBe('active');
    expect(reopened.incident.stableAt).toBeNull();
    expect(reopened.incident.closedAt).toBeNull();
    expect(reopened.incident.resolution).toBe('Rolled back');
  });

  test('the same status is refused and changes nothing', async () => {
    const incident = await service.report(report);
    clock.advance(60_000);
    await expect(service.changeStatus(incident.id, 'active', 'U0REPORTER')).rejects.toMatchObject({
      code: 'same_status',
      message: 'dispatch-1 is already active; nothing changed.',
    });
    expect((await store.incidents.findById(incident.id))?.updatedAt).toEqual(incident.updatedAt);
    expect(await store.timeline.list(incident.id)).toHaveLength(1);
  });

  test('edit returns old -> new for each changed field and applies a status change with its rules', async () => {
    const incident = await service.report(report);
    const result = await service.edit(
      incident.id,
      { ...report, title: 'Checkout fails for EU cards', priority: 'Medium', resolution: 'Card processor fixed', status: 'closed' },
      'U0EDITOR01',
    );
    expect(result.changes.map((change) => [change.field, change.from, change.to])).toEqual([
      ['title', 'Checkout is failing', 'Checkout fails for EU cards'],
      ['resolution', '', 'Card processor fixed'],
      ['priority', 'High', 'Medium'],
      ['status', 'Active', 'Closed'],
    ]);
    expect(result.status?.entered).toEqual(['stable', 'closed']);
    expect(result.incident.closedAt).toEqual(clock.now());
    const timeline = await store.timeline.list(incident.id);
    expect(timeline.map((event) => event.kind)).toEqual(['reported', 'status', 'status', 'edited']);
  });

  test('an edit that closes without a resolution is refused as a whole', async () => {
    const incident = await service.report(report);
    await expect(
      service.edit(incident.id, { ...report, title: 'New title', resolution: null, status: 'closed' }, 'U0EDITOR01'),
    ).rejects.toMatchObject({
      code: 'resolution_required',
    });
    expect((await store.incidents.findById(incident.id))?.title).toBe('Checkout is failing');
  });

  test('listOpen lists active incidents before stable ones, newest first, and no closed ones', async () => {
    const a = await service.report(report);
    const b = await service.report(report);
    const c = await service.report(report);
    await service.changeStatus(a.id, 'stable', 'U0REPORTER');
    await service.changeStatus(c.id, 'closed', 'U0REPORTER', 'done');
    expect((await service.listOpen()).map((incident) => incident.name)).toEqual([b.name, a.name]);
  });

  test('listOpen stops at its limit, active ones first', async () => {
    const reported: Incident[] = [];
    for (let n = 0; n < 5; n += 1) reported.push(await service.report(report));
    await service.changeStatus(reported[4].id, 'stable', 'U0REPORTER');
    expect((await service.listOpen(3)).map((incident) => incident.id)).toEqual([reported[3].id, reported[2].id, reported[1].id]);
    expect((await service.listOpen(5)).map((incident) => incident.id)).toEqual([4, 3, 2, 1, 5].map((n) => reported[n - 1].id));
  });

  describe('homeIncidents: what the Home tab lists, capped and counted', () => {
    const RESPONDER = 'U0RESPOND1';

    test('the open incidents the person is in first (active, newest first), then the newest others they may see', async () => {
      const all: Incident[] = [];
      for (let n = 1; n <= 12; n += 1) {
        all.push(await service.report({ ...report, title: `Incident ${n}`, visibility: n % 4 === 0 ? 'restricted' : 'open' }));
      }
      const byNumber = (n: number) => all[n - 1];
      // In 2 (now stable), 4 (restricted), 6; left 8 (restricted, still theirs to see); 10 closed.
      for (const n of [2, 4, 6, 8, 10]) await participants.join(byNumber(n).id, RESPONDER);
      await participants.leave(byNumber(8).id, RESPONDER);
      await service.changeStatus(byNumber(2).id, 'stable', 'U0REPORTER');
      await service.changeStatus(byNumber(10).id, 'closed', 'U0REPORTER', 'done');
      await service.changeStatus(byNumber(11).id, 'stable', 'U0REPORTER');

      const home = await service.homeIncidents(RESPONDER, { mine: 2, others: 3 });
      const numbers = (incidents: Array<{ title: string }>) => incidents.map((incident) => Number(incident.title.split(' ')[1]));
      expect(numbers(home.mine)).toEqual([6, 4]);
      expect(numbers(home.others)).toEqual([9, 8, 7]);
      // Open and visible: 1-9 and 11 (12 is restricted and not theirs): 8 active, 2 stable (2 and 11).
      expect(home.counts).toEqual({ active: 8, stable: 2, involved: 3, notShown: 5 });

      const outsider = await service.homeIncidents('U0OUTSIDE1', { mine: 2, others: 3 });
      expect(outsider.mine).toEqual([]);
      expect(numbers(outsider.others)).toEqual([9, 7, 6]);
      expect(outsider.counts).toEqual({ active: 6, stable: 2, involved: 0, notShown: 5 });
    });

    test('with many open incidents every list stays at its cap and the rest is counted', async () => {
      for (let n = 0; n < 40; n += 1) {
        const incident = await service.report(report);
        if (n % 3 === 0) await participants.join(incident.id, RESPONDER);
      }
      const home = await service.homeIncidents(RESPONDER);
      expect(home.mine).toHaveLength(10);
      expect(home.others).toHaveLength(15);
      expect(new Set([...home.mine, ...home.others].map((incident) => incident.id)).size).toBe(25);
      expect(home.counts).toEqual({ active: 40, stable: 0, involved: 14, notShown: 15 });
    });
  });
});
