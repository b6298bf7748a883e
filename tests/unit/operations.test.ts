import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { settingNames } from '../../config';
import { COMMAND_ALIASES } from '../../config/schema';
import { checkOutput, parseArguments } from '../../scripts/manifest';

/** What an admin reads and runs besides the app: .env.example, engines, the README's commands. */
const ROOT = resolve(__dirname, '../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** Every .ts file of the app (not tests, not dependencies). */
function appSources(folder = ROOT): string[] {
  return readdirSync(folder).flatMap((entry) => {
    if (['node_modules', 'dist', 'tests', '.git', 'coverage', 'data'].includes(entry)) return [];
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) return appSources(path);
    return entry.endsWith('.ts') ? [path] : [];
  });
}

describe('.env.example', () => {
  const lines = read('.env.example').split('\n');
  const alternateSpellings = new Set(Object.values(COMMAND_ALIASES));

  test('names every setting once, each under a one-line comment that says what it does', () => {
    const documented = settingNames().filter((name) => !alternateSpellings.has(name));
    const missing: string[] = [];
    for (const name of documented) {
      const index = lines.findIndex((line) => line === `${name}=${line.slice(name.length + 1)}` || line.startsWith(`# ${name}=`));
      if (index <= 0 || !/^# \S/.test(lines[index - 1]) || /^# [A-Z0-9_]+=/.test(lines[index - 1])) missing.push(name);
    }
    // Regenerate with: npx tsx scripts/envExample.ts --out .env.example
    expect(missing).toEqual([]);
  });

  test('sets only the four required settings; the rest are commented-out defaults', () => {
    expect(Object.keys(parseEnv(read('.env.example'))).sort()).toEqual([
      'SLACK_API_BOT_TOKEN',
      'SLACK_APP_USER_SLUG',
      'SLACK_SIGNING_SECRET',
      'SLACK_WORKSPACE_NAME',
    ]);
  });
});

describe('package.json', () => {
  const manifest = JSON.parse(read('package.json'));

  test('engines asks for the Node.js version the code needs (process.loadEnvFile: 20.12)', () => {
    const usesLoadEnvFile = appSources().some((file) => readFileSync(file, 'utf8').includes('process.loadEnvFile'));
    const match = /^>=\s*(\d+)\.(\d+)/.exec(manifest.engines.node);
    expect(match).not.toBeNull();
    const [major, minor] = [Number(match?.[1]), Number(match?.[2])];
    if (usesLoadEnvFile) expect(major > 20 || (major === 20 && minor >= 12)).toBe(true);
    // And the machine running the tests satisfies it.
    const [runningMajor, runningMinor] = process.versions.node.split('.').map(Number);
    expect(runningMajor > major || (runningMajor === major && runningMinor >= minor)).toBe(true);
  });

  test('the compiled start is built when installing, and maintenance commands exist', () => {
    expect(manifest.scripts.prepare).toBe('npm run build');
    expect(manifest.scripts.migrate).toBeDefined();
    expect(manifest.scripts.backup).toBeDefined();
  });
});

describe("the README's manifest commands", () => {
  const commands = read('README.md')
    .split('\n')
    .filter((line) => /npm run (--silent )?manifest/.test(line));

  test('there are some, and none writes over the tracked manifest.yml with your settings', () => {
    expect(commands.length).toBeGreaterThanOrEqual(2);
    for (const command of commands) {
      expect(command).not.toMatch(/>\s*manifest\.yml/);
      if (/--out[ =]manifest\.yml/.test(command)) expect(command).toContain('--defaults');
    }
    expect(commands.some((command) => /--host \S+ .*--out slack-manifest\.yml/.test(command))).toBe(true);
  });

  test('the manifest command refuses --out manifest.yml (the tracked one) unless --defaults', () => {
    const tracked = join(ROOT, 'manifest.yml');
    expect(() => checkOutput(parseArguments(['--host', 'https://d.example.com', '--out', tracked]), tracked)).toThrow(
      /refusing to write over the tracked manifest\.yml/,
    );
    expect(() => checkOutput(parseArguments(['--defaults', '--out', tracked]), tracked)).not.toThrow();
    expect(() => checkOutput(parseArguments(['--out', join(ROOT, 'slack-manifest.yml')]), tracked)).not.toThrow();
  });
});
