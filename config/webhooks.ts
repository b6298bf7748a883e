import convict from 'convict';
import { INCIDENT_EVENT_TYPES, type IncidentEventType } from '../incidents/incidentEvents';

/**
 * Webhook settings. WEBHOOK_URLS lists the endpoints, comma separated; each URL may be followed
 * by options, separated by spaces:
 *
 *   WEBHOOK_URLS="https://status.example.com/hook events=incident.*|status_report.posted, https://siem.example.com/in restricted"
 *
 * - `events=TYPE|TYPE`: only these event types (`incident.*` takes every `incident.` type);
 *   without it, every type.
 * - `restricted`: also send events of restricted incidents (never sent otherwise).
 *
 * Secrets are not part of WEBHOOK_URLS (which is safe to log): WEBHOOK_SECRET is shared by every
 * endpoint, WEBHOOK_SECRETS gives one per endpoint in the same order (an empty entry falls back
 * to WEBHOOK_SECRET).
 */
export interface WebhookEndpointSetting {
  url: string;
  /** Event types this endpoint takes; null means all of them. */
  eventTypes: IncidentEventType[] | null;
  /** Whether events of restricted incidents go to this endpoint. */
  includeRestricted: boolean;
}

export const MIN_SECRET_LENGTH = 16;

/** 127.0.0.0/8, ::1 and localhost: plain http is allowed there (local receivers, tests). */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** The endpoint as logs and messages show it: no credentials, no query string (tokens live there). */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}${parsed.search ? '?…' : ''}`;
  } catch {
    return '(an invalid URL)';
  }
}

function parseEventTypes(list: string, where: string): IncidentEventType[] {
  const types = new Set<IncidentEventType>();
  for (const pattern of list.split('|').map((item) => item.trim())) {
    const matched = pattern.endsWith('.*')
      ? INCIDENT_EVENT_TYPES.filter((type) => type.startsWith(pattern.slice(0, -1)))
      : INCIDENT_EVENT_TYPES.filter((type) => type === pattern);
    if (matched.length === 0) {
      throw new Error(
        `is not valid: ${where} names the unknown event type "${pattern}" (known: ${INCIDENT_EVENT_TYPES.join(', ')}; "incident.*" takes a whole family)`,
      );
    }
    for (const type of matched) types.add(type);
  }
  return INCIDENT_EVENT_TYPES.filter((type) => types.has(type));
}

function parseEndpoint(entry: string, position: number): WebhookEndpointSetting {
  const [address = '', ...options] = entry.split(/\s+/);
  const where = `endpoint ${position}`;
  let parsed: URL;
  try {
    parsed = new URL(address);
  } catch {
    throw new Error(`is not valid: ${where} is not a URL (expected https://HOST/PATH, optionally followed by events=... or restricted)`);
  }
  const shown = `${where} (${displayUrl(address)})`;
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(`is not valid: ${shown} must be an https:// URL`);
  }
  if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
    throw new Error(`is not valid: ${shown} must use https (plain http is only allowed to 127.0.0.1, ::1 or localhost)`);
  }
  if (parsed.hash) throw new Error(`is not valid: ${shown} has a #fragment, which is never sent: remove it`);
  let eventTypes: IncidentEventType[] | null = null;
  let includeRestricted = false;
  for (const option of options) {
    if (option.startsWith('events=')) eventTypes = parseEventTypes(option.slice('events='.length), shown);
    else if (option === 'restricted' || option === 'restricted=true') includeRestricted = true;
    else if (option === 'restricted=false') includeRestricted = false;
    else throw new Error(`is not valid: ${shown} has the unknown option "${option}" (expected events=TYPE|TYPE or restricted)`);
  }
  return { url: parsed.toString(), eventTypes, includeRestricted };
}

/** Parses WEBHOOK_URLS; throws a sentence (without secrets) naming the first bad endpoint. */
export function parseWebhookEndpoints(text: string): WebhookEndpointSetting[] {
  const endpoints = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry, index) => parseEndpoint(entry, index + 1));
  const seen = new Set<string>();
  for (const [index, endpoint] of endpoints.entries()) {
    if (seen.has(endpoint.url)) throw new Error(`is not valid: endpoint ${index + 1} (${displayUrl(endpoint.url)}) is listed twice`);
    seen.add(endpoint.url);
  }
  return endpoints;
}

