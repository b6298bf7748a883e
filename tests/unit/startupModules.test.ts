import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * What a start loads decides how soon the app answers and how much memory it holds idle. The
 * chart renderer (vega, resvg) is loaded at the first chart, and the PostgreSQL driver only for
 * a PostgreSQL URL; a plain import of either would put them back into every start.
 */
describe('what loading the app loads', () => {
  test('the app module graph loads neither the chart renderer nor the PostgreSQL driver', () => {
    const root = join(__dirname, '..', '..');
    const script = `
      require('./server/startDispatch');
      const loaded = Object.keys(require.cache);
      const names = ['vega', 'vega-lite', '@resvg/resvg-js', 'pg'];
      console.log(JSON.stringify(names.filter((name) => loaded.some((file) => file.includes('/node_modules/' + name + '/')))));
    `;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1) ?? 'null')).toEqual([]);
  });
});
