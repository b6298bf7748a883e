/**
 * The app as it runs in production (settings from the environment, its own logger writing to
 * stdout, which the bench discards), plus one IPC question: is the work after the acks done?
 */
import { loadSettings } from '../../config';
import { startDispatch } from '../../server/startDispatch';
import { serveIpc } from '../ipc';

async function main(): Promise<void> {
  const running = await startDispatch({ settings: loadSettings(process.env) });
  serveIpc(
    {
      idle: async ({ timeoutMs }: { timeoutMs: number }) => {
        const started = performance.now();
        const idle = await running.idle(timeoutMs);
        return { idle, waitedMs: performance.now() - started };
      },
      memory: () => process.memoryUsage(),
      // The whole process's CPU (all threads), in microseconds: per request, less sensitive to other load than throughput.
      cpu: () => process.cpuUsage(),
    },
    running.port ?? 0,
  );
  process.on('SIGTERM', () => {
    void running.stop().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
