import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import YAML from 'yaml';
import { loadSettings, type Settings } from '../../config';
import { COMMAND_LISTENERS, register as registerCommands } from '../../listeners/commands';
import { EVENT_LISTENERS } from '../../listeners/events';
import {
  buildManifest,
  DISPATCH_BOT_SCOPES,
  DISPATCH_USER_SCOPES,
  PLACEHOLDER_HOST,
  renderManifestYaml,
  type SlackManifest,
} from '../../listeners/manifest';
import { SHORTCUT_LISTENERS } from '../../listeners/shortcuts';
import type { ListenerDependencies, ListenerRoutes } from '../../listeners/types';
import { manifestText, parseArguments } from '../../scripts/manifest';
import { SLACK_FIXTURES_DIR } from '../support/payloads';

const ROOT = join(__dirname, '../..');
const MANIFEST_FILE = join(ROOT, 'manifest.yml');
const REGENERATE = 'manifest.yml is out of date: run `npm run --silent manifest -- --defaults > manifest.yml` and commit it';

const REQUIRED = {
  SLACK_APP_USER_SLUG: 'A0APPTEST1',
  SLACK_WORKSPACE_NAME: 'acme',
  SLACK_API_BOT_TOKEN: 'xoxb-test-token',
  SLACK_SIGNING_SECRET: 'test-signing-secret-0123456789abcdef',
};
const settingsWith = (env: Record<string, string> = {}): Settings => loadSettings({ ...REQUIRED, ...env });
const defaults = settingsWith();

const schema = JSON.parse(readFileSync(join(SLACK_FIXTURES_DIR, 'manifest.schema.1.0.0.json'), 'utf8')) as object;
const ajv = new Ajv({ strict: false, allErrors: true });
// The schema's one format (for its own $schema key); ajv-formats is not a dependency.
ajv.addFormat('uri', (value: string) => URL.canParse(value));
const validate = ajv.compile(schema);

