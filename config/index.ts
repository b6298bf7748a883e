import { existsSync } from 'node:fs';
import convict, { type Schema } from 'convict';
import { registerFormats } from './formats';
import { COMMAND_ALIASES, type CommandName, type SettingsShape, settingsSchema } from './schema';
import { webhookSettingProblems } from './webhooks';

export type Settings = Readonly<SettingsShape>;
export type { CommandName };

/** One problem with one setting, in words an admin can act on. */
export interface SettingProblem {
  setting: string;
  problem: string;
}

/** Boot fails with this: every bad or missing setting in one message, never a value. */
export class SettingsError extends Error {
  constructor(readonly problems: SettingProblem[]) {
    super(formatProblems(problems));
    this.name = 'SettingsError';
  }
}

function formatProblems(problems: SettingProblem[]): string {
  const heading =
    problems.length === 1
      ? 'Dispatch for Slack cannot start: 1 setting needs attention.'
      : `Dispatch for Slack cannot start: ${problems.length} settings need attention.`;
  const lines = problems.map(({ setting, problem }) => `  - ${setting} ${problem}`);
  return [heading, ...lines, 'Set them in the environment or in a .env file; see README.md, "Configuration".'].join('\n');
}

interface SchemaLeaf {
  env?: string;
  doc?: string;
}

function isLeaf(node: unknown): node is SchemaLeaf & { default: unknown } {
  return typeof node === 'object' && node !== null && 'default' in node;
}

/** Maps each schema path (slack.botToken) to its environment variable (SLACK_API_BOT_TOKEN). */
function envNamesByPath(schema: Schema<SettingsShape>): Map<string, string> {
  const names = new Map<string, string>();
  const walk = (node: unknown, path: string[]) => {
    if (isLeaf(node)) {
      if (node.env) names.set(path.join('.'), node.env);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, child] of Object.entries(node)) walk(child, [...path, key]);
  };
  walk(schema, []);
  return names;
}

/** Every environment variable the schema reads (plus the alias spellings). */
export function settingNames(): string[] {
  return [...envNamesByPath(settingsSchema).values(), ...Object.values(COMMAND_ALIASES)];
}

/** Parses convict's "path: message: value was ..." lines, dropping the value so no secret is echoed. */
function convictProblems(message: string, envNames: Map<string, string>): SettingProblem[] {
  return message
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => {
      const separator = line.indexOf(': ');
      const path = separator === -1 ? line : line.slice(0, separator);
      let problem = separator === -1 ? 'is not valid' : line.slice(separator + 2);
      problem = problem.replace(/: value was .*$/s, '');
      if (!problem.startsWith('is ')) problem = `is not valid: ${problem}`;
      return { setting: envNames.get(path) ?? path, problem };
    });
}

/**
 * Resolves the two spellings of Dispatch's four un-suffixed command settings. Returns the
 * environment to validate and the documented names that were given in their `_SLUG` spelling,
 * so a problem is reported under the name the admin actually set.
 */
function resolveAliases(env: NodeJS.ProcessEnv, problems: SettingProblem[]): { resolved: NodeJS.ProcessEnv; spelledWithSlug: Set<string> } {
  const resolved = { ...env };
  const spelledWithSlug = new Set<string>();
  for (const [documented, suffixed] of Object.entries(COMMAND_ALIASES)) {
    const plain = env[documented];
    const withSlug = env[suffixed];
    if (plain !== undefined && withSlug !== undefined && plain !== withSlug) {
      problems.push({
        setting: documented,
        problem: `and ${suffixed} are both set, to different commands: set only one of them (they are two spellings of one setting)`,
      });
    }
    if (plain === undefined && withSlug !== undefined) {
      resolved[documented] = withSlug;
      spelledWithSlug.add(documented);
    }
  }
  return { resolved, spelledWithSlug };
}

