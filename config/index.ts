import { existsSync } from 'node:fs';
import convict from 'convict';
import { registerFormats } from './formats';
import { COMMAND_ALIASES, type CommandName, type SettingsShape, settingsSchema } from './schema';
import { closest } from './suggest';
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
function envNamesByPath(schema: typeof settingsSchema): Map<string, string> {
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
 * Resolves the two spellings of every command setting (with and without `_SLUG`). Returns the
 * environment to validate and the documented names that were given in their other spelling,
 * so a problem is reported under the name the admin actually set.
 */
function resolveAliases(
  env: NodeJS.ProcessEnv,
  problems: SettingProblem[],
): { resolved: NodeJS.ProcessEnv; spelledOtherwise: Set<string> } {
  const resolved = { ...env };
  const spelledOtherwise = new Set<string>();
  for (const [documented, other] of Object.entries(COMMAND_ALIASES)) {
    const plain = env[documented];
    const otherValue = env[other];
    if (plain !== undefined && otherValue !== undefined && plain !== otherValue) {
      problems.push({
        setting: documented,
        problem: `and ${other} are both set, to different commands: set only one of them (they are two spellings of one setting)`,
      });
    }
    if (plain === undefined && otherValue !== undefined) {
      resolved[documented] = otherValue;
      spelledOtherwise.add(documented);
    }
  }
  return { resolved, spelledOtherwise };
}

/** A setting already reported as invalid gets no second, derived complaint. */
function alreadyNamed(problems: SettingProblem[], setting: string): boolean {
  return problems.some((problem) => problem.setting === setting);
}

/** Set means given a value: `NAME=` in a .env file is the same as not setting NAME. */
function isSet(env: NodeJS.ProcessEnv, name: string): boolean {
  const value = env[name];
  return value !== undefined && value.trim() !== '';
}

/**
 * Which on-call provider the settings select. ONCALL_PROVIDER wins when set; otherwise a
 * schedule file selects the schedule and a PagerDuty token selects PagerDuty. A setting the
 * selected provider never reads is refused, so nobody finds out at /dispatch-engage-oncall.
 */
function selectOncallProvider(settings: SettingsShape, env: NodeJS.ProcessEnv, problems: SettingProblem[]): void {
  const { oncall } = settings;
  const hasFile = isSet(env, 'ONCALL_SCHEDULE_FILE');
  const hasToken = isSet(env, 'PAGERDUTY_API_TOKEN');
  if (!isSet(env, 'ONCALL_PROVIDER')) {
    if (hasFile && hasToken) {
      problems.push({
        setting: 'ONCALL_SCHEDULE_FILE',
        problem:
          'and PAGERDUTY_API_TOKEN are both set, which selects two on-call providers: keep the one you use, or set ONCALL_PROVIDER to schedule or pagerduty',
      });
      return;
    }
    if (hasFile) oncall.provider = 'schedule';
    else if (hasToken) oncall.provider = 'pagerduty';
  }
  const provider = oncall.provider;
  const unused = (setting: string, what: string) =>
    alreadyNamed(problems, setting) ||
    problems.push({ setting, problem: `is set but does nothing: ${what}, and the on-call provider is ${provider} (ONCALL_PROVIDER)` });
  if (hasFile && provider !== 'schedule') unused('ONCALL_SCHEDULE_FILE', 'only the schedule provider reads it');
  if (isSet(env, 'ONCALL_TIMEZONE') && provider !== 'schedule') unused('ONCALL_TIMEZONE', "it is the schedule file's time zone");
  if (provider !== 'pagerduty') {
    for (const setting of ['PAGERDUTY_API_TOKEN', 'PAGERDUTY_API_URL', 'PAGERDUTY_EVENTS_URL']) {
      if (isSet(env, setting)) unused(setting, 'only the PagerDuty provider reads it');
    }
  }
}

/** Prefixes of the app's own settings: an unknown name with one of them is most likely a typo. */
function settingPrefixes(names: string[]): string[] {
  return [...new Set(names.filter((name) => name.includes('_')).map((name) => `${name.split('_')[0]}_`))];
}

/**
 * Settings an earlier version had. An upgrade that still sets one must start (a warning says
 * what replaced it), not be refused as a typo of whatever name happens to be close.
 */
const RETIRED_SETTINGS: Readonly<Record<string, string>> = {
  WORK_MAX_REQUESTS_IN_MEMORY:
    'every command and interaction is bounded after its ack by WORK_MAX_REQUESTS_AFTER_ACK and WORK_MAX_REQUESTS_WAITING_AFTER_ACK (participant lists included)',
};

/**
 * Names in the environment that look like the app's settings but are none: a close match is
 * refused with "did you mean" (the admin meant to set something), anything else is a warning
 * (another program's variable, such as SLACK_BOT_TOKEN, may share the prefix).
 */
function unknownSettingNames(env: NodeJS.ProcessEnv, problems: SettingProblem[], warnings: SettingProblem[]): void {
  const known = settingNames();
  const knownSet = new Set(known);
  const prefixes = settingPrefixes(known);
  for (const name of Object.keys(env).sort()) {
    if (knownSet.has(name) || !prefixes.some((prefix) => name.startsWith(prefix))) continue;
    const retired = RETIRED_SETTINGS[name];
    if (retired) {
      warnings.push({ setting: name, problem: `was removed and does nothing: ${retired}` });
      continue;
    }
    const guess = closest(name, known);
    if (guess) problems.push({ setting: name, problem: `is not a setting of Dispatch for Slack: did you mean ${guess}?` });
    else warnings.push({ setting: name, problem: 'is not a setting of Dispatch for Slack and does nothing' });
  }
}

/** Slash commands named in SLACK_RESTRICTED_COMMANDS must be commands this app serves. */
function checkRestrictedCommands(settings: SettingsShape, problems: SettingProblem[]): void {
  const served = Object.values(settings.commands);
  if (!Array.isArray(settings.slack.restrictedCommands) || alreadyNamed(problems, 'SLACK_RESTRICTED_COMMANDS')) return;
  for (const restricted of settings.slack.restrictedCommands) {
    if (served.includes(restricted)) continue;
    const guess = closest(restricted, served);
    problems.push({
      setting: 'SLACK_RESTRICTED_COMMANDS',
      problem: `is not valid: ${restricted} is not one of this app's commands${guess ? ` (did you mean ${guess}?)` : ''}; they are ${served.join(', ')}`,
    });
  }
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
 * Valid settings worth a warning at boot: one that does nothing here, one that changes who
 * receives what. (Refusing them would be wrong: both are normal while developing.)
 */
export function effectiveWarnings(settings: Settings): SettingProblem[] {
  const warnings: SettingProblem[] = [];
  if (settings.slack.appToken && !settings.slack.socketMode) {
    warnings.push({
      setting: 'SLACK_APP_TOKEN',
      problem: 'is set but does nothing: SLACK_SOCKET_MODE is not true, so the app receives HTTP requests',
    });
  }
  if (settings.slack.userIdOverride) {
    warnings.push({
      setting: 'SLACK_USER_ID_OVERRIDE',
      problem: `is active: every DM, private message and channel invite goes to ${settings.slack.userIdOverride} instead of the people it is meant for (development only)`,
    });
  }
  return warnings;
}

/** Settings that are valid but worth a line at boot: they do nothing, or change who receives what. */
export interface LoadedSettings {
  settings: Settings;
  warnings: SettingProblem[];
}

/**
 * Reads and validates every setting. Throws SettingsError naming every problem at once, so an
 * admin fixes the environment in one round instead of one variable per restart.
 */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  return loadSettingsWithWarnings(env).settings;
}

/** loadSettings, plus the warnings the app logs at boot (see `SettingWarning`). */
export function loadSettingsWithWarnings(env: NodeJS.ProcessEnv = process.env): LoadedSettings {
  registerFormats();
  const problems: SettingProblem[] = [];
  const warnings: SettingProblem[] = [];
  unknownSettingNames(env, problems, warnings);
  const { resolved: resolvedEnv, spelledOtherwise } = resolveAliases(env, problems);
  const config = convict<SettingsShape>(settingsSchema, { env: resolvedEnv, args: [] });
  try {
    config.validate({ allowed: 'strict' });
  } catch (error) {
    const found = convictProblems(error instanceof Error ? error.message : String(error), envNamesByPath(settingsSchema));
    problems.push(
      ...found.map((problem) =>
        spelledOtherwise.has(problem.setting) ? { ...problem, setting: COMMAND_ALIASES[problem.setting] ?? problem.setting } : problem,
      ),
    );
  }
  const settings = config.getProperties();
  selectOncallProvider(settings, env, problems);
  crossChecks(settings, problems);
  checkRestrictedCommands(settings, problems);
  if (problems.length > 0) throw new SettingsError(dedupe(problems));
  if (!settings.slack.apiUrl.endsWith('/')) settings.slack.apiUrl = `${settings.slack.apiUrl}/`;
  return { settings: Object.freeze(settings), warnings: [...warnings, ...effectiveWarnings(settings)] };
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

/**
 * DATABASE_URL alone, validated like loadSettings validates it: for the maintenance commands
 * (npm run migrate, npm run backup), which need no Slack settings.
 */
export function loadDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  registerFormats();
  const config = convict({ database: settingsSchema.database }, { env, args: [] });
  try {
    config.validate({ allowed: 'warn' });
  } catch (error) {
    throw new SettingsError(convictProblems(error instanceof Error ? error.message : String(error), envNamesByPath(settingsSchema)));
  }
  return config.get('database.url');
}