function schemaErrors(manifest: unknown): string[] {
  return validate(manifest) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`);
}

const fileText = readFileSync(MANIFEST_FILE, 'utf8');
const fromFile = YAML.parse(fileText) as SlackManifest;

/** The slugs the commands registry really registers with Bolt, for these settings. */
function registeredSlugs(settings: Settings): string[] {
  const slugs: string[] = [];
  // Only app.command and deps.settings are used by registration.
  const recorder = { command: (slug: string) => slugs.push(slug) } as unknown as ListenerRoutes;
  registerCommands(recorder, { settings } as ListenerDependencies);
  return slugs;
}

/** DESIGN.md's settings table (shared/DESIGN.md, "Configuration"): SLACK_COMMAND_* setting -> default slug. */
function designCommandDefaults(): Map<string, string> {
  return new Map([
    ['SLACK_COMMAND_MARK_ACTIVE_SLUG', '/dispatch-mark-active'],
    ['SLACK_COMMAND_MARK_STABLE_SLUG', '/dispatch-mark-stable'],
    ['SLACK_COMMAND_MARK_CLOSED_SLUG', '/dispatch-mark-closed'],
    ['SLACK_COMMAND_STATUS_REPORT_SLUG', '/dispatch-status-report'],
    ['SLACK_COMMAND_LIST_TASKS_SLUG', '/dispatch-list-tasks'],
    ['SLACK_COMMAND_LIST_PARTICIPANTS_SLUG', '/dispatch-list-participants'],
    ['SLACK_COMMAND_ASSIGN_ROLE', '/dispatch-assign-role'],
    ['SLACK_COMMAND_EDIT_INCIDENT', '/dispatch-edit-incident'],
    ['SLACK_COMMAND_ENGAGE_ONCALL', '/dispatch-engage-oncall'],
    ['SLACK_COMMAND_LIST_RESOURCES', '/dispatch-list-resources'],
    ['SLACK_COMMAND_REPORT_INCIDENT_SLUG', '/dispatch-report-incident'],
    ['SLACK_COMMAND_DISPATCH_SLUG', '/dispatch'],
  ]);
}

describe('manifest.yml', () => {
  test("validates against Slack's manifest schema (names, descriptions and hints within Slack's limits)", () => {
    expect(schemaErrors(fromFile)).toEqual([]);
  });

  test('is exactly what the code builds for the default settings, header included', () => {
    const expected = renderManifestYaml(buildManifest(defaults));
    if (fileText !== expected) {
      // Show the difference as data, and say how to fix it.
      expect({ fix: REGENERATE, manifest: fromFile }).toEqual({ fix: REGENERATE, manifest: buildManifest(defaults) });
      throw new Error(`${REGENERATE} (only the comment header differs)`);
    }
    expect(fromFile).toEqual(buildManifest(defaults));
  });

  test('starts with a comment telling an admin how to use it', () => {
    const header = fileText.split('\n').filter((line) => line.startsWith('#'));
    expect(header.length).toBeGreaterThan(3);
    const text = header.join('\n');
    expect(text).toContain('https://api.slack.com/apps');
    expect(text).toContain('From an app manifest');
    expect(text).toContain('YOUR-HOST');
    expect(text).toContain('npm run --silent manifest -- --host');
    expect(fileText.startsWith('#')).toBe(true);
  });

  test('has the slash commands the app registers, and no others', () => {
    const inManifest = fromFile.features.slash_commands.map((command) => command.command).sort();
    expect(inManifest).toEqual(registeredSlugs(defaults).sort());
    expect(inManifest).toEqual(COMMAND_LISTENERS.map((listener) => defaults.commands[listener.setting]).sort());
    expect(new Set(inManifest).size).toBe(inManifest.length);
    // When the registries are empty nothing above says much; they must not be.
    expect(inManifest.length).toBeGreaterThan(0);
  });

  test("uses DESIGN.md's default slug for every command it implements, and only those", () => {
    const designDefaults = designCommandDefaults();
    expect(designDefaults.size).toBe(12);
    const implemented = new Set(registeredSlugs(defaults));
    const designSlugs = new Set(designDefaults.values());
    const inManifest = new Set(fromFile.features.slash_commands.map((command) => command.command));
    expect([...inManifest].filter((slug) => !designSlugs.has(slug))).toEqual([]);
    expect([...designSlugs].filter((slug) => implemented.has(slug)).sort()).toEqual([...inManifest].sort());
  });

  test("every command points at Dispatch's command path and says what it does", () => {
    for (const command of fromFile.features.slash_commands) {
      expect(command).toMatchObject({ url: `${PLACEHOLDER_HOST}/api/v1/events/slack/command`, should_escape: false });
      expect(command.description.length).toBeGreaterThan(10);
      const listener = COMMAND_LISTENERS.find((candidate) => defaults.commands[candidate.setting] === command.command);
      expect(command.description).toBe(listener?.description);
      if (listener?.usageHint) expect(command.usage_hint).toBe(listener.usageHint);
      else expect(command).not.toHaveProperty('usage_hint');
    }
  });

  test('has every message shortcut the app registers', () => {
    expect(fromFile.features.shortcuts).toEqual(
      SHORTCUT_LISTENERS.map((listener) => ({
        name: listener.name,
        type: 'message',
        callback_id: listener.callbackId,
        description: listener.description,
      })),
    );
  });

  test('subscribes to the bot events the listeners need, once each, sorted, at the event path', () => {
    const expected = [...new Set(EVENT_LISTENERS.flatMap((listener) => listener.subscriptions))].sort();
    expect(fromFile.settings.event_subscriptions).toEqual({
      request_url: `${PLACEHOLDER_HOST}/api/v1/events/slack/event`,
      bot_events: expected,
    });
    expect(expected.length).toBeGreaterThan(0);
  });

  test("has App Home, the bot user, interactivity at Dispatch's action and menu paths, and HTTP delivery", () => {
    expect(fromFile.display_information.name).toBe('Dispatch');
    expect(fromFile.features.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
    expect(fromFile.features.bot_user).toEqual({ display_name: 'dispatch', always_online: true });
    expect(fromFile.settings.interactivity).toEqual({
      is_enabled: true,
      request_url: `${PLACEHOLDER_HOST}/api/v1/events/slack/action`,
      message_menu_options_url: `${PLACEHOLDER_HOST}/api/v1/events/slack/menu`,
    });
    expect(fromFile.settings).toMatchObject({ org_deploy_enabled: false, socket_mode_enabled: false, token_rotation_enabled: false });
  });

  describe('scopes', () => {
    // Dispatch's "Configuring Slack" page, as issue 2 lists it.
    const dispatchBot =
      'channels:read chat:write commands files:read groups:history groups:read groups:write im:history im:read im:write mpim:history mpim:read mpim:write pins:write reactions:read reactions:write reminders:write remote_files:read team:read users:read users:read.email users:write'.split(
        ' ',
      );
    const dispatchUser = ['channels:read', 'groups:history', 'groups:read'];

    test("every bot and user scope on Dispatch's page is there", () => {
      expect(fromFile.oauth_config.scopes.bot).toEqual(expect.arrayContaining(dispatchBot));
      expect(fromFile.oauth_config.scopes.user).toEqual(dispatchUser);
      expect([...DISPATCH_BOT_SCOPES]).toEqual(dispatchBot);
      expect([...DISPATCH_USER_SCOPES]).toEqual(dispatchUser);
    });

    test('plus what the features need beyond them, each once', () => {
      const bot = fromFile.oauth_config.scopes.bot;
      expect(bot).toEqual(expect.arrayContaining(['channels:history', 'bookmarks:write']));
      expect(new Set(bot).size).toBe(bot.length);
    });

    test('each subscribed bot event has the scope Slack requires for it', () => {
      // https://docs.slack.dev/reference/events: the scope each event needs.
      const scopeFor: Record<string, string[]> = {
        'message.channels': ['channels:history'],
        'message.groups': ['groups:history'],
        'message.im': ['im:history'],
        'message.mpim': ['mpim:history'],
        member_joined_channel: ['channels:read', 'groups:read'],
        member_left_channel: ['channels:read', 'groups:read'],
        reaction_added: ['reactions:read'],
        reaction_removed: ['reactions:read'],
        pin_added: ['pins:read'],
        channel_archive: ['channels:read'],
        group_archive: ['groups:read'],
      };
      const bot = new Set(fromFile.oauth_config.scopes.bot);
      const missing = fromFile.settings.event_subscriptions.bot_events.flatMap((event) =>
        (scopeFor[event] ?? []).filter((scope) => !bot.has(scope)).map((scope) => `${event} needs ${scope}`),
      );
      expect(missing).toEqual([]);
    });

    test('channels:manage only when open incidents get public channels', () => {
      expect(fromFile.oauth_config.scopes.bot).not.toContain('channels:manage');
      const publicChannels = buildManifest(settingsWith({ INCIDENT_OPEN_CHANNELS_PUBLIC: 'true' }));
      expect(publicChannels.oauth_config.scopes.bot).toContain('channels:manage');
      expect(schemaErrors(publicChannels)).toEqual([]);
      expect(buildManifest(settingsWith({ INCIDENT_OPEN_CHANNELS_PUBLIC: 'false' })).oauth_config.scopes.bot).not.toContain(
        'channels:manage',
      );
    });
  });
});

describe('buildManifest', () => {
  test('uses the configured slugs, so custom commands reach the app', () => {
    const settings = settingsWith({ SLACK_COMMAND_MARK_STABLE_SLUG: '/inc-stable', SLACK_COMMAND_ASSIGN_ROLE_SLUG: '/inc-role' });
    const commands = buildManifest(settings).features.slash_commands.map((command) => command.command);
    expect(commands.sort()).toEqual(registeredSlugs(settings).sort());
    if (COMMAND_LISTENERS.some((listener) => listener.setting === 'markStable')) expect(commands).toContain('/inc-stable');
    if (COMMAND_LISTENERS.some((listener) => listener.setting === 'assignRole')) expect(commands).toContain('/inc-role');
    expect(commands).not.toContain('/dispatch-mark-stable');
  });

  test('puts the given host in every URL (a trailing slash is fine)', () => {
    const manifest = buildManifest(defaults, 'https://dispatch.example.com/');
    const text = JSON.stringify(manifest);
    expect(text).not.toContain('YOUR-HOST');
    expect(manifest.settings.event_subscriptions.request_url).toBe('https://dispatch.example.com/api/v1/events/slack/event');
    expect(manifest.settings.interactivity.message_menu_options_url).toBe('https://dispatch.example.com/api/v1/events/slack/menu');
    for (const command of manifest.features.slash_commands)
      expect(command.url).toBe('https://dispatch.example.com/api/v1/events/slack/command');
    expect(schemaErrors(manifest)).toEqual([]);
  });

  test('Socket Mode: enabled, and no request URLs anywhere', () => {
    for (const manifest of [
      buildManifest(defaults, PLACEHOLDER_HOST, { socketMode: true }),
      buildManifest(settingsWith({ SLACK_SOCKET_MODE: 'true', SLACK_APP_TOKEN: 'xapp-1-A0APPTEST1-1-abc' })),
    ]) {
      expect(manifest.settings.socket_mode_enabled).toBe(true);
      expect(JSON.stringify(manifest)).not.toMatch(/https?:\/\//);
      expect(manifest.settings.interactivity).toEqual({ is_enabled: true });
      expect(manifest.settings.event_subscriptions.bot_events).toEqual(fromFile.settings.event_subscriptions.bot_events);
      expect(schemaErrors(manifest)).toEqual([]);
    }
  });

  test('is pure: the same settings give the same manifest', () => {
    expect(buildManifest(defaults)).toEqual(buildManifest(defaults));
  });
});

describe('scripts/manifest.ts (npm run manifest)', () => {
  test('with no settings at all it prints manifest.yml (placeholders stand in for the required settings)', () => {
    expect(manifestText([], {})).toBe(fileText);
    expect(manifestText(['--defaults'], { SLACK_COMMAND_MARK_STABLE_SLUG: '/ignored' })).toBe(fileText);
  });

  test("follows the environment's settings", () => {
    const text = manifestText([], { SLACK_COMMAND_MARK_STABLE_SLUG: '/inc-stable', INCIDENT_OPEN_CHANNELS_PUBLIC: 'true' });
    const manifest = YAML.parse(text) as SlackManifest;
    expect(manifest.oauth_config.scopes.bot).toContain('channels:manage');
    expect(manifest).toEqual(
      buildManifest(settingsWith({ SLACK_COMMAND_MARK_STABLE_SLUG: '/inc-stable', INCIDENT_OPEN_CHANNELS_PUBLIC: 'true' })),
    );
  });

  test('--host and --socket-mode', () => {
    const hosted = YAML.parse(manifestText(['--host', 'https://dispatch.example.com'], {})) as SlackManifest;
    expect(hosted).toEqual(buildManifest(defaults, 'https://dispatch.example.com'));
    const hostedText = manifestText(['--host=https://dispatch.example.com'], {});
    expect(hostedText).not.toContain('YOUR-HOST');
    const socket = manifestText(['--socket-mode'], {});
    expect(YAML.parse(socket)).toEqual(buildManifest(defaults, PLACEHOLDER_HOST, { socketMode: true }));
    expect(socket).toContain('connections:write');
  });

  test('refuses unknown arguments and a host that is not a URL', () => {
    expect(() => parseArguments(['--hots', 'x'])).toThrow(/unknown argument --hots/);
    expect(() => parseArguments(['--host', 'dispatch.example.com'])).toThrow(/--host must be/);
    expect(() => parseArguments(['--host'])).toThrow(/needs a value/);
    expect(parseArguments(['--out', 'x.yml', '--socket-mode'])).toEqual({
      host: PLACEHOLDER_HOST,
      socketMode: true,
      defaults: false,
      out: 'x.yml',
    });
  });

  test('a bad setting in the environment is reported as at boot', () => {
    expect(() => manifestText([], { SLACK_COMMAND_MARK_STABLE_SLUG: 'mark-stable' })).toThrow(
      /SLACK_COMMAND_MARK_STABLE_SLUG is not valid/,
    );
  });
});
