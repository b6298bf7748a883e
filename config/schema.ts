import { COMMANDS } from './commandSettings';
import { closest } from './suggest';
import type { WebhookEndpointSetting } from './webhooks';

/**
 * Every setting of the app, read from environment variables. Names follow Netflix Dispatch's
 * "Configuring Slack" page exactly. The Settings type is inferred from this one schema
 * (`SettingsShape` below), so a setting cannot be declared in one place and forgotten in another.
 */

/** One leaf of the schema: convict's own fields, typed narrowly enough to infer the value from. */
interface Leaf {
  doc: string;
  default: unknown;
  env: string;
  format?: unknown;
  nullable?: boolean;
  sensitive?: boolean;
}

/** The value type of one leaf: the choices of an enum, the default's type otherwise (null -> string | null). */
type LeafValue<L extends Leaf> = L extends { format: (infer Choice extends string)[] }
  ? string extends Choice
    ? L['default']
    : Choice
  : L extends { default: null }
    ? string | null
    : L['default'];

/** Mirrors the schema's nesting: groups become objects, leaves become their values. */
export type SettingsOf<S> = { [K in keyof S]: S[K] extends Leaf ? LeafValue<S[K]> : SettingsOf<S[K]> };

/** An enum setting's format and default; `const` keeps the choices as literals so the Settings type has them. */
function oneOf<const Choices extends string[]>(choices: Choices, defaultChoice: Choices[number]) {
  return { format: choices, default: defaultChoice };
}

/** What {placeholders} each kind of template fills in; anything else would stay in the text verbatim. */
export const CHANNEL_NAME_PLACEHOLDERS = ['name', 'number', 'title', 'type', 'priority'];
export const URL_TEMPLATE_PLACEHOLDERS = ['name', 'number', 'title'];

/** Throws when a template uses a {placeholder} that is never filled in, suggesting the likely one. */
export function checkPlaceholders(template: string, allowed: string[]): void {
  for (const match of template.matchAll(/\{([^{}]*)\}/g)) {
    const key = match[1];
    if (allowed.includes(key)) continue;
    const guess = closest(key, allowed);
    const list = allowed.map((name) => `{${name}}`).join(', ');
    throw new Error(
      `is not valid: {${key}} is not a placeholder${guess ? ` (did you mean {${guess}}?)` : ''}; the placeholders are ${list}`,
    );
  }
}

/**
 * Slash command settings: the name on Dispatch's page, and the other spelling (with or
 * without `_SLUG`; Dispatch's page and Dispatch's code disagree for four of them). Both
 * spellings work for every command; setting both to different values is refused. The table
 * (COMMANDS) is generated from the command registry: each command declares its setting with
 * its listener (listeners/commands/), and `npm run generate` writes config/commandSettings.ts.
 */
export type CommandName = keyof typeof COMMANDS;

/** The other spelling of each command setting's name: with `_SLUG` dropped or added. */
function otherSpelling(env: string): string {
  return env.endsWith('_SLUG') ? env.slice(0, -'_SLUG'.length) : `${env}_SLUG`;
}

/** Documented name -> the other accepted spelling, for every slash command setting. */
export const COMMAND_ALIASES: Record<string, string> = Object.fromEntries(
  Object.values(COMMANDS).map(([env]) => [env, otherSpelling(env)]),
);

function command(name: CommandName) {
  const [env, defaultSlug, doc] = COMMANDS[name];
  return { doc, format: 'slash-command', default: defaultSlug as string, env: env as string };
}

/** The `commands` group of the schema: one slug setting per command of the registry. */
function commandSettings(): Record<CommandName, ReturnType<typeof command>> {
  return Object.fromEntries(Object.keys(COMMANDS).map((name) => [name, command(name as CommandName)])) as Record<
    CommandName,
    ReturnType<typeof command>
  >;
}

