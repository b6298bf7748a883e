import { loadDotEnv, loadSettingsWithWarnings, SettingsError } from './config';
import { limitHeapGrowth } from './server/heapGrowth';
import { installProcessSafetyNet } from './server/processSafety';
import { BootError, startDispatch } from './server/startDispatch';

/**
 * A supervisor (docker stop, systemd, Kubernetes) waits 10 s after SIGTERM before it kills;
 * past this the process exits on its own, with 1, so the stop is never a silent SIGKILL.
 */
const STOP_DEADLINE_MS = 9_500;

/** Entry point: settings (with .env), then the app; SIGTERM/SIGINT stop it gracefully. */
async function main(): Promise<void> {
  limitHeapGrowth();
  loadDotEnv();
  let running: Awaited<ReturnType<typeof startDispatch>>;
  try {
    const { settings, warnings } = loadSettingsWithWarnings();
    running = await startDispatch({ settings, settingWarnings: warnings });
  } catch (error) {
    if (error instanceof SettingsError || error instanceof BootError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  installProcessSafetyNet(running.deps.logger);
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    // A second signal (an impatient Ctrl-C) must not cut the graceful stop short.
    if (stopping) {
      running.deps.logger.info('already stopping', { signal });
      return;
    }
    stopping = true;
    running.deps.logger.info('shutting down', { signal });
    setTimeout(() => {
      running.deps.logger.error('did not stop in time; exiting', { deadlineMs: STOP_DEADLINE_MS });
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`Dispatch for Slack stopped unexpectedly: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
