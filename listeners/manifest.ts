import YAML from 'yaml';
import type { Settings } from '../config';
import { COMMAND_LISTENERS } from './commands';
import { EVENT_LISTENERS } from './events';
import { SHORTCUT_LISTENERS } from './shortcuts';

/**
 * The Slack app manifest (https://docs.slack.dev/reference/app-manifest), built from the
 * listener registries and the settings, so the commands, shortcuts and events Slack sends are
 * exactly the ones the app registers. manifest.yml is this, rendered for the default settings.
 */

/** The host placeholder an admin replaces with the app's public HTTPS address. */
export const PLACEHOLDER_HOST = 'https://YOUR-HOST';

/** Dispatch's paths (see server/startDispatch.ts); Bolt routes by payload, so any would do. */
export const MANIFEST_PATHS = {
  command: '/api/v1/events/slack/command',
  event: '/api/v1/events/slack/event',
  action: '/api/v1/events/slack/action',
  menu: '/api/v1/events/slack/menu',
} as const;

/** Bot scopes listed on Dispatch's "Configuring Slack" page, in its order. */
export const DISPATCH_BOT_SCOPES = [
  'channels:read',
  'chat:write',
  'commands',
  'files:read',
  'groups:history',
  'groups:read',
  'groups:write',
  'im:history',
  'im:read',
  'im:write',
  'mpim:history',
  'mpim:read',
  'mpim:write',
  'pins:write',
  'reactions:read',
  'reactions:write',
  'reminders:write',
  'remote_files:read',
  'team:read',
  'users:read',
  'users:read.email',
  'users:write',
] as const;

/** User scopes listed on Dispatch's page. */
export const DISPATCH_USER_SCOPES = ['channels:read', 'groups:history', 'groups:read'] as const;

/** Scopes this app needs beyond Dispatch's list, and why. */
export const EXTRA_BOT_SCOPES = [
  // message.channels events (activity in public incident channels) and reading a reacted-to message.
  'channels:history',
  // Resources become channel bookmarks (bookmarks.add)...
  'bookmarks:write',
  // ...each added once, so the existing ones are read first (bookmarks.list).
  'bookmarks:read',
  // The postmortem draft is uploaded to the incident channel as a Markdown file (files.uploadV2).
  'files:write',
] as const;

/** Creating, inviting to, and archiving public channels (INCIDENT_OPEN_CHANNELS_PUBLIC=true). */
export const PUBLIC_CHANNEL_SCOPE = 'channels:manage';

export interface ManifestSlashCommand {
  command: string;
  url?: string;
  description: string;
  usage_hint?: string;
  should_escape: boolean;
}

export interface ManifestShortcut {
  name: string;
  type: 'message' | 'global';
  callback_id: string;
  description: string;
}

