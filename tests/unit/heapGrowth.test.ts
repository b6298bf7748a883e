import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { limitHeapGrowth } from '../../server/heapGrowth';

const churn = (limit: boolean): { peak: number; afterFullGc: number } =>
  JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, '../support/heapChurn.ts')], {
      env: { ...process.env, HEAP_CHURN_LIMIT: limit ? '1' : '0' },
      encoding: 'utf8',
      timeout: 60_000,
    }),
  ) as { peak: number; afterFullGc: number };

describe('limitHeapGrowth', () => {
  test('the old generation is collected near what is live instead of growing toward the heap limit', () => {
    const tuned = churn(true);
    const untuned = churn(false);
    // ~60 MB stays live (plus ~15 MB of recent objects at any moment). Measured: tuned ~120 MB at
    // its peak, V8's own heuristics ~340 MB of mostly dead promoted objects.
    expect(tuned.peak).toBeLessThan(tuned.afterFullGc * 2.5);
    expect(tuned.peak).toBeLessThan(untuned.peak * 0.6);
  }, 120_000);

  test('refuses a growing percent that is not a positive integer', () => {
    expect(() => limitHeapGrowth(0)).toThrow('positive integer');
    expect(() => limitHeapGrowth(12.5)).toThrow('positive integer');
  });
});
