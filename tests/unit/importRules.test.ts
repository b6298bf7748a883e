import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The import rules (.dependency-cruiser.js, `npm run lint:imports`) catch what they promise: a
 * small tree laid out like this repository breaks each rule once, on purpose, beside imports
 * that are allowed, and dependency-cruiser must name exactly the broken ones.
 */

const ROOT = join(__dirname, '../..');
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

/** Each file of the throwaway tree and what it imports. */
const FIXTURE: Record<string, string> = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs', moduleResolution: 'node10', strict: true } }),
  'incidents/model.ts': 'export interface Incident { id: number }\n',
  // Allowed: the domain imports itself.
  'incidents/service.ts': "import type { Incident } from './model';\nexport const first = (list: Incident[]) => list[0];\n",
  // Broken: the domain reaches the store, and Slack.
  'incidents/leaky.ts': "import { rows } from '../store/rows';\nimport { App } from '@slack/bolt';\nexport const leak = [rows, App];\n",
  'store/rows.ts': "import type { Incident } from '../incidents/model';\nexport const rows: Incident[] = [];\n",
  'slack/gateway.ts': "import { WebClient } from '@slack/web-api';\nexport const gateway = WebClient;\n",
  // Allowed: a renderer imports the domain's types.
  'slack/blocks/summary.ts':
    "import type { Incident } from '../../incidents/model';\nexport const summary = (incident: Incident) => String(incident.id);\n",
  // Broken: a renderer doing I/O.
  'slack/blocks/fetching.ts':
    "import { gateway } from '../gateway';\nimport { readFileSync } from 'node:fs';\nexport const fetched = [gateway, readFileSync];\n",
  // Allowed: a flow uses the gateway and the domain.
  'flows/report.ts':
    "import { gateway } from '../slack/gateway';\nimport { first } from '../incidents/service';\nexport const report = [gateway, first];\n",
  // Broken: a flow that knows its listener.
  'flows/upward.ts': "import { command } from '../listeners/command';\nexport const upward = command;\n",
  // Allowed: a listener calls a flow. Broken: one that reaches the store and the gateway itself.
  'listeners/command.ts': "import { report } from '../flows/report';\nexport const command = report;\n",
  'listeners/shortcut.ts':
    "import { rows } from '../store/rows';\nimport { gateway } from '../slack/gateway';\nexport const shortcut = [rows, gateway];\n",
  // Allowed: the sandbox starts the app as app.ts does. Broken: one that reaches inside it.
  'server/startDispatch.ts': "export const startDispatch = () => 'running';\n",
  'sandbox/start.ts': "import { startDispatch } from '../server/startDispatch';\nexport const start = startDispatch;\n",
  'sandbox/peek.ts': "import { rows } from '../store/rows';\nexport const peek = rows;\n",
  // Broken: two modules that import each other.
  'oncall/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
  'oncall/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
};

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

/** Runs dependency-cruiser with the repository's rules; `errors` is what `npm run lint:imports` exits with. */
function cruise(tree: Record<string, string>): { errors: number; violations: Violation[]; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'import-rules-'));
  try {
    for (const [path, text] of Object.entries(tree)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    // So @slack/* and node: imports resolve as they do in the repository.
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const result = spawnSync(
      process.execPath,
      [DEPCRUISE, '.', '--config', join(ROOT, '.dependency-cruiser.js'), '--output-type', 'json'],
      {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    const report = JSON.parse(result.stdout) as { summary: { error: number; violations: Violation[] } };
    return { errors: report.summary.error, violations: report.summary.violations, stderr: result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('each import rule, broken on purpose, fails the check; the allowed imports pass', () => {
  const { errors, violations, stderr } = cruise(FIXTURE);
  expect(stderr).toBe('');
  expect(errors).toBe(violations.length);
  // A package resolves into node_modules (through a symlinked node_modules, to wherever that points).
  const target = (path: string) => path.replace(/^.*node_modules\//, 'node_modules/');
  const found = violations.map((violation) => `${violation.rule.name}: ${violation.from} -> ${target(violation.to)}`).sort();
  expect(found).toEqual(
    [
      'domain-is-pure: incidents/leaky.ts -> store/rows.ts',
      'domain-is-pure: incidents/leaky.ts -> node_modules/@slack/bolt/dist/index.js',
      'renderers-do-no-io: slack/blocks/fetching.ts -> slack/gateway.ts',
      'renderers-do-no-io: slack/blocks/fetching.ts -> fs',
      'flows-below-listeners: flows/upward.ts -> listeners/command.ts',
      'listeners-use-flows: listeners/shortcut.ts -> store/rows.ts',
      'listeners-use-flows: listeners/shortcut.ts -> slack/gateway.ts',
      'no-cycles: oncall/a.ts -> oncall/b.ts',
      'sandbox-runs-the-app-unchanged: sandbox/peek.ts -> store/rows.ts',
    ].sort(),
  );
}, 60_000);

test('the same tree without the broken files passes', () => {
  const allowed = Object.fromEntries(
    Object.entries(FIXTURE).filter(([path]) => !/leaky|fetching|upward|shortcut|peek|oncall\//.test(path)),
  );
  const { errors, violations } = cruise(allowed);
  expect(violations).toEqual([]);
  expect(errors).toBe(0);
}, 60_000);
