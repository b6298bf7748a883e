import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSettings, type Settings, SettingsError, settingNames } from '../../config';
import { COMMAND_ALIASES } from '../../config/schema';

/** The four settings without defaults, valid. */
const REQUIRED: Record<string, string> = {
  SLACK_APP_USER_SLUG: 'A0APPTEST1',
  SLACK_WORKSPACE_NAME: 'acme',
  SLACK_API_BOT_TOKEN: 'xoxb-1234-5678-abcdef',
  SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5',
};

function load(env: Record<string, string | undefined> = {}): Settings {
  return loadSettings({ ...REQUIRED, ...env });
}

/** The SettingsError loading `env` throws (fails the test when it loads). */
function refusal(env: Record<string, string | undefined>, withRequired = true): SettingsError {
  try {
    loadSettings(withRequired ? { ...REQUIRED, ...env } : env);
  } catch (error) {
    if (error instanceof SettingsError) return error;
    throw error;
  }
  throw new Error(`expected the settings to be refused: ${JSON.stringify(env)}`);
}

/** The settings a refusal names, in its problems. */
const namedSettings = (error: SettingsError) => error.problems.map((problem) => problem.setting);

describe('loadSettings', () => {
  test('with no settings, one SettingsError names the four required settings in one message', () => {
    const error = refusal({}, false);
    expect(error).toBeInstanceOf(SettingsError);
    expect(namedSettings(error).sort()).toEqual([
      'SLACK_API_BOT_TOKEN',
      'SLACK_APP_USER_SLUG',
      'SLACK_SIGNING_SECRET',
      'SLACK_WORKSPACE_NAME',
    ]);
    for (const name of ['SLACK_APP_USER_SLUG', 'SLACK_WORKSPACE_NAME', 'SLACK_API_BOT_TOKEN', 'SLACK_SIGNING_SECRET']) {
      expect(error.message).toContain(name);
    }
    expect(error.message).toMatch(/^Dispatch for Slack cannot start: 4 settings need attention\./);
    // Each line says what is expected, so an admin can act on it.
    expect(error.message).toMatch(/SLACK_API_BOT_TOKEN is missing: .*xoxb-/);
    expect(error.message).toMatch(/SLACK_SIGNING_SECRET is missing: .*Signing Secret/);
  });

  test('the four required settings are enough', () => {
    const settings = load();
    expect(settings.slack.appUserSlug).toBe('A0APPTEST1');
    expect(settings.slack.workspaceName).toBe('acme');
    expect(settings.slack.botToken).toBe(REQUIRED.SLACK_API_BOT_TOKEN);
    expect(settings.slack.signingSecret).toBe(REQUIRED.SLACK_SIGNING_SECRET);
    expect(Object.isFrozen(settings)).toBe(true);
  });

  test("defaults are exactly DESIGN.md's table", () => {
    const settings = load();
    expect(settings.slack.userIdOverride).toBeNull();
    expect(settings.commands).toEqual({
      dispatch: '/dispatch',
      markActive: '/dispatch-mark-active',
      markStable: '/dispatch-mark-stable',
      markClosed: '/dispatch-mark-closed',
      statusReport: '/dispatch-status-report',
      listTasks: '/dispatch-list-tasks',
      listParticipants: '/dispatch-list-participants',
      assignRole: '/dispatch-assign-role',
      editIncident: '/dispatch-edit-incident',
      engageOncall: '/dispatch-engage-oncall',
      listResources: '/dispatch-list-resources',
      reportIncident: '/dispatch-report-incident',
    });
    expect(settings.slack.apiUrl).toBe('https://slack.com/api/');
    expect(settings.slack.socketMode).toBe(false);
    expect(settings.slack.appToken).toBeNull();
    expect(settings.server.port).toBe(3000);
    expect(settings.database.url).toBe('sqlite:data/dispatch.db');
    expect(settings.log).toEqual({ level: 'info', format: 'json' });
    expect(settings.incident.priorities).toEqual(['Info', 'Low', 'Medium', 'High']);
  });

  test("every command setting is read under Dispatch's name", () => {
    const names = settingNames();
    for (const name of [
      'SLACK_COMMAND_MARK_ACTIVE_SLUG',
      'SLACK_COMMAND_MARK_STABLE_SLUG',
      'SLACK_COMMAND_MARK_CLOSED_SLUG',
      'SLACK_COMMAND_STATUS_REPORT_SLUG',
      'SLACK_COMMAND_LIST_TASKS_SLUG',
      'SLACK_COMMAND_LIST_PARTICIPANTS_SLUG',
      'SLACK_COMMAND_ASSIGN_ROLE',
      'SLACK_COMMAND_EDIT_INCIDENT',
      'SLACK_COMMAND_ENGAGE_ONCALL',
      'SLACK_COMMAND_LIST_RESOURCES',
      'SLACK_COMMAND_REPORT_INCIDENT_SLUG',
      'SLACK_COMMAND_ASSIGN_ROLE_SLUG',
    ]) {
      expect(names).toContain(name);
    }
    expect(load({ SLACK_COMMAND_MARK_STABLE_SLUG: '/stable' }).commands.markStable).toBe('/stable');
    expect(load({ SLACK_COMMAND_LIST_RESOURCES: '/resources' }).commands.listResources).toBe('/resources');
  });

  test('README.md documents every setting the schema reads, alias spellings included', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const names = settingNames();
    expect(names.length).toBeGreaterThan(40);
    expect(names.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });

  describe('slash command slugs are validated like Slack validates a command', () => {
    test('SLACK_COMMAND_MARK_STABLE_SLUG=mark-stable is refused, naming that setting', () => {
      const error = refusal({ SLACK_COMMAND_MARK_STABLE_SLUG: 'mark-stable' });
      expect(namedSettings(error)).toEqual(['SLACK_COMMAND_MARK_STABLE_SLUG']);
      expect(error.message).toContain('SLACK_COMMAND_MARK_STABLE_SLUG is not valid');
      expect(error.message).toContain('leading "/"');
    });

    test.each([
      ['no leading slash', 'dispatch-mark-stable'],
      ['uppercase letters', '/Dispatch-Mark-Stable'],
      ['a space', '/dispatch mark-stable'],
      ['33 characters', `/${'a'.repeat(32)}`],
      ['only a slash', '/'],
      ['empty', ''],
    ])('%s is refused', (_rule, slug) => {
      expect(namedSettings(refusal({ SLACK_COMMAND_MARK_CLOSED_SLUG: slug }))).toEqual(['SLACK_COMMAND_MARK_CLOSED_SLUG']);
    });

    test('32 characters, digits, "-", "_" and "." are fine', () => {
      const longest = `/${'a'.repeat(31)}`;
      expect(longest).toHaveLength(32);
      expect(load({ SLACK_COMMAND_MARK_CLOSED_SLUG: longest }).commands.markClosed).toBe(longest);
      expect(load({ SLACK_COMMAND_MARK_CLOSED_SLUG: '/inc_2.close-now' }).commands.markClosed).toBe('/inc_2.close-now');
    });

    test('two commands set to the same slug are refused', () => {
      const error = refusal({ SLACK_COMMAND_MARK_CLOSED_SLUG: '/dispatch-mark-stable' });
      expect(error.message).toMatch(/\/dispatch-mark-stable is already used by SLACK_COMMAND_MARK_STABLE_SLUG/);
    });
  });

  describe("Dispatch's four command settings without _SLUG", () => {
    test.each(Object.entries(COMMAND_ALIASES))('%s and %s: either spelling works', (documented, suffixed) => {
      const viaDocumented = load({ [documented]: '/via-documented' });
      const viaSuffixed = load({ [suffixed]: '/via-suffixed' });
      const documentedValues = Object.values(viaDocumented.commands);
      const suffixedValues = Object.values(viaSuffixed.commands);
      expect(documentedValues).toContain('/via-documented');
      expect(suffixedValues).toContain('/via-suffixed');
      // Both spellings land on the same setting.
      const key = Object.entries(viaDocumented.commands).find(([, slug]) => slug === '/via-documented')?.[0];
      expect(key).toBeDefined();
      expect(viaSuffixed.commands[key as keyof Settings['commands']]).toBe('/via-suffixed');
    });

    test.each(Object.entries(COMMAND_ALIASES))('%s and %s set to the same value is fine', (documented, suffixed) => {
      const settings = load({ [documented]: '/same-command', [suffixed]: '/same-command' });
      expect(Object.values(settings.commands)).toContain('/same-command');
    });

    test.each(Object.entries(COMMAND_ALIASES))('%s and %s set to different values is refused, naming both', (documented, suffixed) => {
      const error = refusal({ [documented]: '/one-command', [suffixed]: '/other-command' });
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0].problem).toContain(suffixed);
      expect(error.message).toContain(documented);
      expect(error.message).toContain(suffixed);
      expect(error.message).toContain('different');
    });

    test('SLACK_COMMAND_ASSIGN_ROLE maps to the assign-role command specifically', () => {
      expect(load({ SLACK_COMMAND_ASSIGN_ROLE_SLUG: '/role' }).commands.assignRole).toBe('/role');
      expect(load({ SLACK_COMMAND_EDIT_INCIDENT_SLUG: '/edit' }).commands.editIncident).toBe('/edit');
      expect(load({ SLACK_COMMAND_ENGAGE_ONCALL_SLUG: '/oncall' }).commands.engageOncall).toBe('/oncall');
      expect(load({ SLACK_COMMAND_LIST_RESOURCES_SLUG: '/res' }).commands.listResources).toBe('/res');
    });

    test('a bad value in the _SLUG spelling is reported under the name that was set', () => {
      const error = refusal({ SLACK_COMMAND_ASSIGN_ROLE_SLUG: 'assign-role' });
      expect(namedSettings(error)).toEqual(['SLACK_COMMAND_ASSIGN_ROLE_SLUG']);
    });
  });

  describe('tokens', () => {
    test('SLACK_API_BOT_TOKEN must start with xoxb-', () => {
      for (const token of ['xoxp-1234-5678', 'xapp-1-A0-123', 'abcdef', 'xoxb-']) {
        expect(namedSettings(refusal({ SLACK_API_BOT_TOKEN: token }))).toEqual(['SLACK_API_BOT_TOKEN']);
      }
    });

    test('SLACK_APP_TOKEN must start with xapp-', () => {
      const error = refusal({ SLACK_APP_TOKEN: 'xoxb-not-an-app-token' });
      expect(namedSettings(error)).toEqual(['SLACK_APP_TOKEN']);
      expect(error.message).toContain('xapp-');
      expect(load({ SLACK_APP_TOKEN: 'xapp-1-A0APPTEST1-123-abc' }).slack.appToken).toBe('xapp-1-A0APPTEST1-123-abc');
    });

    test('SLACK_APP_TOKEN is required when SLACK_SOCKET_MODE is true', () => {
      const error = refusal({ SLACK_SOCKET_MODE: 'true' });
      expect(namedSettings(error)).toEqual(['SLACK_APP_TOKEN']);
      expect(error.message).toMatch(/SLACK_APP_TOKEN is missing: SLACK_SOCKET_MODE is true/);
      const settings = load({ SLACK_SOCKET_MODE: 'true', SLACK_APP_TOKEN: 'xapp-1-A0APPTEST1-1-ab' });
      expect(settings.slack.socketMode).toBe(true);
      expect(load({ SLACK_SOCKET_MODE: 'false' }).slack.socketMode).toBe(false);
    });

    test('SLACK_SOCKET_MODE must be a boolean', () => {
      expect(namedSettings(refusal({ SLACK_SOCKET_MODE: 'maybe' }))).toEqual(['SLACK_SOCKET_MODE']);
    });
  });

  test('a secret value never appears in the error message', () => {
    const secrets = {
      SLACK_API_BOT_TOKEN: 'xoxp-supersecret123',
      SLACK_APP_TOKEN: 'xoxb-supersecret456',
      SLACK_SIGNING_SECRET: 'has spaces supersecret789',
      PAGERDUTY_API_TOKEN: '',
    };
    const error = refusal({ ...secrets, ONCALL_PROVIDER: 'pagerduty' });
    expect(namedSettings(error).sort()).toEqual(['PAGERDUTY_API_TOKEN', 'SLACK_API_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET']);
    for (const value of ['supersecret123', 'supersecret456', 'supersecret789']) {
      expect(error.message).not.toContain(value);
      expect(JSON.stringify(error.problems)).not.toContain(value);
    }
    // No value is echoed for anything else either.
    const other = refusal({ SLACK_WORKSPACE_NAME: 'not a workspace!', PORT: 'port-of-call' });
    expect(other.message).not.toContain('not a workspace!');
    expect(other.message).not.toContain('port-of-call');
    expect(namedSettings(other).sort()).toEqual(['PORT', 'SLACK_WORKSPACE_NAME']);
  });

  test('every problem is reported at once', () => {
    const error = refusal({
      SLACK_API_BOT_TOKEN: 'nope',
      DATABASE_URL: 'mysql://db',
      LOG_LEVEL: 'chatty',
      SLACK_COMMAND_MARK_ACTIVE_SLUG: 'Mark Active',
    });
    expect(namedSettings(error).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'SLACK_API_BOT_TOKEN', 'SLACK_COMMAND_MARK_ACTIVE_SLUG']);
    expect(error.message).toMatch(/^Dispatch for Slack cannot start: 4 settings need attention\./);
    expect(error.message.split('\n').filter((line) => line.startsWith('  - '))).toHaveLength(4);
  });

  describe('DATABASE_URL', () => {
    test.each([
      'sqlite:data/dispatch.db',
      'sqlite:/var/lib/dispatch/x.db',
      'sqlite::memory:',
      'postgres://u@db:5432/dispatch',
      'postgresql://db/dispatch',
    ])('%s is accepted', (url) => {
      expect(load({ DATABASE_URL: url }).database.url).toBe(url);
    });

    test.each(['mysql://db/dispatch', 'data/dispatch.db', 'sqlite:', 'postgres://', 'http://db'])('%s is refused', (url) => {
      const error = refusal({ DATABASE_URL: url });
      expect(namedSettings(error)).toEqual(['DATABASE_URL']);
      expect(error.message).toContain('sqlite:PATH');
    });
  });

  describe('other settings', () => {
    test('durations read 90s, 15m, 2h, 1d, 500ms and refuse anything else', () => {
      expect(load({ SLACK_USER_CACHE_TTL: '90s' }).slack.userCacheTtlMs).toBe(90_000);
      expect(load({ SLACK_USER_CACHE_TTL: '15m' }).slack.userCacheTtlMs).toBe(900_000);
      expect(load({ SLACK_USER_CACHE_TTL: '2h' }).slack.userCacheTtlMs).toBe(7_200_000);
      expect(load({ STATUS_REPORT_REMINDER_CHECK_INTERVAL: '1d' }).incident.reminderCheckIntervalMs).toBe(86_400_000);
      expect(load({ STATUS_REPORT_REMINDER_CHECK_INTERVAL: '500ms' }).incident.reminderCheckIntervalMs).toBe(500);
      for (const bad of ['soon', '10', '0s', '-5m', '1w']) {
        expect(namedSettings(refusal({ SLACK_USER_CACHE_TTL: bad }))).toEqual(['SLACK_USER_CACHE_TTL']);
      }
    });

    test('channel lists are comma separated channel ids, blanks trimmed', () => {
      expect(load({ SLACK_INCIDENT_NOTIFICATION_CHANNELS: ' C0INCIDENTS , G0PRIVATE1,' }).slack.notificationChannels).toEqual([
        'C0INCIDENTS',
        'G0PRIVATE1',
      ]);
      expect(load().slack.notificationChannels).toEqual([]);
      const error = refusal({ SLACK_INCIDENT_NOTIFICATION_CHANNELS: 'C0INCIDENTS,#general' });
      expect(namedSettings(error)).toEqual(['SLACK_INCIDENT_NOTIFICATION_CHANNELS']);
    });

    test('restricted commands must be slash commands', () => {
      expect(load({ SLACK_RESTRICTED_COMMANDS: '/dispatch-mark-closed, /dispatch-assign-role' }).slack.restrictedCommands).toEqual([
        '/dispatch-mark-closed',
        '/dispatch-assign-role',
      ]);
      expect(namedSettings(refusal({ SLACK_RESTRICTED_COMMANDS: 'mark-closed' }))).toEqual(['SLACK_RESTRICTED_COMMANDS']);
    });

    test('reminder intervals are read per priority and must cover INCIDENT_PRIORITIES exactly', () => {
      const settings = load({
        INCIDENT_PRIORITIES: 'P3,P2,P1',
        INCIDENT_DEFAULT_PRIORITY: 'P3',
        STATUS_REPORT_REMINDER_INTERVALS: 'P1=30m, P2=2h, P3=1d',
      });
      expect(settings.incident.reportReminderIntervals).toEqual({ P1: 1_800_000, P2: 7_200_000, P3: 86_400_000 });

      // New priorities with the default intervals: none of them has an interval.
      const missing = refusal({ INCIDENT_PRIORITIES: 'P3,P2,P1', INCIDENT_DEFAULT_PRIORITY: 'P3' });
      expect(namedSettings(missing)).toEqual(['STATUS_REPORT_REMINDER_INTERVALS']);
      expect(missing.message).toContain('no interval for P3, P2, P1');

      const unknown = refusal({ STATUS_REPORT_REMINDER_INTERVALS: 'High=2h,Medium=6h,Low=12h,Info=1d,Sev0=5m' });
      expect(unknown.message).toContain('Sev0 is not in INCIDENT_PRIORITIES');

      expect(namedSettings(refusal({ STATUS_REPORT_REMINDER_INTERVALS: 'High=soon' }))).toContain('STATUS_REPORT_REMINDER_INTERVALS');
    });

    test('the default priority must be one of the priorities', () => {
      const error = refusal({ INCIDENT_DEFAULT_PRIORITY: 'Critical' });
      expect(namedSettings(error)).toEqual(['INCIDENT_DEFAULT_PRIORITY']);
      expect(error.message).toContain('Info, Low, Medium, High');
    });

    test('SLACK_API_URL gets a trailing slash and must be http(s)', () => {
      expect(load({ SLACK_API_URL: 'http://127.0.0.1:4000/api' }).slack.apiUrl).toBe('http://127.0.0.1:4000/api/');
      expect(namedSettings(refusal({ SLACK_API_URL: 'ftp://slack' }))).toEqual(['SLACK_API_URL']);
    });

    test('PORT, LOG_LEVEL and LOG_FORMAT', () => {
      const settings = load({ PORT: '8080', LOG_LEVEL: 'debug', LOG_FORMAT: 'pretty' });
      expect(settings.server.port).toBe(8080);
      expect(settings.log).toEqual({ level: 'debug', format: 'pretty' });
      expect(namedSettings(refusal({ LOG_FORMAT: 'xml' }))).toEqual(['LOG_FORMAT']);
      expect(namedSettings(refusal({ PORT: '70000' }))).toEqual(['PORT']);
    });

    test('SLACK_USER_ID_OVERRIDE must look like a user id', () => {
      expect(load({ SLACK_USER_ID_OVERRIDE: 'U0DEVELOPER' }).slack.userIdOverride).toBe('U0DEVELOPER');
      expect(namedSettings(refusal({ SLACK_USER_ID_OVERRIDE: 'alice' }))).toEqual(['SLACK_USER_ID_OVERRIDE']);
    });

    test('SLACK_APP_USER_SLUG and SLACK_WORKSPACE_NAME have their shapes', () => {
      expect(namedSettings(refusal({ SLACK_APP_USER_SLUG: 'U0NOTANAPP' }))).toEqual(['SLACK_APP_USER_SLUG']);
      expect(namedSettings(refusal({ SLACK_WORKSPACE_NAME: 'https://acme.slack.com' }))).toEqual(['SLACK_WORKSPACE_NAME']);
    });

    test('URL templates accept {name}, {number} and {title} in an http(s) URL', () => {
      expect(load({ INCIDENT_CONFERENCE_URL_TEMPLATE: 'https://meet.example.com/{name}' }).incident.conferenceUrlTemplate).toBe(
        'https://meet.example.com/{name}',
      );
      expect(namedSettings(refusal({ INCIDENT_DOCUMENT_URL_TEMPLATE: 'docs/{name}' }))).toEqual(['INCIDENT_DOCUMENT_URL_TEMPLATE']);
    });

    test('on-call provider settings are cross-checked', () => {
      expect(namedSettings(refusal({ ONCALL_PROVIDER: 'schedule' }))).toEqual(['ONCALL_SCHEDULE_FILE']);
      expect(namedSettings(refusal({ ONCALL_PROVIDER: 'schedule', ONCALL_SCHEDULE_FILE: '/nonexistent/schedule.yml' }))).toEqual([
        'ONCALL_SCHEDULE_FILE',
      ]);
      expect(namedSettings(refusal({ ONCALL_PROVIDER: 'opsgenie' }))).toEqual(['ONCALL_PROVIDER']);
      expect(namedSettings(refusal({ ONCALL_TIMEZONE: 'Mars/Olympus' }))).toEqual(['ONCALL_TIMEZONE']);
    });
  });
});
