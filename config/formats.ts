import convict from 'convict';
import { checkPlaceholders, URL_TEMPLATE_PLACEHOLDERS } from './schema';
import { registerWebhookFormats } from './webhooks';

/**
 * Custom convict formats. Each throws a sentence that says what the setting expects; the
 * loader puts the setting's name in front of it. None of them echoes the value, so a
 * mistyped secret never reaches a terminal or a log.
 */

const DURATION_PATTERN = /^(\d+)\s*(ms|s|m|h|d)$/;
const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "15m", "2h", "1d" -> milliseconds; undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * DURATION_UNITS_MS[match[2]];
}

/** Splits a comma separated list, trimming blanks away. */
export function splitList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((item) => String(item).trim()).filter(Boolean);
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Slack's own rule for a command: leading slash, lowercase, no spaces, at most 32 characters. */
export const SLASH_COMMAND_PATTERN = /^\/[a-z0-9][a-z0-9_.-]{0,30}$/;

function requireString(value: unknown, expectation: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) throw new Error(`is missing: ${expectation}`);
}

let registered = false;

export function registerFormats(): void {
  if (registered) return;
  registered = true;
  registerWebhookFormats();

  convict.addFormat({
    name: 'slash-command',
    validate(value: unknown) {
      const expectation = 'a slash command such as /dispatch-mark-stable (leading "/", lowercase, no spaces, at most 32 characters)';
      requireString(value, expectation);
      if (!SLASH_COMMAND_PATTERN.test(value)) throw new Error(`is not valid: expected ${expectation}`);
    },
  });

  convict.addFormat({
    name: 'slack-app-id',
    validate(value: unknown) {
      const expectation = "your Slack app's ID from Basic Information, e.g. A0123456789";
      requireString(value, expectation);
      if (!/^A[A-Z0-9]{4,}$/.test(value)) throw new Error(`is not valid: expected ${expectation}`);
    },
  });

  convict.addFormat({
    name: 'workspace-name',
    validate(value: unknown) {
      const expectation = 'the workspace subdomain, e.g. "acme" for https://acme.slack.com';
      requireString(value, expectation);
      if (!/^[a-z0-9][a-z0-9-]{0,62}$/i.test(value)) throw new Error(`is not valid: expected ${expectation}`);
    },
  });

  convict.addFormat({
    name: 'bot-token',
    validate(value: unknown) {
      const expectation = 'the Bot User OAuth Token from OAuth & Permissions (starts with xoxb-)';
      requireString(value, expectation);
      if (!/^xoxb-[A-Za-z0-9-]+$/.test(value)) throw new Error(`is not valid: expected ${expectation}`);
    },
  });

  convict.addFormat({
    name: 'app-token',
    validate(value: unknown) {
      if (value === null || value === undefined || value === '') return;
      if (typeof value !== 'string' || !/^xapp-[A-Za-z0-9-]+$/.test(value)) {
        throw new Error('is not valid: expected an app-level token with the connections:write scope (starts with xapp-)');
      }
    },
  });

  convict.addFormat({
    name: 'signing-secret',
    validate(value: unknown) {
      const expectation = 'the Signing Secret from Basic Information > App Credentials';
      requireString(value, expectation);
      if (/\s/.test(value) || value.length < 8) throw new Error(`is not valid: expected ${expectation}`);
    },
  });

  convict.addFormat({
    name: 'optional-user-id',
    validate(value: unknown) {
      if (value === null || value === undefined || value === '') return;
      if (typeof value !== 'string' || !/^[UW][A-Z0-9]{2,}$/.test(value)) {
        throw new Error('is not valid: expected a Slack user ID such as U0123456789');
      }
    },
  });

  convict.addFormat({
    name: 'http-url',
    validate(value: unknown) {
      const expectation = 'an http:// or https:// URL';
      requireString(value, expectation);
      let parsed: URL;
      try {
        parsed = new URL(value);
      } catch {
        throw new Error(`is not valid: expected ${expectation}`);
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`is not valid: expected ${expectation}`);
    },
  });

  convict.addFormat({
    name: 'optional-url-template',
    validate(value: unknown) {
      if (value === null || value === undefined || value === '') return;
      const expectation = 'an http(s) URL that may contain {name}, {number} or {title}, e.g. https://meet.example.com/{name}';
      if (typeof value !== 'string') throw new Error(`is not valid: expected ${expectation}`);
      checkPlaceholders(value, URL_TEMPLATE_PLACEHOLDERS);
      try {
        const parsed = new URL(value.replace(/\{(name|number|title)\}/g, 'x'));
        if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
      } catch {
        throw new Error(`is not valid: expected ${expectation}`);
      }
    },
  });

  convict.addFormat({
    name: 'database-url',
    validate(value: unknown) {
      const expectation = 'sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DATABASE';
      requireString(value, expectation);
      if (value === 'sqlite::memory:' || /^sqlite:.+/.test(value)) return;
      if (/^postgres(ql)?:\/\/.+/.test(value)) {
        try {
          new URL(value);
          return;
        } catch {
          // falls through to the message below
        }
      }
      throw new Error(`is not valid: expected ${expectation}`);
    },
  });

  convict.addFormat({
    name: 'boolean-text',
    validate(value: unknown) {
      if (typeof value !== 'boolean') throw new Error('is not valid: expected true or false');
    },
    coerce(value: unknown) {
      const text = String(value).trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(text)) return true;
      if (['false', '0', 'no', 'off', ''].includes(text)) return false;
      return value;
    },
  });

  convict.addFormat({
    name: 'duration',
    validate(value: unknown) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
        throw new Error('is not valid: expected a duration such as 90s, 15m, 2h or 1d');
      }
    },
    coerce(value: unknown) {
      if (typeof value === 'number') return value;
      return parseDuration(String(value)) ?? Number.NaN;
    },
  });

  convict.addFormat({
    name: 'channel-list',
    validate(value: unknown) {
      if (!Array.isArray(value) || value.some((id) => typeof id !== 'string' || !/^[CG][A-Z0-9]{2,}$/.test(id))) {
        throw new Error('is not valid: expected comma separated channel IDs such as C0123456789,C0987654321');
      }
    },
    coerce: splitList,
  });

  convict.addFormat({
    name: 'name-list',
    validate(value: unknown) {
      if (!Array.isArray(value) || value.length === 0)
        throw new Error('is not valid: expected a comma separated list with at least one name');
      const names = value.map((item) => String(item));
      if (names.some((name) => name.length > 75)) throw new Error('is not valid: each name must be at most 75 characters');
      if (new Set(names.map((name) => name.toLowerCase())).size !== names.length)
        throw new Error('is not valid: the names must be different');
      if (names.length > 100) throw new Error('is not valid: at most 100 names (a Slack select shows 100 options)');
    },
    coerce: splitList,
  });

  convict.addFormat({
    name: 'command-list',
    validate(value: unknown) {
      if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || !SLASH_COMMAND_PATTERN.test(item))) {
        throw new Error('is not valid: expected comma separated slash commands such as /dispatch-mark-closed,/dispatch-assign-role');
      }
    },
    coerce: splitList,
  });

  convict.addFormat({
    name: 'priority-durations',
    validate(value: unknown) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new Error('is not valid: expected PRIORITY=DURATION pairs such as High=2h,Medium=6h,Low=12h,Info=24h');
      }
      for (const duration of Object.values(value)) {
        if (typeof duration !== 'number' || !Number.isFinite(duration) || duration <= 0) {
          throw new Error('is not valid: expected PRIORITY=DURATION pairs such as High=2h,Medium=6h,Low=12h,Info=24h');
        }
      }
    },
    coerce(value: unknown) {
      if (typeof value !== 'string') return value;
      const durations: Record<string, number> = {};
      for (const pair of splitList(value)) {
        const [priority, duration] = pair.split('=').map((part) => part.trim());
        durations[priority ?? ''] = duration === undefined ? Number.NaN : (parseDuration(duration) ?? Number.NaN);
      }
      return durations;
    },
  });

  convict.addFormat({
    name: 'optional-http-url',
    validate(value: unknown) {
      if (value === null || value === undefined || value === '') return;
      const expectation = 'an http:// or https:// URL such as https://dispatch.example.com';
      try {
        const parsed = new URL(String(value));
        if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
      } catch {
        throw new Error(`is not valid: expected ${expectation}`);
      }
    },
    coerce: (value: unknown) => (value === '' ? null : value),
  });

  convict.addFormat({
    name: 'delay',
    validate(value: unknown) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new Error('is not valid: expected a duration such as 0s, 15m, 2h or 1d');
      }
    },
    coerce(value: unknown) {
      if (typeof value === 'number') return value;
      return parseDuration(String(value)) ?? Number.NaN;
    },
  });

  convict.addFormat({
    name: 'user-list',
    validate(value: unknown) {
      if (!Array.isArray(value) || value.some((id) => typeof id !== 'string' || !/^[UW][A-Z0-9]{2,}$/.test(id))) {
        throw new Error('is not valid: expected comma separated Slack user IDs such as U0123456789,U0987654321');
      }
    },
    coerce: splitList,
  });
}