function crossChecks(settings: SettingsShape, problems: SettingProblem[]): void {
  const { slack, incident, oncall, commands } = settings;
  // Strictly true: an invalid SLACK_SOCKET_MODE is reported on its own, not as a missing token too.
  if (slack.socketMode === true && !slack.appToken) {
    problems.push({
      setting: 'SLACK_APP_TOKEN',
      problem: 'is missing: SLACK_SOCKET_MODE is true, which needs an app-level token (xapp-...)',
    });
  }
  if (incident.priorities.length > 0 && !incident.priorities.includes(incident.defaultPriority)) {
    problems.push({
      setting: 'INCIDENT_DEFAULT_PRIORITY',
      problem: `is not valid: expected one of INCIDENT_PRIORITIES (${incident.priorities.join(', ')})`,
    });
  }
  const intervals = incident.reportReminderIntervals;
  if (typeof intervals === 'object' && intervals !== null && incident.priorities.length > 0) {
    const unknown = Object.keys(intervals).filter((priority) => !incident.priorities.includes(priority));
    const missing = incident.priorities.filter((priority) => !(priority in intervals));
    if (unknown.length > 0 || missing.length > 0) {
      const parts = [];
      if (missing.length > 0) parts.push(`no interval for ${missing.join(', ')}`);
      if (unknown.length > 0) parts.push(`${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in INCIDENT_PRIORITIES`);
      problems.push({
        setting: 'STATUS_REPORT_REMINDER_INTERVALS',
        problem: `is not valid: ${parts.join('; ')} (expected one PRIORITY=DURATION pair per priority)`,
      });
    }
  }
  if (oncall.provider === 'schedule' && !oncall.scheduleFile) {
    problems.push({ setting: 'ONCALL_SCHEDULE_FILE', problem: 'is missing: ONCALL_PROVIDER is schedule, which reads this YAML file' });
  }
  if (oncall.provider === 'schedule' && oncall.scheduleFile && !existsSync(oncall.scheduleFile)) {
    problems.push({ setting: 'ONCALL_SCHEDULE_FILE', problem: 'is not valid: the file does not exist' });
  }
  if (oncall.provider === 'pagerduty' && !oncall.pagerdutyApiToken) {
    problems.push({ setting: 'PAGERDUTY_API_TOKEN', problem: 'is missing: ONCALL_PROVIDER is pagerduty, which needs a REST API token' });
  }
  const envNames = envNamesByPath(settingsSchema);
  const seen = new Map<string, string>();
  for (const [name, slug] of Object.entries(commands)) {
    const setting = envNames.get(`commands.${name}`) ?? name;
    const other = seen.get(slug);
    if (other) problems.push({ setting, problem: `is not valid: ${slug} is already used by ${other}` });
    else seen.set(slug, setting);
  }
  problems.push(...webhookSettingProblems(settings.webhooks));
}

/**
 * Reads and validates every setting. Throws SettingsError naming every problem at once, so an
 * admin fixes the environment in one round instead of one variable per restart.
 */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  registerFormats();
  const problems: SettingProblem[] = [];
  const { resolved: resolvedEnv, spelledWithSlug } = resolveAliases(env, problems);
  const config = convict<SettingsShape>(settingsSchema, { env: resolvedEnv, args: [] });
  try {
    config.validate({ allowed: 'strict' });
  } catch (error) {
    const found = convictProblems(error instanceof Error ? error.message : String(error), envNamesByPath(settingsSchema));
    problems.push(
      ...found.map((problem) =>
        spelledWithSlug.has(problem.setting) ? { ...problem, setting: COMMAND_ALIASES[problem.setting] ?? problem.setting } : problem,
      ),
    );
  }
  const settings = config.getProperties();
  crossChecks(settings, problems);
  if (problems.length > 0) throw new SettingsError(dedupe(problems));
  if (!settings.slack.apiUrl.endsWith('/')) settings.slack.apiUrl = `${settings.slack.apiUrl}/`;
  return Object.freeze(settings);
}

function dedupe(problems: SettingProblem[]): SettingProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.setting} ${problem.problem}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Reads ./.env (when present) into the environment without overriding variables already set. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
