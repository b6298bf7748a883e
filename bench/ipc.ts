import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The bench runs the app, the bare Bolt anchor and the fake Slack each in a process of its own,
 * so one's CPU and memory never count as another's. They talk over Node's IPC channel: the
 * parent sends { id, command, args } and the child answers { id, result } or { id, error }.
 */
export interface IpcRequest {
  id: number;
  command: string;
  args: unknown;
}

export interface IpcAnswer {
  id: number;
  result?: unknown;
  error?: string;
}

export interface IpcReady {
  ready: true;
  port: number;
}

type Handler = (args: never) => unknown | Promise<unknown>;

/** In a child: answers the parent's requests with `handlers`, then says it is ready. */
export function serveIpc(handlers: Record<string, Handler>, port: number): void {
  process.on('message', (message: IpcRequest) => {
    const handler = handlers[message.command];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown command ${message.command}`);
        return handler(message.args as never);
      })
      .then(
        (result) => process.send?.({ id: message.id, result } satisfies IpcAnswer),
        (error: unknown) =>
          process.send?.({ id: message.id, error: error instanceof Error ? error.message : String(error) } satisfies IpcAnswer),
      );
  });
  // The parent going away (Ctrl-C, a crash) takes the child with it.
  process.on('disconnect', () => process.exit(0));
  process.send?.({ ready: true, port } satisfies IpcReady);
}

/** A child process the bench started, with its pid for memory figures and a typed request channel. */
export class Child {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(
    readonly name: string,
    readonly process: ChildProcess,
    readonly port: number,
    /** Milliseconds from spawn to the ready message. */
    readonly readyMs: number,
  ) {
    process.on('message', (message: IpcAnswer) => {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.error !== undefined) waiter.reject(new Error(`${name}: ${message.error}`));
      else waiter.resolve(message.result);
    });
  }

  /**
   * Starts `script` (bench/targets/*.ts): compiled JavaScript from `compiledBench()` as in
   * production when BENCH_JS_DIR names it, else the TypeScript through tsx's loader. Either way
   * one node process: its pid is the program's.
   */
  static start(name: string, script: string, env: Record<string, string>, timeoutMs = 30_000): Promise<Child> {
    const started = performance.now();
    // BENCH_CPU_PROF=folder writes a .cpuprofile per process on exit (NODE_OPTIONS refuses --cpu-prof).
    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    const compiled = process.env.BENCH_JS_DIR;
    const program = compiled ? [join(compiled, 'bench', script.replace(/\.ts$/, '.js'))] : ['--import', 'tsx', join(__dirname, script)];
    const child = spawn(process.execPath, [...profile, ...program], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${name} did not start within ${timeoutMs} ms`));
      }, timeoutMs);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited with code ${code} before it was ready`));
      });
      child.once('message', (message: IpcReady) => {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(new Child(name, child, message.port, performance.now() - started));
      });
    });
  }

  request<T>(command: string, args: unknown = {}, timeoutMs = 120_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${command} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.process.send({ id, command, args } satisfies IpcRequest);
    });
  }

  /** Resident memory now, in MB, read from /proc (Linux) so the child need not be asked. */
  rssMb(): number {
    const pid = this.process.pid;
    if (!pid) return Number.NaN;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const match = /VmRSS:\s+(\d+) kB/.exec(status);
      return match ? Number(match[1]) / 1024 : Number.NaN;
    } catch {
      return Number.NaN;
    }
  }

  async stop(timeoutMs = 30_000): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}

/** Samples a child's RSS every `everyMs` until stopped; returns the peak. */
export function watchPeakRss(child: Child, everyMs = 50): { stop(): number } {
  let peak = child.rssMb();
  const timer = setInterval(() => {
    const now = child.rssMb();
    if (now > peak) peak = now;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const now = child.rssMb();
      return Math.max(peak, Number.isNaN(now) ? 0 : now);
    },
  };
}

/**
 * Compiles the app, the targets and the fake Slack to JavaScript (tsconfig.bench.json), so both
 * targets run as `npm start` runs the app: compiled, without tsx's loader in the process (it
 * costs each of them start time and some 40 MB). Sets BENCH_JS_DIR for Child.start.
 */
export function compiledBench(): string {
  const root = join(__dirname, '..');
  const outDir = join(root, '.bench-build');
  const tsc = require.resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.bench.json'), '--outDir', outDir], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('compiling the benchmark (tsc -p tsconfig.bench.json) failed');
  process.env.BENCH_JS_DIR = outDir;
  return outDir;
}
