/**
 * `npm run sandbox [-- --fresh] [-- --demo] [-- --port N]`: the real app against a local Slack
 * workspace in the browser, on 127.0.0.1 only, without any Slack account or token.
 */
import { SettingsError } from '../config';
import { BootError } from '../server/startDispatch';
import { playDemo } from './demo';
import { startSandbox } from './start';

const DEFAULT_PORT = 3100;

interface Flags {
  fresh: boolean;
  demo: boolean;
  port: number;
}

function parseFlags(argv: string[]): Flags {
  const flags: Flags = { fresh: false, demo: false, port: Number(process.env.SANDBOX_PORT ?? DEFAULT_PORT) };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--fresh') flags.fresh = true;
    else if (arg === '--demo') flags.demo = true;
    else if (arg === '--port') flags.port = Number(argv[++i]);
    else if (arg.startsWith('--port=')) flags.port = Number(arg.slice('--port='.length));
    else throw new Error(`Unknown option ${arg}. Use --fresh (start empty), --demo (play an incident) or --port N.`);
  }
  if (!Number.isInteger(flags.port) || flags.port < 0 || flags.port > 65535) throw new Error('--port takes a number from 0 to 65535.');
  return flags;
}

async function main(): Promise<void> {
  const started = Date.now();
  const flags = parseFlags(process.argv.slice(2));
  const sandbox = await startSandbox({ fresh: flags.fresh || flags.demo, port: flags.port }).catch(async (error: unknown) => {
    if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
      process.stdout.write(`Port ${flags.port} is taken; using a free one.\n`);
      return startSandbox({ fresh: flags.fresh || flags.demo, port: 0 });
    }
    throw error;
  });
  process.stdout.write(
    `\nDispatch sandbox is running (started in ${((Date.now() - started) / 1000).toFixed(1)} s).\n` +
      `  Open ${sandbox.url}/ in your browser.\n` +
      '  Local Slack workspace and app on 127.0.0.1 only; incidents are kept in data/sandbox.db (--fresh starts empty).\n' +
      '  Press Ctrl+C to stop.\n\n',
  );
  const stop = (signal: string) => {
    process.stdout.write(`\n${signal}: stopping the sandbox…\n`);
    sandbox.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  if (flags.demo) {
    process.stdout.write('The demo starts in 5 s: open the page and watch #general.\n');
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const demoStarted = Date.now();
    await playDemo(sandbox.people, { say: (line) => process.stdout.write(`  demo: ${line}\n`) });
    process.stdout.write(`The demo took ${((Date.now() - demoStarted) / 1000).toFixed(0)} s.\n`);
  }
}

main().catch((error: unknown) => {
  const message = error instanceof SettingsError || error instanceof BootError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`The sandbox could not start: ${message}\n`);
  process.exit(1);
});
