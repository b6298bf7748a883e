import { loadDotEnv, loadSettings, SettingsError } from './config';
import { installProcessSafetyNet } from './server/processSafety';
import { BootError, startDispatch } from './server/startDispatch';

/** Entry point: settings (with .env), then the app; SIGTERM/SIGINT stop it gracefully. */
async function main(): Promise<void> {
  loadDotEnv();
  let running: Awaited<ReturnType<typeof startDispatch>>;
  try {
    running = await startDispatch({ settings: loadSettings() });
  } catch (error) {
    if (error instanceof SettingsError || error instanceof BootError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  installProcessSafetyNet(running.deps.logger);
  const shutdown = (signal: string) => {
    running.deps.logger.info('shutting down', { signal });
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`Dispatch for Slack stopped unexpectedly: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