export interface SlackManifest {
  display_information: { name: string; description: string; background_color: string };
  features: {
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean };
    bot_user: { display_name: string; always_online: boolean };
    slash_commands: ManifestSlashCommand[];
    shortcuts: ManifestShortcut[];
  };
  oauth_config: { scopes: { bot: string[]; user: string[] } };
  settings: {
    event_subscriptions: { request_url?: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url?: string; message_menu_options_url?: string };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

export interface ManifestOptions {
  /** Socket Mode: no request URLs; Slack sends everything over the app's WebSocket. Default: SLACK_SOCKET_MODE. */
  socketMode?: boolean;
}

/** Bot events every listener subscribes to, once each, sorted. */
export function botEvents(): string[] {
  return [...new Set(EVENT_LISTENERS.flatMap((listener) => listener.subscriptions))].sort();
}

/** The manifest for these settings; `host` is the app's public base URL (no trailing slash needed). */
export function buildManifest(settings: Settings, host = PLACEHOLDER_HOST, options: ManifestOptions = {}): SlackManifest {
  const socketMode = options.socketMode ?? settings.slack.socketMode;
  const base = host.replace(/\/+$/, '');
  // In Socket Mode Slack sends everything over the WebSocket: a request URL would be ignored.
  const url = (path: string) => (socketMode ? {} : { url: `${base}${path}` });
  const requestUrl = (path: string) => (socketMode ? {} : { request_url: `${base}${path}` });

  const slashCommands = COMMAND_LISTENERS.map(
    (listener): ManifestSlashCommand => ({
      command: settings.commands[listener.setting],
      ...url(MANIFEST_PATHS.command),
      description: listener.description,
      ...(listener.usageHint ? { usage_hint: listener.usageHint } : {}),
      should_escape: false,
    }),
  );
  const shortcuts = SHORTCUT_LISTENERS.map(
    (listener): ManifestShortcut => ({
      name: listener.name,
      type: 'message',
      callback_id: listener.callbackId,
      description: listener.description,
    }),
  );

  return {
    display_information: {
      name: 'Dispatch',
      description: 'Incident response in Slack: report incidents, get a channel with the right people, post status reports, track tasks.',
      background_color: '#1d3a5f',
    },
    features: {
      app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      bot_user: { display_name: 'dispatch', always_online: true },
      slash_commands: slashCommands,
      shortcuts,
    },
    oauth_config: {
      scopes: {
        bot: [...DISPATCH_BOT_SCOPES, ...EXTRA_BOT_SCOPES, ...(settings.incident.publicChannels ? [PUBLIC_CHANNEL_SCOPE] : [])],
        user: [...DISPATCH_USER_SCOPES],
      },
    },
    settings: {
      event_subscriptions: { ...requestUrl(MANIFEST_PATHS.event), bot_events: botEvents() },
      interactivity: {
        is_enabled: true,
        ...requestUrl(MANIFEST_PATHS.action),
        ...(socketMode ? {} : { message_menu_options_url: `${base}${MANIFEST_PATHS.menu}` }),
      },
      org_deploy_enabled: false,
      socket_mode_enabled: socketMode,
      token_rotation_enabled: false,
    },
  };
}

/** How an admin uses the file; kept in the file itself, above the manifest. */
function header(manifest: SlackManifest): string {
  const lines = [
    'Slack app manifest for Dispatch for Slack. Generated by `npm run manifest` from the code and',
    'settings; do not edit by hand (tests/unit/manifest.test.ts keeps it in step with the code).',
    '',
    'To create the Slack app: https://api.slack.com/apps > "Create New App" > "From an app manifest",',
    'pick the workspace and paste this file.',
  ];
  if (manifest.settings.socket_mode_enabled) {
    lines.push(
      'Socket Mode: no public URL is needed. After creating the app, generate an app-level token with',
      'the connections:write scope (Basic Information > App-Level Tokens) and set SLACK_APP_TOKEN and',
      'SLACK_SOCKET_MODE=true.',
    );
  } else if (JSON.stringify(manifest).includes(PLACEHOLDER_HOST)) {
    lines.push(
      'First replace YOUR-HOST below with the public HTTPS host the app runs on, or generate the file',
      'with it filled in: npm run --silent manifest -- --host https://dispatch.example.com > manifest.yml',
      '(Socket Mode instead, for development behind NAT: npm run --silent manifest -- --socket-mode)',
    );
  }
  lines.push(
    'Then install the app to the workspace and set SLACK_API_BOT_TOKEN (OAuth & Permissions > Bot User',
    'OAuth Token), SLACK_SIGNING_SECRET (Basic Information > Signing Secret), SLACK_APP_USER_SLUG (the',
    'App ID) and SLACK_WORKSPACE_NAME. See README.md, "Installing the Slack app".',
  );
  return lines.map((line) => (line ? `# ${line}` : '#')).join('\n');
}

/** manifest.yml's text: the header comment, then the manifest as YAML. */
export function renderManifestYaml(manifest: SlackManifest): string {
  return `${header(manifest)}\n${YAML.stringify(manifest, { lineWidth: 0 })}`;
}