/** WEBHOOK_SECRETS keeps its empty entries: they stand for "use WEBHOOK_SECRET". */
function splitSecrets(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (value.trim() === '') return [];
  return value.split(',').map((secret) => secret.trim());
}

function isEndpointList(value: unknown): value is WebhookEndpointSetting[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null && 'url' in item);
}

function checkSecret(secret: string, what: string): void {
  if (/\s/.test(secret) || secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`is not valid: ${what} must be at least ${MIN_SECRET_LENGTH} characters without spaces (e.g. openssl rand -hex 32)`);
  }
}

export function registerWebhookFormats(): void {
  convict.addFormat({
    name: 'webhook-endpoints',
    // A string here is one that did not parse: parse it again for the sentence that says why.
    validate(value: unknown) {
      if (typeof value === 'string') parseWebhookEndpoints(value);
      else if (!isEndpointList(value)) throw new Error('is not valid: expected comma separated https:// URLs');
    },
    coerce(value: unknown) {
      if (typeof value !== 'string') return value;
      try {
        return parseWebhookEndpoints(value);
      } catch {
        return value;
      }
    },
  });

  convict.addFormat({
    name: 'webhook-secret',
    validate(value: unknown) {
      if (value === null || value === undefined || value === '') return;
      if (typeof value !== 'string') throw new Error('is not valid: expected a secret');
      checkSecret(value, 'the secret');
    },
  });

  convict.addFormat({
    name: 'webhook-secrets',
    validate(value: unknown) {
      if (!Array.isArray(value)) throw new Error('is not valid: expected comma separated secrets, one per endpoint of WEBHOOK_URLS');
      for (const [index, secret] of value.entries()) {
        if (typeof secret !== 'string') throw new Error('is not valid: expected comma separated secrets');
        if (secret !== '') checkSecret(secret, `secret ${index + 1}`);
      }
    },
    coerce: splitSecrets,
  });
}

export interface WebhookSettingsShape {
  endpoints: WebhookEndpointSetting[];
  secret: string | null;
  secrets: string[];
  failureChannel: string | null;
  timeoutMs: number;
  retryWindowMs: number;
  retryFirstDelayMs: number;
}

/** Problems that need two settings together: every endpoint needs a secret, from one of the two. */
export function webhookSettingProblems(webhooks: WebhookSettingsShape): Array<{ setting: string; problem: string }> {
  const problems: Array<{ setting: string; problem: string }> = [];
  const { endpoints, secret, secrets } = webhooks;
  if (!isEndpointList(endpoints) || !Array.isArray(secrets)) return problems;
  if (endpoints.length === 0) {
    if (secrets.length > 0) problems.push({ setting: 'WEBHOOK_SECRETS', problem: 'is set, but WEBHOOK_URLS lists no endpoint' });
    return problems;
  }
  if (secrets.length > 0 && secrets.length !== endpoints.length) {
    problems.push({
      setting: 'WEBHOOK_SECRETS',
      problem: `is not valid: it has ${secrets.length} ${secrets.length === 1 ? 'secret' : 'secrets'} for ${endpoints.length} endpoints in WEBHOOK_URLS (give one per endpoint, in the same order; leave an entry empty to use WEBHOOK_SECRET)`,
    });
    return problems;
  }
  const unsigned = endpoints.map((_, index) => index + 1).filter((position) => !(secrets[position - 1] || secret));
  if (unsigned.length > 0) {
    problems.push({
      setting: 'WEBHOOK_SECRET',
      problem: `is missing: ${unsigned.length === endpoints.length ? 'the endpoints of WEBHOOK_URLS need' : `endpoint ${unsigned.join(', ')} of WEBHOOK_URLS needs`} a signing secret (set WEBHOOK_SECRET, or one per endpoint in WEBHOOK_SECRETS)`,
    });
  }
  return problems;
}

/** The secret that signs deliveries to `url`: its own, else the shared one. */
export function secretFor(webhooks: WebhookSettingsShape, url: string): string | null {
  const index = webhooks.endpoints.findIndex((endpoint) => endpoint.url === url);
  if (index === -1) return null;
  return webhooks.secrets[index] || webhooks.secret || null;
}
