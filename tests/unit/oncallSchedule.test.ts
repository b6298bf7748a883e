import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnknownServiceError } from '../../oncall/provider';
import { loadSchedule, parseSchedule, ScheduleFileError, ScheduleProvider } from '../../oncall/schedule';

const FILE = '/etc/dispatch/oncall.yml';

function problemsOf(text: string): ScheduleFileError {
  try {
    parseSchedule(text, FILE, 'UTC');
  } catch (error) {
    if (error instanceof ScheduleFileError) return error;
    throw error;
  }
  throw new Error('the schedule was accepted');
}

describe('reading the schedule file', () => {
  test('reads services, users in order, rotations and hand-offs (with defaults)', () => {
    const schedule = parseSchedule(
      [
        'services:',
        '  - name: Payments API',
        '    users: [U0PAYONE, U0PAYTWO]',
        '    rotation: weekly',
        '    handoff: "friday 17:30"',
        '  - name: Search',
        '    users:',
        '      - search-oncall@example.com',
        '      - W0SEARCH02',
        '    rotation: daily',
        '  - name: Billing',
        '    users: [U0BILLING]',
        '    rotation: Weekly',
      ].join('\n'),
      FILE,
      'Europe/Berlin',
    );
    expect(schedule.timeZone).toBe('Europe/Berlin');
    expect(schedule.services).toEqual([
      {
        name: 'Payments API',
        users: ['U0PAYONE', 'U0PAYTWO'],
        rotation: 'weekly',
        handoff: { weekday: 5, minutes: 17 * 60 + 30 },
        line: 2,
      },
      {
        name: 'Search',
        users: ['search-oncall@example.com', 'W0SEARCH02'],
        rotation: 'daily',
        handoff: { weekday: null, minutes: 540 },
        line: 6,
      },
      { name: 'Billing', users: ['U0BILLING'], rotation: 'weekly', handoff: { weekday: 1, minutes: 540 }, line: 11 },
    ]);
  });

  test('every mistake is named with its line, in one message that names the file', () => {
    const error = problemsOf(
      [
        'services:', // 1
        '  - name: Payments API', // 2
        '    user: [U0PAYONE]', // 3: typo
        '    rotation: weekly', // 4
        '  - name: Search', // 5
        '    users: [U0SEARCH1, bob, ""]', // 6: not an id or an email
        '    rotation: fortnightly', // 7
        '  - name: Billing', // 8
        '    users: [U0BILLING]', // 9
        '    rotation: daily', // 10
        '    handoff: "monday 09:00"', // 11: a daily hand-off is a time
        '  - name: payments api', // 12: listed twice
        '    users: [U0PAYTWO]', // 13
        '    rotation: weekly', // 14
        '    handoff: "funday 09:00"', // 15
      ].join('\n'),
    );
    expect(error.problems).toEqual([
      { line: 3, problem: 'unknown field "user": a service has name, users, rotation, handoff' },
      { line: 2, problem: '"Payments API" needs users: a list of Slack user ids or emails, in rotation order' },
      { line: 6, problem: '"bob" in the users of "Search" is neither a Slack user id (U...) nor an email' },
      { line: 6, problem: '"" in the users of "Search" is neither a Slack user id (U...) nor an email' },
      { line: 7, problem: 'the rotation of "Search" must be daily or weekly (it is "fortnightly")' },
      { line: 11, problem: 'the hand-off of "Billing" is not valid: a daily hand-off is a time of day such as "09:00" (24-hour clock)' },
      { line: 12, problem: '"payments api" is listed twice (first on line 2)' },
      {
        line: 15,
        problem: 'the hand-off of "payments api" is not valid: "funday" is not a day of the week; write it as in "monday 09:00"',
      },
    ]);
    expect(error.message).toContain(`the on-call schedule ${FILE} (ONCALL_SCHEDULE_FILE) has 8 problems`);
    expect(error.message).toContain('  - line 7: the rotation of "Search" must be daily or weekly');
  });

  test('a YAML syntax error is reported at its line', () => {
    const error = problemsOf(['services:', '  - name: Payments API', '    users: [U0PAYONE', '    rotation: weekly'].join('\n'));
    expect(error.problems[0].line).toBeGreaterThanOrEqual(3);
    expect(error.problems[0].problem).toMatch(/^is not valid YAML: /);
    expect(error.message).toMatch(new RegExp(`${FILE}.*\\n  - line \\d+: is not valid YAML`));
  });

  test('a duplicated key is a YAML error at the second one', () => {
    const error = problemsOf(
      ['services:', '  - name: Payments API', '    name: Payments', '    users: [U0PAY]', '    rotation: daily'].join('\n'),
    );
    expect(error.problems).toEqual([{ line: 3, problem: 'is not valid YAML: Map keys must be unique' }]);
  });

  test.each([
    ['an empty file', '', null],
    ['a file without services', 'teams:\n  - name: Payments\n', 1],
    ['a list instead of a mapping', '- name: Payments\n', 1],
  ])('%s is refused', (_name, text, line) => {
    const error = problemsOf(text);
    expect(error.problems).toEqual([{ line, problem: 'expected a list of services under "services:" (see docs/oncall.md)' }]);
  });

  test('services must list at least one service, and only "services" is read at the top', () => {
    expect(problemsOf('services: []\nrotation: daily\n').problems).toEqual([
      { line: 2, problem: 'unknown setting "rotation": only "services" is read' },
      { line: 1, problem: '"services" must be a list with at least one service ("- name: ...")' },
    ]);
  });

  test('a missing rotation or name is named', () => {
    expect(problemsOf('services:\n  - users: [U0ONE]\n  - name: Search\n    users: [U0TWO]\n').problems).toEqual([
      { line: 2, problem: 'a service needs a name' },
      { line: 2, problem: 'this service needs a rotation: daily or weekly' },
      { line: 3, problem: '"Search" needs a rotation: daily or weekly' },
    ]);
  });

  test('loadSchedule names a file that cannot be read', () => {
    expect(() => loadSchedule('/nonexistent/oncall.yml', 'UTC')).toThrow(
      /the on-call schedule \/nonexistent\/oncall.yml \(ONCALL_SCHEDULE_FILE\) has a problem\.\n {2}- cannot be read: the file does not exist/,
    );
  });

  test('loadSchedule reads the file from disk', () => {
    const directory = mkdtempSync(join(tmpdir(), 'dispatch-schedule-'));
    const file = join(directory, 'oncall.yml');
    writeFileSync(file, 'services:\n  - name: Payments API\n    users: [U0PAYONE]\n    rotation: daily\n');
    expect(loadSchedule(file, 'UTC').services.map((service) => service.name)).toEqual(['Payments API']);
    writeFileSync(file, 'services:\n  - name: Payments API\n    users: [U0PAYONE]\n    rotation: hourly\n');
    expect(() => loadSchedule(file, 'UTC')).toThrow(
      `${file} (ONCALL_SCHEDULE_FILE) has a problem.\n  - line 4: the rotation of "Payments API"`,
    );
  });
});

