import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { FakeSlack } from '../support/fakeSlack';
import { type Child, exitWithin, freePort, isAlive, spawnChild } from '../support/processes';
import { APP_ID } from '../support/testApp';

/**
 * No image registry (and no Docker daemon) is reachable here, so the image is not built. This
 * test reads the Dockerfile and replays its own steps instead, one clean temporary folder per
 * stage standing in for that stage's filesystem:
 *
 * - the build context is the project's tracked files (`git ls-files`) minus what .dockerignore
 *   excludes, so a file the build needs but the context leaves out fails here as it would in
 *   `docker build`;
 * - the build stage's WORKDIR, COPY and RUN steps run in order (the clean `npm ci`, the native
 *   rebuild of better-sqlite3, the compile, the production-only prune);
 * - the runtime stage gets only what its `COPY --from=build` lines copy, its ENV, and its VOLUME
 *   folders; its CMD is started against a fake Slack, its HEALTHCHECK command is polled until it
 *   passes, and SIGTERM must stop it with exit 0 within 10 s.
 *
 * What needs the base image itself is skipped, and only by name (SYSTEM_STEPS), so a new RUN
 * step can never be skipped silently: installing tini with apt-get, and `mkdir /data && chown`
 * (an absolute path and another user). Without tini on this machine, CMD runs directly instead
 * of behind ENTRYPOINT; USER, EXPOSE and STOPSIGNAL are checked by reading them, not enforced.
 */
const ROOT = resolve(__dirname, '../..');

/** RUN steps that change the image's system, not the app: they need the base image (and root) to run. */
const SYSTEM_STEPS = [
  /^apt-get update && apt-get install -y --no-install-recommends tini\b/,
  /^mkdir -p \/data && chown node:node \/data$/,
];

/** Instructions that only describe the image; they have nothing to replay. */
const DESCRIPTIVE = new Set(['USER', 'EXPOSE', 'STOPSIGNAL', 'ENTRYPOINT', 'CMD', 'LABEL', 'ARG', 'HEALTHCHECK']);

/** On a busy 2-core machine the clean install and compile of a step can take minutes. */
const STEP_TIMEOUT_MS = 360_000;
const TINI = '/usr/bin/tini';

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  name: string;
  image: string;
  steps: Instruction[];
}

/** Dockerfile instructions, continuation lines joined, comments and blank lines dropped. */
function instructions(text: string): Instruction[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [keyword] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: line.slice(keyword.length).trim() };
    });
}

function stagesOf(text: string): Stage[] {
  const result: Stage[] = [];
  for (const step of instructions(text)) {
    if (step.keyword === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(step.args);
      if (!match) throw new Error(`unreadable FROM: ${step.args}`);
      result.push({ image: match[1], name: match[2] ?? String(result.length), steps: [] });
      continue;
    }
    const current = result.at(-1);
    if (!current) throw new Error(`${step.keyword} before FROM`);
    current.steps.push(step);
  }
  return result;
}

function argsOf(stage: Stage, keyword: string): string[] {
  return stage.steps.filter((step) => step.keyword === keyword).map((step) => step.args);
}

/** The JSON exec form ["a", "b"] of CMD, ENTRYPOINT and HEALTHCHECK CMD. */
function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || parsed.some((item) => typeof item !== 'string')) throw new Error(`not an exec form: ${args}`);
  return parsed as string[];
}

/** HEALTHCHECK [--option=value ...] CMD [...]: its options and its command. */
function healthcheckOf(args: string): { options: Record<string, string>; command: string[] } {
  const at = args.indexOf('CMD');
  if (at < 0) throw new Error(`HEALTHCHECK without CMD: ${args}`);
  const options: Record<string, string> = {};
  for (const option of args.slice(0, at).trim().split(/\s+/).filter(Boolean)) {
    const match = /^--([\w-]+)=(\S+)$/.exec(option);
    if (!match) throw new Error(`unreadable HEALTHCHECK option: ${option}`);
    options[match[1]] = match[2];
  }
  return { options, command: execForm(args.slice(at + 3).trim()) };
}