function urlTemplate(env: string, doc: string) {
  return { doc, format: 'optional-url-template', default: null as string | null, nullable: true, env };
}

export const settingsSchema = {
  slack: {
    appUserSlug: {
      doc: "Your Slack app's ID (A...). Events that this app itself caused are ignored.",
      format: 'slack-app-id',
      default: '',
      env: 'SLACK_APP_USER_SLUG',
    },
    workspaceName: {
      doc: 'The workspace subdomain; builds links such as https://NAME.slack.com/archives/CHANNEL.',
      format: 'workspace-name',
      default: '',
      env: 'SLACK_WORKSPACE_NAME',
    },
    botToken: {
      doc: 'Bot User OAuth Token (xoxb-...).',
      format: 'bot-token',
      default: '',
      env: 'SLACK_API_BOT_TOKEN',
      sensitive: true,
    },
    signingSecret: {
      doc: 'Signing Secret: verifies that every HTTP request comes from Slack.',
      format: 'signing-secret',
      default: '',
      env: 'SLACK_SIGNING_SECRET',
      sensitive: true,
    },
    userIdOverride: {
      doc: 'Development only: DMs, ephemeral messages and channel invites all go to this user instead.',
      format: 'optional-user-id',
      default: null,
      nullable: true,
      env: 'SLACK_USER_ID_OVERRIDE',
    },
    apiUrl: {
      doc: 'Slack Web API base URL; tests and demos point it at a local fake Slack.',
      format: 'http-url',
      default: 'https://slack.com/api/',
      env: 'SLACK_API_URL',
    },
    socketMode: {
      doc: 'Connect over Socket Mode instead of receiving HTTP requests (development behind NAT).',
      format: 'boolean-text',
      default: false,
      env: 'SLACK_SOCKET_MODE',
    },
    appToken: {
      doc: 'App-level token (xapp-...) with connections:write; required when SLACK_SOCKET_MODE is true.',
      format: 'app-token',
      default: null,
      nullable: true,
      env: 'SLACK_APP_TOKEN',
      sensitive: true,
    },
    notificationChannels: {
      doc: 'Channel IDs where open incidents are announced, comma separated.',
      format: 'channel-list',
      default: [] as string[],
      env: 'SLACK_INCIDENT_NOTIFICATION_CHANNELS',
    },
    restrictedCommands: {
      doc: 'Slash commands only the Incident Commander and Scribe may run, comma separated (default: none).',
      format: 'command-list',
      default: [] as string[],
      env: 'SLACK_RESTRICTED_COMMANDS',
    },
    timelineReaction: {
      doc: 'Emoji name (without colons) that adds a message to the incident timeline.',
      format: (value: unknown) => {
        // Slack's reaction events carry the bare name: ":stopwatch:" would never match one.
        if (typeof value !== 'string' || !/^[a-z0-9_+'-]+$/.test(value)) {
          const bare = typeof value === 'string' ? value.replace(/:/g, '').trim() : '';
          throw new Error(`is not valid: expected an emoji name without colons${bare ? `, e.g. ${bare}` : ', e.g. stopwatch'}`);
        }
      },
      default: 'stopwatch',
      env: 'SLACK_TIMELINE_EVENT_REACTION',
    },
    userCacheTtlMs: {
      doc: 'How long looked-up Slack user profiles are cached, e.g. 10m.',
      format: 'duration',
      default: 600_000,
      env: 'SLACK_USER_CACHE_TTL',
    },
  },
  commands: commandSettings(),

  incident: {
    namePrefix: {
      doc: 'Prefix of incident names: dispatch -> dispatch-42.',
      format: (value: unknown) => {
        if (typeof value !== 'string' || !/^[a-z0-9][a-z0-9_-]{0,20}$/.test(value)) {
          throw new Error('is not valid: expected lowercase letters, digits, "-" or "_", at most 21 characters');
        }
      },
      default: 'dispatch',
      env: 'INCIDENT_NAME_PREFIX',
    },
    channelNameTemplate: {
      doc: 'Template of incident channel names; {name}, {number}, {title}, {type} and {priority} are replaced.',
      format: (value: unknown) => {
        if (typeof value !== 'string' || !/\{(name|number)\}/.test(value)) {
          throw new Error('is not valid: expected a template containing {name} or {number}, e.g. {name}-{title}');
        }
        checkPlaceholders(value, CHANNEL_NAME_PLACEHOLDERS);
      },
      default: '{name}-{title}',
      env: 'INCIDENT_CHANNEL_NAME_TEMPLATE',
    },
    types: {
      doc: 'Incident types offered when reporting, comma separated.',
      format: 'name-list',
      default: ['Other', 'Security', 'Availability', 'Performance', 'Data'] as string[],
      env: 'INCIDENT_TYPES',
    },
    priorities: {
      doc: 'Incident priorities from lowest to highest, comma separated.',
      format: 'name-list',
      default: ['Info', 'Low', 'Medium', 'High'] as string[],
      env: 'INCIDENT_PRIORITIES',
    },
    defaultPriority: {
      doc: 'Priority preselected when reporting; must be one of INCIDENT_PRIORITIES.',
      format: String,
      default: 'Low',
      env: 'INCIDENT_DEFAULT_PRIORITY',
    },
    publicChannels: {
      doc: 'Create public channels for open incidents (needs the channels:manage scope); restricted ones stay private.',
      format: 'boolean-text',
      default: false,
      env: 'INCIDENT_OPEN_CHANNELS_PUBLIC',
    },
    archiveOnClose: {
      doc: 'Archive the incident channel when the incident is closed.',
      format: 'boolean-text',
      default: false,
      env: 'INCIDENT_ARCHIVE_CHANNEL_ON_CLOSE',
    },
    reportReminderIntervals: {
      doc: 'How old the last status report of an active incident may be before its commander is reminded, per priority.',
      format: 'priority-durations',
      default: { High: 7_200_000, Medium: 21_600_000, Low: 43_200_000, Info: 86_400_000 } as Record<string, number>,
      env: 'STATUS_REPORT_REMINDER_INTERVALS',
    },
    reminderCheckIntervalMs: {
      doc: 'How often due status report reminders are looked for.',
      format: 'duration',
      default: 60_000,
      env: 'STATUS_REPORT_REMINDER_CHECK_INTERVAL',
    },
    conferenceUrlTemplate: urlTemplate('INCIDENT_CONFERENCE_URL_TEMPLATE', 'Conference link attached to every new incident.'),
    documentUrlTemplate: urlTemplate('INCIDENT_DOCUMENT_URL_TEMPLATE', 'Document link attached to every new incident.'),
    ticketUrlTemplate: urlTemplate('INCIDENT_TICKET_URL_TEMPLATE', 'Ticket link attached to every new incident.'),
    dashboardUrlTemplate: urlTemplate('INCIDENT_DASHBOARD_URL_TEMPLATE', 'Dashboard link attached to every new incident.'),
  },
  oncall: {
    provider: {
      doc: 'Where /dispatch-engage-oncall finds who is on call: none, schedule (ONCALL_SCHEDULE_FILE) or pagerduty.',
      ...oneOf(['none', 'schedule', 'pagerduty'], 'none'),
      env: 'ONCALL_PROVIDER',
    },
    scheduleFile: {
      doc: 'YAML file with services and their rotations (ONCALL_PROVIDER=schedule).',
      format: String,
      default: null,
      nullable: true,
      env: 'ONCALL_SCHEDULE_FILE',
    },
    timezone: {
      doc: 'Time zone of the schedule hand-off times, e.g. Europe/Berlin.',
      format: (value: unknown) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: String(value) });
        } catch {
          throw new Error('is not valid: expected an IANA time zone such as UTC or Europe/Berlin');
        }
      },
      default: 'UTC',
      env: 'ONCALL_TIMEZONE',
    },
    pagerdutyApiToken: {
      doc: 'PagerDuty REST API token (ONCALL_PROVIDER=pagerduty).',
      format: String,
      default: null,
      nullable: true,
      env: 'PAGERDUTY_API_TOKEN',
      sensitive: true,
    },
    pagerdutyApiUrl: {
      doc: 'PagerDuty REST API base URL.',
      format: 'http-url',
      default: 'https://api.pagerduty.com',
      env: 'PAGERDUTY_API_URL',
    },
    pagerdutyEventsUrl: {
      doc: 'PagerDuty Events API v2 enqueue URL.',
      format: 'http-url',
      default: 'https://events.pagerduty.com/v2/enqueue',
      env: 'PAGERDUTY_EVENTS_URL',
    },
  },
  server: {
    port: {
      doc: 'HTTP port.',
      format: 'port',
      default: 3000,
      env: 'PORT',
    },
    publicUrl: {
      doc: "The app's public base URL (https://dispatch.example.com); Slack fetches App Home chart images from it. Unset: the Home tab shows a table instead.",
      format: 'optional-http-url',
      default: null,
      nullable: true,
      env: 'PUBLIC_URL',
    },
    requestTimeoutMs: {
      doc: 'How long a client may take to send a whole request (Slack takes well under a second); slower ones are cut off.',
      format: 'duration',
      default: 5_000,
      env: 'HTTP_REQUEST_TIMEOUT',
    },
    maxConnectionsPerClient: {
      doc: 'Connections one client address may hold open at once; raise it behind a proxy that sends everything from one address.',
      format: 'nat',
      default: 256,
      env: 'HTTP_MAX_CONNECTIONS_PER_CLIENT',
    },
  },
  work: {
    maxInFlight: {
      doc: 'Background work items (stored Slack events, follow-up Slack calls) one process runs at once, an eighth of them while requests keep arriving; the rest waits in the database.',
      format: 'nat',
      default: 64,
      env: 'WORK_MAX_IN_FLIGHT',
    },
    maxLagMs: {
      doc: 'On PostgreSQL, how late stored work may start before it stops giving way to requests and runs at the full WORK_MAX_IN_FLIGHT, so effects keep up with a long burst. On SQLite the work and the acks share one writer, so work always gives way.',
      format: 'duration',
      default: 500,
      env: 'WORK_MAX_LAG',
    },
    maxRequestsAfterAck: {
      doc: 'Commands and interactions one process carries on with at once after acknowledging them (replies, Slack calls, a participant list that needs profiles), over HTTP and Socket Mode alike; the next ones wait.',
      format: 'nat',
      default: 64,
      env: 'WORK_MAX_REQUESTS_AFTER_ACK',
    },
    maxRequestsWaitingAfterAck: {
      doc: 'Acknowledged commands and interactions that may wait in memory for that; past it a command, button or shortcut waits in the database instead.',
      format: 'nat',
      default: 256,
      env: 'WORK_MAX_REQUESTS_WAITING_AFTER_ACK',
    },
    leaseMs: {
      doc: 'How long a claimed work item stays with its process without renewal; work of a process that died is taken over after it.',
      format: 'duration',
      default: 30_000,
      env: 'WORK_LEASE',
    },
  },
  database: {
    url: {
      doc: 'sqlite:PATH, sqlite::memory: or postgres://...',
      format: 'database-url',
      default: 'sqlite:data/dispatch.db',
      env: 'DATABASE_URL',
    },
  },
  log: {
    level: {
      doc: 'error, warn, info (what changed, refusals, failures, slow requests) or debug (a line for every Slack request besides).',
      ...oneOf(['error', 'warn', 'info', 'debug'], 'info'),
      env: 'LOG_LEVEL',
    },
    format: {
      doc: 'json (one object a line) or pretty (for a terminal).',
      ...oneOf(['json', 'pretty'], 'json'),
      env: 'LOG_FORMAT',
    },
  },
  webhooks: {
    endpoints: {
      doc: 'Outbound webhook endpoints, comma separated; each URL may be followed by events=TYPE|TYPE and restricted (see docs/webhooks.md). https only, except to loopback.',
      format: 'webhook-endpoints',
      default: [] as WebhookEndpointSetting[],
      env: 'WEBHOOK_URLS',
    },
    secret: {
      doc: 'Signs every webhook (X-Dispatch-Signature) unless WEBHOOK_SECRETS gives the endpoint its own.',
      format: 'webhook-secret',
      default: null,
      nullable: true,
      env: 'WEBHOOK_SECRET',
      sensitive: true,
    },
    secrets: {
      doc: 'One signing secret per endpoint of WEBHOOK_URLS, in the same order, comma separated; an empty entry uses WEBHOOK_SECRET.',
      format: 'webhook-secrets',
      default: [] as string[],
      env: 'WEBHOOK_SECRETS',
      sensitive: true,
    },
    failureChannel: {
      doc: 'Channel ID told about every webhook that failed after its retries (optional).',
      format: (value: unknown) => {
        if (value === null || value === undefined || value === '') return;
        if (typeof value !== 'string' || !/^[CG][A-Z0-9]{2,}$/.test(value)) {
          throw new Error('is not valid: expected a channel ID such as C0123456789');
        }
      },
      default: null,
      nullable: true,
      env: 'WEBHOOK_FAILURE_CHANNEL',
    },
    timeoutMs: {
      doc: 'How long one webhook delivery may take before it counts as a timeout (and is retried).',
      format: 'duration',
      default: 10_000,
      env: 'WEBHOOK_TIMEOUT',
    },
    retryWindowMs: {
      doc: 'How long a webhook is retried (timeouts, 5xx, 408, 429) before it is marked failed.',
      format: 'duration',
      default: 86_400_000,
      env: 'WEBHOOK_RETRY_WINDOW',
    },
    retryFirstDelayMs: {
      doc: 'The wait before the first retry of a webhook; each later wait doubles (with jitter), up to an hour.',
      format: 'duration',
      default: 10_000,
      env: 'WEBHOOK_RETRY_FIRST_DELAY',
    },
  },
  afterClose: {
    feedbackEnabled: {
      doc: 'Ask everyone who took part for feedback (a DM with a short form) after an incident is closed.',
      format: 'boolean-text',
      default: true,
      env: 'FEEDBACK_ENABLED',
    },
    feedbackDelayMs: {
      doc: 'How long after close the feedback form is sent, e.g. 0s (right away) or 1d.',
      format: 'delay',
      default: 0,
      env: 'FEEDBACK_DELAY',
    },
    postmortemOnClose: {
      doc: "Upload the postmortem draft (Markdown) to the incident's channel when it is closed.",
      format: 'boolean-text',
      default: true,
      env: 'POSTMORTEM_ON_CLOSE',
    },
    checkIntervalMs: {
      doc: 'How often overdue follow-ups (reminded once a day) and delayed feedback forms are looked for.',
      format: 'duration',
      default: 300_000,
      env: 'AFTER_CLOSE_CHECK_INTERVAL',
    },
    chartLinkTtlMs: {
      doc: 'How long a signed App Home chart URL stays valid.',
      format: 'duration',
      default: 86_400_000,
      env: 'CHART_LINK_TTL',
    },
    admins: {
      doc: 'Slack user IDs of Dispatch admins, comma separated: they see every feedback summary.',
      format: 'user-list',
      default: [] as string[],
      env: 'DISPATCH_ADMINS',
    },
  },
};

/** The settings as the app reads them, inferred from the schema above. */
export type SettingsShape = SettingsOf<typeof settingsSchema>;