describe('the schedule provider', () => {
  const provider = new ScheduleProvider(
    parseSchedule(
      [
        'services:',
        '  - name: Payments API',
        '    users: [U0PAYONE, payments-two@example.com]',
        '    rotation: daily',
        '    handoff: "09:00"',
      ].join('\n'),
      FILE,
      'UTC',
    ),
  );

  test('lists its services and finds them by name, in any case', async () => {
    expect(await provider.listServices()).toEqual([{ id: 'Payments API', name: 'Payments API' }]);
    expect(await provider.findService('payments api')).toEqual({ id: 'Payments API', name: 'Payments API' });
    expect(await provider.findService('Search')).toBeUndefined();
    expect(provider.canPage).toBe(false);
  });

  test('names the person on call by Slack id or by email, following the rotation', async () => {
    expect(await provider.whoIsOnCall('Payments API', new Date('2024-01-01T09:00:00Z'))).toEqual([
      { label: 'U0PAYONE', slackUserId: 'U0PAYONE' },
    ]);
    expect(await provider.whoIsOnCall('Payments API', new Date('2024-01-02T09:00:00Z'))).toEqual([
      { label: 'payments-two@example.com', email: 'payments-two@example.com' },
    ]);
  });

  test('an unknown service is refused', async () => {
    await expect(provider.whoIsOnCall('Search', new Date())).rejects.toThrow(UnknownServiceError);
    await expect(provider.whoIsOnCall('Search', new Date())).rejects.toThrow('The on-call schedule has no service "Search" (any more).');
  });
});
