import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INCIDENT_EVENT_TYPES, statusEventType } from '../../incidents/incidentEvents';
import { buildPayload } from '../../webhooks/payloads';
import { EXAMPLE_EVENT_IDS, EXAMPLE_EVENTS, exampleChannelUrl } from '../support/webhookExamples';

const examples = EXAMPLE_EVENTS.map((event) => buildPayload(EXAMPLE_EVENT_IDS[event.type], event, exampleChannelUrl));
const byType = (type: string) => {
  const payload = examples.find((example) => example.type === type);
  if (!payload) throw new Error(`no example of ${type}`);
  return payload;
};

describe('webhook payloads', () => {
  test('the examples cover every event type of the catalogue', () => {
    expect(new Set(examples.map((payload) => payload.type))).toEqual(new Set(INCIDENT_EVENT_TYPES));
  });

  test('every payload has an id, a type, a time, the actor and the incident as it is after the change', () => {
    for (const payload of examples) {
      expect(payload.id).toMatch(/^evt_/);
      expect(Date.parse(payload.occurred_at)).not.toBeNaN();
      expect(payload.incident).toMatchObject({ id: 42, name: 'dispatch-42', visibility: 'open' });
      const hasChannel = payload.type !== 'incident.reported';
      expect(payload.incident.channel_url).toBe(hasChannel ? 'https://acme.slack.com/archives/C0INCIDENT' : null);
      expect(typeof payload.changes).toBe('object');
      expect(typeof payload.data).toBe('object');
    }
    expect(byType('incident.closed').incident).toMatchObject({ status: 'closed', resolution: 'Rolled back the payment gateway to 4.2.1.' });
  });

  test('what changed: status old and new, edited fields old and new, the commander handed over', () => {
    expect(byType('incident.reported').changes).toEqual({ status: { old: null, new: 'active' } });
    expect(byType('incident.status_changed').changes).toEqual({ status: { old: 'active', new: 'stable' } });
    expect(byType('incident.closed').changes).toEqual({ status: { old: 'stable', new: 'closed' } });
    expect(byType('incident.reopened').changes).toEqual({ status: { old: 'closed', new: 'active' } });
    expect(byType('incident.updated').changes).toEqual({
      title: { old: 'Checkout is failing', new: 'Card payments failing' },
      priority: { old: 'High', new: 'Medium' },
    });
    expect(byType('participant.role_assigned')).toMatchObject({
      changes: { commander_id: { old: 'U0COMMANDR', new: 'U0ENGINEER' } },
      data: { user_id: 'U0ENGINEER', role: 'commander', previous_commander_id: 'U0COMMANDR' },
    });
  });

  test('what the event is about: the report, the task, the follow-up, the engagement', () => {
    expect(byType('status_report.posted').data.status_report).toMatchObject({
      id: 3,
      conditions: expect.any(String),
      author_id: 'U0COMMANDR',
    });
    expect(byType('task.created').data.task).toMatchObject({ id: 7, status: 'open', assignee_ids: ['U0ENGINEER'] });
    expect(byType('task.resolved').data.task).toMatchObject({ id: 7, status: 'resolved', resolved_by: 'U0ENGINEER' });
    expect(byType('followup.created').data.followup).toMatchObject({ id: 1, owner_id: 'U0ENGINEER', due_on: '2026-12-05' });
    expect(byType('oncall.engaged').data).toEqual({
      service: 'payments',
      user_ids: ['U0ONCALL01'],
      paged: true,
      note: 'Gateway errors since 09:00',
    });
  });

  test('a status change is named by where it goes: closed, reopened, or a change between active and stable', () => {
    expect(statusEventType('active', 'stable')).toBe('incident.status_changed');
    expect(statusEventType('stable', 'active')).toBe('incident.status_changed');
    expect(statusEventType('active', 'closed')).toBe('incident.closed');
    expect(statusEventType('closed', 'active')).toBe('incident.reopened');
    expect(statusEventType('closed', 'stable')).toBe('incident.reopened');
  });

  test('docs/webhooks.md shows each event exactly as it is sent', () => {
    const docs = readFileSync(join(__dirname, '../../docs/webhooks.md'), 'utf8');
    const shown = [...docs.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => JSON.parse(match[1]) as { type?: string });
    for (const payload of examples) expect(shown.find((block) => block.type === payload.type)).toEqual(payload);
  });
});
