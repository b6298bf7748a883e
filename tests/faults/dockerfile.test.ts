import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { FakeSlack } from '../support/fakeSlack';
import { type Child, exitWithin, freePort, spawnChild, waitForStatus } from '../support/processes';
import { APP_ID } from '../support/testApp';

/**
 * No image registry is reachable here, so the image is not built. Instead this test reads the
 * Dockerfile and runs its own build and runtime steps in a clean temporary folder, one folder
 * per stage standing in for that stage's filesystem: COPY (honouring .dockerignore), WORKDIR,
 * ENV and every RUN, then the runtime stage's CMD, its HEALTHCHECK command and a SIGTERM.
 * What needs the image itself (apt-get, the base image, USER, paths outside WORKDIR) is skipped
 * by name below, so a new RUN step cannot be skipped silently.
 */
const ROOT = resolve(__dirname, '../..');

/** RUN steps that change the image's system, not the app: they need the base image to run. */
const SYSTEM_STEPS = [
  /^apt-get update && apt-get install -y --no-install-recommends tini\b/,
  /^mkdir -p \/data && chown node:node \/data$/,
];

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  name: string;
  image: string;
  steps: Instruction[];
}

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function instructions(text: string): Instruction[] {
  const joined = text.replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [keyword] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: line.slice(keyword.length).trim() };
    });
}

function stages(text: string): Stage[] {
  const result: Stage[] = [];
  for (const step of instructions(text)) {
    if (step.keyword === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(step.args);
      if (!match) throw new Error(`unreadable FROM: ${step.args}`);
      result.push({ image: match[1], name: match[2] ?? String(result.length), steps: [] });
    } else {
      const current = result.at(-1);
      if (!current) throw new Error(`${step.keyword} before FROM`);
      current.steps.push(step);
    }
  }
  return result;
}

/** .dockerignore patterns as matchers of context-relative paths (Docker's rules, without `!`). */
function ignoreMatchers(text: string): RegExp[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((pattern) => {
      if (pattern.startsWith('!')) throw new Error('this test does not implement ! exceptions in .dockerignore');
      const source = pattern
        .replace(/^\/+|\/+$/g, '')
        .split('')
        .map((char) => (char === '*' ? '[^/]*' : char === '?' ? '[^/]' : /[.+^${}()|[\]\\]/.test(char) ? `\\${char}` : char))
        .join('')
        .replace(/\[\^\/\]\*\[\^\/\]\*/g, '.*');
      return new RegExp(`^${source}(/.*)?$`);
    });
}

/** The JSON exec form ["a", "b"] of CMD, ENTRYPOINT and HEALTHCHECK CMD. */
function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || parsed.some((item) => typeof item !== 'string')) throw new Error(`not an exec form: ${args}`);
  return parsed;
}

function run(command: string, cwd: string, env: Record<string, string>): void {
  const result = spawnSync('sh', ['-c', command], {
    cwd,
    // The npm cache CI's own `npm ci` filled is used without asking the registry again, and
    // node-gyp may use both cores; neither changes what the steps do.
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? cwd,
      npm_config_prefer_offline: 'true',
      JOBS: 'max',
      ...env,
    },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`RUN ${command} exited ${result.status}\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`);
  }
}

