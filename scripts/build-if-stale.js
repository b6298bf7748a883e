#!/usr/bin/env node
/**
 * Runs before `npm start`, `npm run migrate` and `npm run backup`: compiles to dist/ when a
 * source file is newer than the last build (after a `git pull`, say), so a checkout never
 * starts yesterday's code. `npm ci` already built it (the `prepare` step), so this is usually
 * a quick look at file times. In the container there are no sources and nothing to do.
 *
 * Plain JavaScript on purpose: it must run before anything is compiled.
 */
const { existsSync, readdirSync, statSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const built = join(root, 'dist', 'app.js');
const buildConfig = join(root, 'tsconfig.build.json');

/** Newest modification time (ms) of the .ts files under `path`. */
function newestSource(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (stat.isFile()) return path.endsWith('.ts') || path.endsWith('.json') ? stat.mtimeMs : 0;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestSource(join(path, entry)));
  }
  return newest;
}

function main() {
  if (!existsSync(buildConfig)) {
    // A production copy (the container): dist/ is all there is.
    if (existsSync(built)) return 0;
    process.stderr.write('dist/app.js is missing and there are no sources to build it from.\n');
    return 1;
  }
  const { include = [] } = JSON.parse(readFileSync(buildConfig, 'utf8'));
  const sources = Math.max(
    ...include.map((entry) => newestSource(join(root, entry))),
    newestSource(buildConfig),
    newestSource(join(root, 'tsconfig.json')),
  );
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return 0;
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  } catch {
    process.stderr.write('dist/ is out of date and TypeScript is not installed: run `npm ci` (it builds dist/).\n');
    return 1;
  }
  process.stderr.write(existsSync(built) ? 'sources changed since the last build: compiling to dist/\n' : 'compiling to dist/\n');
  const result = spawnSync(process.execPath, [tsc, '-p', buildConfig], { cwd: root, stdio: 'inherit' });
  return result.status ?? 1;
}

process.exit(main());
