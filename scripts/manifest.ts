import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadDotEnv, loadSettings, SettingsError } from '../config';
import { buildManifest, PLACEHOLDER_HOST, renderManifestYaml } from '../listeners/manifest';

/**
 * Prints the Slack app manifest for this environment's settings (.env included), so custom
 * command slugs and INCIDENT_OPEN_CHANNELS_PUBLIC are reflected. Runs before the app is
 * configured: the settings Slack only hands out once the app exists get placeholders.
 *
 *   npm run --silent manifest -- --host https://dispatch.example.com --out slack-manifest.yml [--socket-mode]
 *
 * --defaults ignores the environment and .env: that is how the committed manifest.yml is made.
 */

const USAGE =
  'usage: npm run --silent manifest -- [--host https://dispatch.example.com] [--socket-mode] [--defaults] [--out slack-manifest.yml]';

/** Values the manifest does not depend on, for settings not set yet. */
const PLACEHOLDERS: Record<string, string> = {
  SLACK_APP_USER_SLUG: 'A0000000000',
  SLACK_WORKSPACE_NAME: 'your-workspace',
  SLACK_API_BOT_TOKEN: 'xoxb-placeholder',
  SLACK_SIGNING_SECRET: 'placeholder-signing-secret',
  // Socket Mode's app-level token is generated after the app is created from this manifest.
  SLACK_APP_TOKEN: 'xapp-placeholder',
};

export interface ManifestCommandLine {
  host: string;
  socketMode: boolean;
  /** Default settings only: neither the environment nor .env is read. */
  defaults: boolean;
  out?: string;
}

export class UsageError extends Error {}

export function parseArguments(argv: string[]): ManifestCommandLine {
  const parsed: ManifestCommandLine = { host: PLACEHOLDER_HOST, socketMode: false, defaults: false };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    const [flag, inline] = argument.split(/=(.*)/s, 2);
    const value = () => {
      const next = inline ?? argv[++index];
      if (!next) throw new UsageError(`${flag} needs a value\n${USAGE}`);
      return next;
    };
    if (flag === '--host') parsed.host = value();
    else if (flag === '--out' || flag === '-o') parsed.out = value();
    else if (flag === '--socket-mode') parsed.socketMode = true;
    else if (flag === '--defaults') parsed.defaults = true;
    else if (flag === '--help' || flag === '-h') throw new UsageError(USAGE);
    else throw new UsageError(`unknown argument ${argument}\n${USAGE}`);
  }
  if (!/^https?:\/\/[^/\s]+/.test(parsed.host)) {
    throw new UsageError(`--host must be the app's public base URL, such as https://dispatch.example.com\n${USAGE}`);
  }
  return parsed;
}

/** The manifest.yml text for these arguments and this environment. */
export function manifestText(argv: string[], env: NodeJS.ProcessEnv): string {
  const options = parseArguments(argv);
  const withPlaceholders: NodeJS.ProcessEnv = options.defaults ? {} : { ...env };
  for (const [name, placeholder] of Object.entries(PLACEHOLDERS)) {
    if (!withPlaceholders[name]) withPlaceholders[name] = placeholder;
  }
  const settings = loadSettings(withPlaceholders);
  return renderManifestYaml(buildManifest(settings, options.host, options.socketMode ? { socketMode: true } : {}));
}

/** The manifest.yml this repository tracks (made with --defaults; a test compares it). */
function trackedManifest(): string {
  let folder = __dirname;
  while (!existsSync(join(folder, 'package.json')) && dirname(folder) !== folder) folder = dirname(folder);
  return join(folder, 'manifest.yml');
}

/** Refuses to write over the tracked manifest with this environment's settings: it is regenerated with --defaults only. */
export function checkOutput(options: ManifestCommandLine, tracked = trackedManifest()): void {
  if (options.out && !options.defaults && resolve(options.out) === tracked) {
    throw new UsageError(
      'refusing to write over the tracked manifest.yml with your settings: pick a file of your own, e.g. --out slack-manifest.yml\n' +
        '(manifest.yml itself is regenerated with --defaults --out manifest.yml)',
    );
  }
}

function main(): void {
  const argv = process.argv.slice(2);
  try {
    const options = parseArguments(argv);
    checkOutput(options);
    const { out, defaults } = options;
    if (!defaults) loadDotEnv();
    const text = manifestText(argv, process.env);
    if (out) {
      writeFileSync(out, text);
      process.stderr.write(`wrote ${out}\n`);
    } else {
      process.stdout.write(text);
    }
  } catch (error) {
    if (error instanceof SettingsError || error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

if (require.main === module) main();