describe('the Dockerfile, run step by step in a clean folder', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const parsed = stages(dockerfile);
  let scratch: string;
  let fake: FakeSlack | undefined;
  let app: Child | undefined;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'dispatch-dockerfile-'));
  });
  afterAll(async () => {
    if (app && app.process.exitCode === null) app.process.kill('SIGKILL');
    await fake?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  test('has a build stage and a slim, non-root runtime stage behind an init, with a readiness HEALTHCHECK', () => {
    expect(parsed.map((stage) => stage.name)).toEqual(['build', 'runtime']);
    const runtime = parsed[1];
    const keywords = (stage: Stage, keyword: string) => stage.steps.filter((step) => step.keyword === keyword).map((step) => step.args);
    expect(runtime.image).toMatch(/^node:20[\w.-]*-slim$/);
    expect(keywords(runtime, 'USER')).toEqual(['node']);
    expect(keywords(runtime, 'ENTRYPOINT').map(execForm)).toEqual([['/usr/bin/tini', '--']]);
    expect(keywords(runtime, 'CMD').map(execForm)).toEqual([['node', 'dist/app.js']]);
    expect(keywords(runtime, 'HEALTHCHECK')[0]).toContain('/readyz');
    // Only the build's output and production dependencies reach the runtime stage.
    expect(keywords(runtime, 'COPY').every((args) => args.startsWith('--from=build '))).toBe(true);
    expect(keywords(parsed[0], 'RUN').some((args) => args.startsWith('npm prune --omit=dev'))).toBe(true);
    expect(Number(parsed[0].image.split(':')[1]?.split('-')[0])).toBe(Number(process.versions.node.split('.')[0]));
  });

  test('compose.yaml runs the image with PostgreSQL, waiting for the database to be healthy', () => {
    const compose = parseYaml(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'));
    const { app: service, db } = compose.services;
    expect(service.build).toBe('.');
    expect(service.environment.DATABASE_URL).toMatch(/^postgres:\/\/\w+:\w+@db:5432\/\w+$/);
    expect(service.depends_on.db.condition).toBe('service_healthy');
    expect(service.env_file).toBe('.env');
    expect(db.image).toMatch(/^postgres:\d+/);
    expect(db.healthcheck.test.join(' ')).toContain('pg_isready');
    const credentials = new URL(service.environment.DATABASE_URL);
    expect([credentials.username, credentials.password, credentials.pathname.slice(1)]).toEqual([
      db.environment.POSTGRES_USER,
      db.environment.POSTGRES_PASSWORD,
      db.environment.POSTGRES_DB,
    ]);
  });

  test('its build and runtime steps install, build, prune, start healthy from the runtime files alone, and stop on SIGTERM', async () => {
    const ignored = ignoreMatchers(readFileSync(join(ROOT, '.dockerignore'), 'utf8'));
    const inContext = (source: string) => {
      const path = relative(ROOT, source);
      return path === '' || !ignored.some((pattern) => pattern.test(path));
    };
    const roots = new Map<string, string>();
    const skipped: string[] = [];
    let runtimeEnv: Record<string, string> = {};
    let runtimeDir = '';
    let healthcheck: string[] = [];

    for (const stage of parsed) {
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
          const [name, ...value] = args.split('=');
          env[name] = value.join('=');
        } else if (keyword === 'COPY') {
          const from = /^--from=(\S+)\s+/.exec(args);
          const paths = args.replace(/^--from=\S+\s+/, '').split(/\s+/);
          const target = resolve(workdir, paths.pop() ?? '.');
          for (const source of paths) {
            const origin = from ? join(roots.get(from[1]) ?? '', source) : join(ROOT, source);
            if (!existsSync(origin)) throw new Error(`COPY source ${source} does not exist`);
            const destination = paths.length > 1 || source === '.' ? join(target, source === '.' ? '' : source) : target;
            cpSync(origin, destination, { recursive: true, dereference: true, filter: from ? () => true : inContext });
          }
        } else if (keyword === 'RUN') {
          if (SYSTEM_STEPS.some((pattern) => pattern.test(args))) skipped.push(args);
          else run(args, workdir, env);
        } else if (keyword === 'HEALTHCHECK') {
          healthcheck = execForm(args.slice(args.indexOf('CMD') + 3).trim());
        } else if (!['USER', 'EXPOSE', 'VOLUME', 'STOPSIGNAL', 'ENTRYPOINT', 'CMD', 'ARG', 'LABEL'].includes(keyword)) {
          throw new Error(`this test does not know how to run ${keyword}: teach it, or the Dockerfile is no longer honest`);
        }
      }
      runtimeEnv = env;
      runtimeDir = workdir;
    }
    expect(skipped).toHaveLength(SYSTEM_STEPS.length);

    // The runtime stage holds the build's output and production dependencies only.
    expect(existsSync(join(runtimeDir, 'dist/app.js'))).toBe(true);
    expect(existsSync(join(runtimeDir, 'node_modules/better-sqlite3'))).toBe(true);
    for (const devOnly of ['typescript', 'tsx', 'jest', '@biomejs/biome', 'ts-jest']) {
      expect([devOnly, existsSync(join(runtimeDir, 'node_modules', devOnly, 'package.json'))]).toEqual([devOnly, false]);
    }
    expect(existsSync(join(runtimeDir, 'app.ts'))).toBe(false);

    // Start it as CMD says, with the image's ENV (its /data volume stands in as a temp folder).
    fake = await FakeSlack.start({ appId: APP_ID, botToken: 'xoxb-dockerfile-test-1' });
    const port = await freePort();
    const cmd = execForm(parsed[1].steps.find((step) => step.keyword === 'CMD')?.args ?? '[]');
    const settings = {
      ...runtimeEnv,
      PORT: String(port),
      DATABASE_URL: `sqlite:${join(scratch, 'data', 'dispatch.db')}`,
      SLACK_APP_USER_SLUG: APP_ID,
      SLACK_WORKSPACE_NAME: 'acme',
      SLACK_API_BOT_TOKEN: 'xoxb-dockerfile-test-1',
      SLACK_SIGNING_SECRET: 'dockerfile-signing-secret',
      SLACK_API_URL: fake.apiUrl,
    };
    app = spawnChild(cmd[0], cmd.slice(1), runtimeDir, settings);
    await waitForStatus(app, `http://127.0.0.1:${port}/readyz`, 200, 30_000);

    // The HEALTHCHECK command, as the container runtime would run it.
    const check = spawnSync(healthcheck[0], healthcheck.slice(1), {
      cwd: runtimeDir,
      env: { ...process.env, ...settings },
      encoding: 'utf8',
    });
    expect(check.status).toBe(0);

    app.process.kill('SIGTERM');
    expect(await exitWithin(app, 10_000)).toEqual({ code: 0, signal: null });
    const failing = spawnSync(healthcheck[0], healthcheck.slice(1), {
      cwd: runtimeDir,
      env: { ...process.env, ...settings },
      encoding: 'utf8',
    });
    expect(failing.status).toBe(1);
    // A clean install compiles better-sqlite3: ~2-3 min on an idle 2-core machine, far more on a busy one.
  }, 900_000);
});
