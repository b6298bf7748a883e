import type { CustomRoute } from '@slack/bolt';
import type { FlowDependencies } from '../flows/dependencies';
import { CHART_PATH_PREFIX, type ChartLinks } from '../reports/chartLinks';

/**
 * The chart renderer, loaded at the first chart asked for: vega and resvg are a fifth of the
 * app's start time and some of its memory, and most replicas never draw a chart.
 */
let chartRenderer: Promise<typeof import('../reports/chart')> | undefined;
const loadChartRenderer = () => {
  chartRenderer ??= import('../reports/chart');
  return chartRenderer;
};

/**
 * GET /charts/<signed token>.png: the Home tab's weekly chart for the person the link was made
 * for, drawn from the current record. A bad or expired link gets 404 (nothing to learn from it).
 */
export function chartRoute(deps: Pick<FlowDependencies, 'metrics' | 'clock' | 'logger'>, links: ChartLinks): CustomRoute {
  return {
    path: `${CHART_PATH_PREFIX}:token`,
    method: ['GET'],
    handler: (request, response) => {
      const token = (request as { params?: Record<string, string> }).params?.token ?? '';
      const check = links.check(token, deps.clock.now());
      if (!check.ok) {
        deps.logger.info('chart link refused', { reason: check.reason });
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      void deps.metrics
        .recentFor(check.grant.userId)
        .then(async (metrics) => (await loadChartRenderer()).weeklyChartPng(metrics))
        .then((png) => {
          response.writeHead(200, {
            'content-type': 'image/png',
            'content-length': String(png.length),
            // Per person and short-lived: no shared cache may keep it.
            'cache-control': 'private, max-age=300',
          });
          response.end(png);
        })
        .catch((error: unknown) => {
          deps.logger.error('chart could not be drawn', { error: error instanceof Error ? error.message : String(error) });
          if (!response.headersSent) response.writeHead(503, { 'content-type': 'text/plain' });
          response.end('chart unavailable');
        });
    },
  };
}
