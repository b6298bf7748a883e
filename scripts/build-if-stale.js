#!/usr/bin/env node
/**
 * Runs before `npm start`, `npm run migrate` and `npm run backup`: compiles to dist/ when a
 * source file is newer than the last build (after a `git pull`, say), so a checkout never
 * starts yesterday's code. `npm ci` already built it (the `prepare` step), so this is usually
 * a quick look at file times. In the container there are no sources and nothing to do.
 *
 * Plain JavaScript on purpose: it must run before anything is compiled.
 */
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const built = join(root, 'dist', 'app.js');
const buildConfig = join(root, 'tsconfig.build.json');

/** Folders that are never part of the build (tests and benchmarks are run by jest and tsx). */
const NOT_BUILT = new Set(['node_modules', 'dist', 'tests', 'bench', 'docs', 'data', 'coverage', '.git', '.ci']);

/** Newest modification time (ms) of the .ts and tsconfig files under `path`. */
function newestSource(path) {
  const stat = statSync(path);
  if (stat.isFile()) return path.endsWith('.ts') || /tsconfig.*\.json$/.test(path) ? stat.mtimeMs : 0;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (NOT_BUILT.has(entry)) continue;
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
  // Every folder, not only tsconfig's `include`: a folder reached only through imports is compiled too.
  const sources = newestSource(root);
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