/** ENV NAME=value [NAME=value ...] (values without spaces, as this Dockerfile writes them). */
function envOf(args: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of args.split(/\s+/)) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`this test reads ENV only as NAME=value: ${args}`);
    result[pair.slice(0, at)] = pair.slice(at + 1).replace(/^"(.*)"$/, '$1');
  }
  return result;
}

/** Docker's duration syntax as HEALTHCHECK uses it: 5s, 1m30s, 500ms. */
function durationMs(text: string): number {
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(amount) * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'];
  }
  return total;
}

/**
 * .dockerignore as Docker reads it: patterns relative to the context root (`*.db` is top level
 * only), `**` for any number of folders, a matched folder excludes what is inside it, and a
 * later `!pattern` lets back in what an earlier one excluded.
 */
function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const pattern = posix.normalize((negated ? line.slice(1) : line).trim()).replace(/^\/+|\/+$/g, '');
      let source = '';
      for (let index = 0; index < pattern.length; index++) {
        const char = pattern[index];
        if (pattern.startsWith('**/', index)) {
          source += '(?:.*/)?';
          index += 2;
        } else if (pattern.startsWith('**', index)) {
          source += '.*';
          index += 1;
        } else if (char === '*') source += '[^/]*';
        else if (char === '?') source += '[^/]';
        else source += /[.+^${}()|[\]\\]/.test(char) ? `\\${char}` : char;
      }
      return { negated, pattern: new RegExp(`^${source}(?:/.*)?$`) };
    });
  return (path) => {
    let excluded = false;
    for (const rule of rules) if (rule.pattern.test(path)) excluded = !rule.negated;
    return excluded;
  };
}

/**
 * The build context: the tracked files (as they are in the working tree, so what a clean clone
 * would send) that .dockerignore lets through. Outside a git checkout, every file that
 * .dockerignore lets through, as `docker build` itself would see the folder.
 */
function buildContext(): string[] {
  const excluded = dockerignore(readFileSync(join(ROOT, '.dockerignore'), 'utf8'));
  const listed = spawnSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const candidates = listed.status === 0 ? listed.stdout.split('\0').filter(Boolean) : walk('', excluded);
  return candidates.filter((path) => !excluded(path) && existsSync(join(ROOT, path)) && statSync(join(ROOT, path)).isFile());
}

/** Files under ROOT/`folder`, not descending into what .dockerignore excludes. */
function walk(folder: string, excluded: (path: string) => boolean): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = folder ? `${folder}/${entry.name}` : entry.name;
    if (excluded(path)) return [];
    return entry.isDirectory() ? walk(path, excluded) : [path];
  });
}

/** COPY from the build context: each source is a file or a folder of the context; `.` is all of it. */
function copyFromContext(context: string[], sources: string[], target: string, workdir: string): void {
  const destination = resolve(workdir, target);
  const intoFolder = target.endsWith('/') || target === '.' || sources.length > 1;
  for (const source of sources) {
    const prefix = posix.normalize(source).replace(/\/+$/, '');
    if (prefix === '.') {
      for (const path of context) copyFile(join(ROOT, path), join(destination, path));
      continue;
    }
    if (context.includes(prefix)) {
      copyFile(join(ROOT, prefix), intoFolder ? join(destination, posix.basename(prefix)) : destination);
      continue;
    }
    const inside = context.filter((path) => path.startsWith(`${prefix}/`));
    if (inside.length === 0) throw new Error(`COPY ${source}: not in the build context (missing, or excluded by .dockerignore)`);
    for (const path of inside) copyFile(join(ROOT, path), join(destination, path.slice(prefix.length + 1)));
  }
}

