/**
 * A child process for tests/unit/heapGrowth.test.ts: keeps ~40 MB live and churns objects that
 * live long enough to be promoted (as requests in flight are), then prints the old space's peak
 * and what a full collection leaves, in bytes, as JSON. HEAP_CHURN_LIMIT=1 applies limitHeapGrowth.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { limitHeapGrowth } from '../../server/heapGrowth';

if (process.env.HEAP_CHURN_LIMIT === '1') limitHeapGrowth();
const oldSpace = () => getHeapSpaceStatistics().find((space) => space.space_name === 'old_space')?.space_size ?? 0;

async function main(): Promise<void> {
  const live = Array.from({ length: 20 }, (_, i) => Array.from({ length: 100_000 }, (_, j) => `${i}:${j}`));
  const recent: Array<Array<{ j: number; s: string }>> = [];
  let peak = 0;
  for (let round = 0; round < 400; round += 1) {
    recent.push(Array.from({ length: 20_000 }, (_, j) => ({ j, s: `x${j}` })));
    if (recent.length > 20) recent.shift();
    peak = Math.max(peak, oldSpace());
    await new Promise((resolve) => setImmediate(resolve));
  }
  recent.length = 0;
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  process.stdout.write(JSON.stringify({ peak, afterFullGc: oldSpace(), live: live.length }));
}

void main();
