/**
 * The app as it runs in production (settings from the environment, its own logger writing to
 * stdout, which the bench discards), plus one IPC question: is the work after the acks done?
 */
import { getHeapSpaceStatistics } from 'node:v8';
import { loadSettings } from '../../config';
import { limitHeapGrowth } from '../../server/heapGrowth';
import { startDispatch } from '../../server/startDispatch';
import { serveIpc } from '../ipc';

async function main(): Promise<void> {
  // As app.ts does in production (BENCH_V8_DEFAULT_HEAP=1 keeps V8's own heuristics, to compare).
  if (!process.env.BENCH_V8_DEFAULT_HEAP) limitHeapGrowth();
  const running = await startDispatch({ settings: loadSettings(process.env) });
  serveIpc(
    {
      idle: async ({ timeoutMs }: { timeoutMs: number }) => {
        const started = performance.now();
        const idle = await running.idle(timeoutMs);
        return { idle, waitedMs: performance.now() - started };
      },
      memory: () => process.memoryUsage(),
      // Memory by heap space and what is in flight now: tells heap growth from work held in memory.
      stats: () => ({
        ...process.memoryUsage(),
        ...Object.fromEntries(getHeapSpaceStatistics().map((space) => [space.space_name, space.space_size])),
        ...running.inFlight(),
      }),
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
