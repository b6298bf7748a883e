import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings, loadSettingsWithWarnings, SettingsError } from '../../config';
import { COMMAND_ALIASES } from '../../config/schema';

/**
 * Settings that used to be accepted without a word and then did nothing: each one is now
 * refused in the one settings message, or (where refusing would be wrong) warned about.
 */
const REQUIRED: Record<string, string> = {
  SLACK_APP_USER_SLUG: 'A0APPTEST1',
  SLACK_WORKSPACE_NAME: 'acme',
  SLACK_API_BOT_TOKEN: 'xoxb-1234-5678-abcdef',
  SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5',
};

function refusal(env: Record<string, string>): SettingsError {
  try {
    loadSettings({ ...REQUIRED, ...env });
  } catch (error) {
    if (error instanceof SettingsError) return error;
    throw error;
  }
  throw new Error(`expected the settings to be refused: ${JSON.stringify(env)}`);
}

const lines = (error: SettingsError) => error.problems.map(({ setting, problem }) => `${setting} ${problem}`);

describe('no setting silently does nothing', () => {
  let folder: string;
  let scheduleFile: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'dispatch-settings-'));
    scheduleFile = join(folder, 'oncall.yaml');
    writeFileSync(scheduleFile, 'services: []\n');
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  describe('on-call provider', () => {
    test('a schedule file alone selects the schedule provider', () => {
      expect(loadSettings({ ...REQUIRED, ONCALL_SCHEDULE_FILE: scheduleFile }).oncall.provider).toBe('schedule');
    });

    test('a schedule file alone that does not exist is refused at boot, not at /dispatch-engage-oncall', () => {
      const error = refusal({ ONCALL_SCHEDULE_FILE: join(folder, 'missing.yaml') });
      expect(lines(error)).toEqual(['ONCALL_SCHEDULE_FILE is not valid: the file does not exist']);
    });

    test('a PagerDuty token alone selects the PagerDuty provider', () => {
      expect(loadSettings({ ...REQUIRED, PAGERDUTY_API_TOKEN: 'pd-token' }).oncall.provider).toBe('pagerduty');
    });

    test('a schedule file and a PagerDuty token together are refused, naming both', () => {
      const error = refusal({ ONCALL_SCHEDULE_FILE: scheduleFile, PAGERDUTY_API_TOKEN: 'pd-token' });
      expect(error.message).toMatch(/ONCALL_SCHEDULE_FILE and PAGERDUTY_API_TOKEN are both set/);
      expect(error.message).toContain('ONCALL_PROVIDER');
      expect(error.message).not.toContain('pd-token');
    });

    test.each([
      [{ ONCALL_PROVIDER: 'none', ONCALL_SCHEDULE_FILE: 'x.yaml' }, 'ONCALL_SCHEDULE_FILE'],
      [{ ONCALL_PROVIDER: 'pagerduty', PAGERDUTY_API_TOKEN: 't', ONCALL_SCHEDULE_FILE: 'x.yaml' }, 'ONCALL_SCHEDULE_FILE'],
      [{ ONCALL_PROVIDER: 'none', PAGERDUTY_API_TOKEN: 't' }, 'PAGERDUTY_API_TOKEN'],
      [{ ONCALL_TIMEZONE: 'Europe/Berlin' }, 'ONCALL_TIMEZONE'],
      [{ PAGERDUTY_API_TOKEN: 't', ONCALL_TIMEZONE: 'Europe/Berlin' }, 'ONCALL_TIMEZONE'],
      [{ PAGERDUTY_API_URL: 'https://pd.example.com' }, 'PAGERDUTY_API_URL'],
    ])('%j: %s is refused as doing nothing', (env, setting) => {
      const error = refusal(env);
      expect(error.problems.map((problem) => problem.setting)).toEqual([setting]);
      expect(error.message).toMatch(new RegExp(`${setting} is set but does nothing: .*on-call provider is (none|pagerduty)`));
    });

    test('ONCALL_TIMEZONE with a schedule file is read', () => {
      const settings = loadSettings({ ...REQUIRED, ONCALL_SCHEDULE_FILE: scheduleFile, ONCALL_TIMEZONE: 'Europe/Berlin' });
      expect(settings.oncall).toMatchObject({ provider: 'schedule', timezone: 'Europe/Berlin' });
    });
  });

  test('SLACK_APP_TOKEN without Socket Mode is a warning (it may be kept for switching), not a refusal', () => {
    const { warnings } = loadSettingsWithWarnings({ ...REQUIRED, SLACK_APP_TOKEN: 'xapp-1-A0-secret' });
    expect(warnings).toEqual([
      { setting: 'SLACK_APP_TOKEN', problem: expect.stringMatching(/does nothing: SLACK_SOCKET_MODE is not true/) },
    ]);
    expect(JSON.stringify(warnings)).not.toContain('xapp-1-A0-secret');
    expect(loadSettingsWithWarnings({ ...REQUIRED, SLACK_APP_TOKEN: 'xapp-1', SLACK_SOCKET_MODE: 'true' }).warnings).toEqual([]);
  });

  test('an active SLACK_USER_ID_OVERRIDE is a warning naming the user everything goes to', () => {
    const { warnings } = loadSettingsWithWarnings({ ...REQUIRED, SLACK_USER_ID_OVERRIDE: 'U0DEV12345' });
    expect(warnings).toEqual([{ setting: 'SLACK_USER_ID_OVERRIDE', problem: expect.stringContaining('goes to U0DEV12345') }]);
    expect(loadSettingsWithWarnings(REQUIRED).warnings).toEqual([]);
  });

  describe('every command setting accepts both spellings', () => {
    test('all twelve (the eleven of Dispatch and the root command) have two spellings', () => {
      expect(Object.keys(COMMAND_ALIASES)).toHaveLength(12);
    });

    test.each([
      ['SLACK_COMMAND_MARK_ACTIVE', 'markActive'],
      ['SLACK_COMMAND_MARK_STABLE', 'markStable'],
      ['SLACK_COMMAND_MARK_CLOSED', 'markClosed'],
      ['SLACK_COMMAND_STATUS_REPORT', 'statusReport'],
      ['SLACK_COMMAND_LIST_TASKS', 'listTasks'],
      ['SLACK_COMMAND_LIST_PARTICIPANTS', 'listParticipants'],
      ['SLACK_COMMAND_REPORT_INCIDENT', 'reportIncident'],
      ['SLACK_COMMAND_DISPATCH', 'dispatch'],
    ] as const)('%s (without _SLUG) is read', (name, key) => {
      expect(loadSettings({ ...REQUIRED, [name]: '/custom' }).commands[key]).toBe('/custom');
      const error = refusal({ [name]: '/one', [`${name}_SLUG`]: '/two' });
      expect(error.message).toMatch(new RegExp(`${name}_SLUG and ${name} are both set, to different commands`));
      // An invalid value is reported under the name the admin wrote.
      expect(refusal({ [name]: 'no-slash' }).problems.map((problem) => problem.setting)).toEqual([name]);
    });
  });

  test('SLACK_RESTRICTED_COMMANDS naming a command the app does not serve is refused, with a suggestion', () => {
    const error = refusal({ SLACK_RESTRICTED_COMMANDS: '/dispatch-mark-closed,/dispatch-mark-closd' });
    expect(lines(error)).toEqual([
      expect.stringMatching(
        /^SLACK_RESTRICTED_COMMANDS is not valid: \/dispatch-mark-closd is not one of this app's commands \(did you mean \/dispatch-mark-closed\?\)/,
      ),
    ]);
    // A renamed command is served under its new slug, so restricting the new slug works.
    const settings = loadSettings({ ...REQUIRED, SLACK_COMMAND_MARK_CLOSED_SLUG: '/close', SLACK_RESTRICTED_COMMANDS: '/close' });
    expect(settings.slack.restrictedCommands).toEqual(['/close']);
    expect(refusal({ SLACK_COMMAND_MARK_CLOSED_SLUG: '/close', SLACK_RESTRICTED_COMMANDS: '/dispatch-mark-closed' }).problems).toHaveLength(
      1,
    );
  });

  test('SLACK_TIMELINE_EVENT_REACTION with colons is refused, naming the bare emoji', () => {
    const error = refusal({ SLACK_TIMELINE_EVENT_REACTION: ':stopwatch:' });
    expect(lines(error)).toEqual(['SLACK_TIMELINE_EVENT_REACTION is not valid: expected an emoji name without colons, e.g. stopwatch']);
    expect(loadSettings({ ...REQUIRED, SLACK_TIMELINE_EVENT_REACTION: 'hourglass_flowing_sand' }).slack.timelineReaction).toBe(
      'hourglass_flowing_sand',
    );
  });

  test.each([
    ['INCIDENT_CHANNEL_NAME_TEMPLATE', '{name}-{nmae}', /\{nmae\} is not a placeholder \(did you mean \{name\}\?\)/],
    ['INCIDENT_CONFERENCE_URL_TEMPLATE', 'https://meet.example.com/{nmae}', /\{nmae\} is not a placeholder \(did you mean \{name\}\?\)/],
    [
      'INCIDENT_TICKET_URL_TEMPLATE',
      'https://tickets.example.com/{priority}',
      /\{priority\} is not a placeholder; the placeholders are \{name\}, \{number\}, \{title\}/,
    ],
  ])('%s=%s (an unknown placeholder) is refused', (setting, value, expected) => {
    const error = refusal({ [setting]: value });
    expect(error.problems.map((problem) => problem.setting)).toEqual([setting]);
    expect(error.message).toMatch(expected);
  });

  test('a misspelled setting name with one of the app prefixes is refused with "did you mean"', () => {
    const error = refusal({ ONCALL_PROVIDR: 'schedule', SLACK_SIGNING_SECRT: 'x', INCIDENT_PRIORITES: 'High' });
    expect(lines(error).sort()).toEqual([
      'INCIDENT_PRIORITES is not a setting of Dispatch for Slack: did you mean INCIDENT_PRIORITIES?',
      'ONCALL_PROVIDR is not a setting of Dispatch for Slack: did you mean ONCALL_PROVIDER?',
      'SLACK_SIGNING_SECRT is not a setting of Dispatch for Slack: did you mean SLACK_SIGNING_SECRET?',
    ]);
  });

  test("an unknown name with no close match (another app's variable) is a warning, other prefixes are not looked at", () => {
    const { warnings } = loadSettingsWithWarnings({ ...REQUIRED, SLACK_BOT_TOKEN: 'xoxb-other', TEST_DATABASE_URL: 'x', HOME: '/root' });
    expect(warnings).toEqual([{ setting: 'SLACK_BOT_TOKEN', problem: 'is not a setting of Dispatch for Slack and does nothing' }]);
  });

  test('a setting an earlier version had still starts the app, with a warning that names what replaced it', () => {
    const { warnings } = loadSettingsWithWarnings({ ...REQUIRED, WORK_MAX_REQUESTS_IN_MEMORY: '200' });
    expect(warnings).toEqual([
      {
        setting: 'WORK_MAX_REQUESTS_IN_MEMORY',
        problem: expect.stringMatching(
          /^was removed and does nothing: .*WORK_MAX_REQUESTS_AFTER_ACK and WORK_MAX_REQUESTS_WAITING_AFTER_ACK/,
        ),
      },
    ]);
  });
});