function copyFile(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

interface StepResult {
  step: string;
  ms: number;
}

/** One RUN step, as `/bin/sh -c` in the stage's folder, with the stage's ENV. */
function runStep(command: string, cwd: string, env: Record<string, string>): Promise<StepResult> {
  const started = Date.now();
  return new Promise((resolveStep, reject) => {
    const child = spawn('sh', ['-c', command], {
      cwd,
      detached: true,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? cwd,
        // The npm cache that installed this checkout serves the clean install without asking the
        // registry again, and node-gyp may use every core; neither changes what the steps build.
        npm_config_prefer_offline: 'true',
        npm_config_update_notifier: 'false',
        JOBS: 'max',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-8_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, STEP_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolveStep({ step: command, ms: Date.now() - started });
      else reject(new Error(`RUN ${command} failed (${signal ?? `exit ${code}`}) after ${Date.now() - started} ms\n${output}`));
    });
  });
}

/** Runs the HEALTHCHECK command once, as the container runtime does: exit 0 is healthy. */
function healthcheck(command: string[], cwd: string, env: Record<string, string>, timeoutMs: number): Promise<number | null> {
  return new Promise((resolveCheck) => {
    const child = spawn(command[0], command.slice(1), { cwd, env, stdio: 'ignore', timeout: timeoutMs });
    child.on('close', (code) => resolveCheck(code));
    child.on('error', () => resolveCheck(null));
  });
}

/** The names directly in `folder`, sorted. */
function topLevel(folder: string): string[] {
  return readdirSync(folder).sort();
}

describe('the Dockerfile, replayed step by step in clean folders', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const stages = stagesOf(dockerfile);
  const [build, runtime] = stages;

  test('has a build stage and a slim, non-root runtime stage behind an init, with a readiness HEALTHCHECK', () => {
    expect(stages.map((stage) => stage.name)).toEqual(['build', 'runtime']);
    expect(runtime.image).toMatch(/^node:\d+[\w.-]*-slim$/);
    // The images' Node matches the one this project is developed and tested on.
    expect(Number(build.image.split(':')[1]?.split('-')[0])).toBe(Number(process.versions.node.split('.')[0]));
    expect(runtime.image.split(':')[1]?.split('-')[0]).toBe(build.image.split(':')[1]?.split('-')[0]);
    expect(argsOf(runtime, 'USER')).toEqual(['node']);
    expect(argsOf(runtime, 'ENTRYPOINT').map(execForm)).toEqual([[TINI, '--']]);
    expect(argsOf(runtime, 'CMD').map(execForm)).toEqual([['node', 'dist/app.js']]);
    expect(argsOf(runtime, 'STOPSIGNAL')).toEqual(['SIGTERM']);
    const [check] = argsOf(runtime, 'HEALTHCHECK').map(healthcheckOf);
    expect(check.command.join(' ')).toContain('/readyz');
    // Only the build's output reaches the runtime stage, and the build drops dev dependencies first.
    expect(argsOf(runtime, 'COPY').length).toBeGreaterThan(0);
    expect(argsOf(runtime, 'COPY').every((args) => args.startsWith('--from=build '))).toBe(true);
    expect(argsOf(build, 'RUN').some((args) => /^npm prune --omit=dev\b/.test(args))).toBe(true);
    // Every RUN the replay below skips is one of the system steps named at the top.
    const skipped = stages.flatMap((stage) => argsOf(stage, 'RUN')).filter((args) => SYSTEM_STEPS.some((step) => step.test(args)));
    expect(skipped).toHaveLength(SYSTEM_STEPS.length);
  });

  test('compose.yaml runs the image with PostgreSQL, waiting for the database to be healthy', () => {
    const compose = parseYaml(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'));
    const { app: service, db } = compose.services;
    expect(service.build).toBe('.');
    expect(service.env_file).toBe('.env');
    expect(service.environment.DATABASE_URL).toMatch(/^postgres:\/\/\w+:\w+@db:5432\/\w+$/);
    expect(service.depends_on.db.condition).toBe('service_healthy');
    expect(db.image).toMatch(/^postgres:\d+/);
    expect(db.healthcheck.test.join(' ')).toContain('pg_isready');
    const credentials = new URL(service.environment.DATABASE_URL);
    expect([credentials.username, credentials.password, credentials.pathname.slice(1)]).toEqual([
      db.environment.POSTGRES_USER,
      db.environment.POSTGRES_PASSWORD,
      db.environment.POSTGRES_DB,
    ]);
  });

  test('.dockerignore is read as Docker reads it', () => {
    const excluded = dockerignore('node_modules\n*.db\ndocs/**/*.png\n!docs/keep.png\ntests/\n');
    expect(excluded('node_modules/x/index.js')).toBe(true);
    expect(excluded('dispatch.db')).toBe(true);
    expect(excluded('data/dispatch.db')).toBe(false);
    expect(excluded('docs/a/b/chart.png')).toBe(true);
    expect(excluded('docs/chart.png')).toBe(true);
    expect(excluded('docs/keep.png')).toBe(false);
    expect(excluded('tests/unit/x.test.ts')).toBe(true);
    expect(excluded('server/tests.ts')).toBe(false);
  });

  describe('its steps, run in a clean folder per stage', () => {
    let scratch: string;
    let fake: FakeSlack | undefined;
    let app: Child | undefined;

    beforeAll(() => {
      scratch = mkdtempSync(join(tmpdir(), 'dispatch-dockerfile-'));
    });
    afterAll(async () => {
      const pid = app?.process.pid;
      if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL');
      await app?.exited;
      await fake?.stop();
      rmSync(scratch, { recursive: true, force: true });
    });

    const tini = existsSync(TINI);
    test(`install, build and prune; the runtime stage's files alone start healthy and stop on SIGTERM with exit 0 (apt-get and /data chown skipped${tini ? '' : '; no tini here, so CMD runs without ENTRYPOINT'})`, async () => {
      const context = buildContext();
      expect(context).toContain('package-lock.json');
      expect(context.some((path) => path.startsWith('tests/') || path.startsWith('node_modules/'))).toBe(false);

      const roots = new Map<string, string>();
      const skipped: string[] = [];
      const timings: StepResult[] = [];
      const stageEnv = new Map<string, Record<string, string>>();
      const stageWorkdir = new Map<string, string>();
      const volumes: string[] = [];

      for (const stage of stages) {
        const root = join(scratch, stage.name);
        mkdirSync(root, { recursive: true });
        roots.set(stage.name, root);
        let workdir = root;
        const env: Record<string, string> = {};
        for (const { keyword, args } of stage.steps) {
          if (keyword === 'WORKDIR') {
            workdir = join(root, args);
            mkdirSync(workdir, { recursive: true });
          } else if (keyword === 'ENV') {
            Object.assign(env, envOf(args));
          } else if (keyword === 'COPY') {
            const from = /^--from=(\S+)\s+/.exec(args);
            const paths = args.replace(/^--from=\S+\s+/, '').split(/\s+/);
            const target = paths.pop() ?? '.';
            if (!from) {
              copyFromContext(context, paths, target, workdir);
              continue;
            }
            const fromRoot = roots.get(from[1]);
            if (!fromRoot) throw new Error(`COPY --from=${from[1]}: no such stage before this one`);
            for (const source of paths) {
              const origin = join(fromRoot, source.startsWith('/') ? source : join(stageWorkdir.get(from[1]) ?? '', source));
              if (!existsSync(origin)) throw new Error(`COPY --from=${from[1]} ${source}: the build stage did not make it`);
              const destination = target.endsWith('/') ? join(resolve(workdir, target), posix.basename(source)) : resolve(workdir, target);
              cpSync(origin, destination, { recursive: true, verbatimSymlinks: true });
            }
          } else if (keyword === 'RUN') {
            if (SYSTEM_STEPS.some((step) => step.test(args))) skipped.push(args);
            else timings.push(await runStep(args, workdir, env));
          } else if (keyword === 'VOLUME') {
            // A volume is a folder the container writes to; here it is a folder in the stage's root.
            for (const path of args.startsWith('[') ? execForm(args) : args.split(/\s+/)) {
              mkdirSync(join(root, path), { recursive: true });
              volumes.push(join(root, path));
            }
          } else if (!DESCRIPTIVE.has(keyword)) {
            throw new Error(`this test does not know how to replay ${keyword}: teach it, or the Dockerfile is no longer checked`);
          }
        }
        stageEnv.set(stage.name, env);
        stageWorkdir.set(stage.name, workdir.slice(root.length) || '/');
      }
      expect(skipped).toHaveLength(SYSTEM_STEPS.length);

      // The runtime stage holds the build's output and production dependencies, nothing else.
      const runtimeRoot = roots.get('runtime') ?? '';
      const runtimeDir = join(runtimeRoot, stageWorkdir.get('runtime') ?? '');
      expect(topLevel(runtimeDir)).toEqual(['dist', 'node_modules', 'package.json']);
      expect(existsSync(join(runtimeDir, 'dist/app.js'))).toBe(true);
      expect(existsSync(join(runtimeDir, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
      // No development dependency (any package the lockfile marks dev-only) is installed.
      const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
        packages: Record<string, { dev?: boolean }>;
      };
      const devOnly = Object.entries(lock.packages)
        .filter(([path, entry]) => path.startsWith('node_modules/') && entry.dev === true)
        .map(([path]) => path);
      expect(devOnly).toEqual(expect.arrayContaining(['node_modules/typescript', 'node_modules/jest', 'node_modules/tsx']));
      expect(devOnly.filter((path) => existsSync(join(runtimeDir, path)))).toEqual([]);

      // Start it as CMD says, with the image's ENV. The database stays where DATABASE_URL puts it,
      // inside the VOLUME (here under the stage's folder); PORT is a free one, as the container's
      // own network would have 3000 free.
      const env = stageEnv.get('runtime') ?? {};
      expect(env.DATABASE_URL).toMatch(/^sqlite:\//);
      const database = join(runtimeRoot, env.DATABASE_URL.slice('sqlite:'.length));
      expect(volumes.some((volume) => database.startsWith(`${volume}/`))).toBe(true);
      const botToken = 'xoxb-dockerfile-test-1';
      fake = await FakeSlack.start({ appId: APP_ID, botToken });
      const settings: Record<string, string> = {
        ...env,
        PORT: String(await freePort()),
        DATABASE_URL: `sqlite:${database}`,
        SLACK_APP_USER_SLUG: APP_ID,
        SLACK_WORKSPACE_NAME: 'acme',
        SLACK_API_BOT_TOKEN: botToken,
        SLACK_SIGNING_SECRET: 'dockerfile-signing-secret',
        SLACK_API_URL: fake.apiUrl,
      };
      const cmd = execForm(argsOf(runtime, 'CMD')[0]);
      const entrypoint = tini ? execForm(argsOf(runtime, 'ENTRYPOINT')[0] ?? '[]') : [];
      const command = [...entrypoint, ...cmd];
      const started = Date.now();
      const running = spawnChild(command[0], command.slice(1), runtimeDir, settings);
      app = running;

      // The HEALTHCHECK command, as the container runtime runs it, until it passes (polled more
      // often than its interval; each run within its timeout).
      const check = healthcheckOf(argsOf(runtime, 'HEALTHCHECK')[0]);
      const checkEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: runtimeDir, ...settings };
      const checkTimeoutMs = durationMs(check.options.timeout ?? '30s');
      const deadline = started + 60_000;
      let healthy = false;
      while (!healthy && Date.now() < deadline && running.process.exitCode === null) {
        healthy = (await healthcheck(check.command, runtimeDir, checkEnv, checkTimeoutMs)) === 0;
        if (!healthy) await new Promise((wait) => setTimeout(wait, 250));
      }
      if (!healthy) throw new Error(`the HEALTHCHECK never passed\nstdout:\n${running.stdout()}\nstderr:\n${running.stderr()}`);
      const readyMs = Date.now() - started;
      // Healthy within the start period the HEALTHCHECK gives it.
      expect(readyMs).toBeLessThan(durationMs(check.options['start-period'] ?? '0s') || 60_000);
      const readyz = await fetch(`http://127.0.0.1:${settings.PORT}/readyz`);
      expect(readyz.status).toBe(200);
      expect(existsSync(database)).toBe(true);

      const signalled = Date.now();
      running.process.kill('SIGTERM');
      expect(await exitWithin(running, 10_000)).toEqual({ code: 0, signal: null });
      const stopMs = Date.now() - signalled;
      expect(running.stdout()).toContain('dispatch for slack stopped');
      expect(await healthcheck(check.command, runtimeDir, checkEnv, checkTimeoutMs)).toBe(1);

      const figures = [...timings.map(({ step, ms }) => `${(ms / 1000).toFixed(1)} s  RUN ${step}`)];
      figures.push(`${(readyMs / 1000).toFixed(1)} s  CMD to a passing HEALTHCHECK`, `${(stopMs / 1000).toFixed(1)} s  SIGTERM to exit 0`);
      process.stderr.write(`Dockerfile replay:\n  ${figures.join('\n  ')}\n`);
    }, 480_000);
  });
});
