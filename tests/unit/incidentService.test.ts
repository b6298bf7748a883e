import { DomainError } from '../../incidents/errors';
import type { IncidentService } from '../../incidents/incidentService';
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
  useDomain(kind, { policy }, (domain) => {
    ({ store, clock, incidents: service } = domain);
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
});
