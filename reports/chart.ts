import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { IncidentMetrics } from '../incidents/metrics';

/** The chart's size in CSS pixels; the PNG is rendered at twice that for sharp display. */
export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 260;
export const CHART_SCALE = 2;

/** Vega-Lite: incidents per week, stacked by priority (highest on top, in the settings' order). */
export function weeklyChartSpec(metrics: IncidentMetrics): TopLevelSpec {
  const values = metrics.weeks.flatMap((week) =>
    metrics.priorities.map((priority, order) => ({ week: week.weekStart, priority, order, count: week.byPriority[priority] ?? 0 })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    autosize: { type: 'fit', contains: 'padding' },
    background: 'white',
    padding: 12,
    title: { text: 'Incidents per week by priority', anchor: 'start', fontSize: 14 },
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'week', type: 'ordinal', title: 'Week of', axis: { labelAngle: -40 } },
      y: { field: 'count', type: 'quantitative', title: 'Incidents', axis: { tickMinStep: 1 } },
      color: { field: 'priority', type: 'nominal', title: 'Priority', sort: metrics.priorities, scale: { scheme: 'tableau10' } },
      order: { field: 'order', type: 'quantitative' },
      tooltip: [{ field: 'week' }, { field: 'priority' }, { field: 'count' }],
    },
    config: { font: 'sans-serif', view: { stroke: null } },
  };
}

/** SVG text of a Vega-Lite spec, rendered without a browser or a network. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const { spec: vegaSpec } = compile(spec);
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A PNG of the weekly chart: Vega-Lite -> SVG (vega) -> PNG (resvg, with the system's fonts). */
export async function weeklyChartPng(metrics: IncidentMetrics): Promise<Buffer> {
  const svg = await renderSvg(weeklyChartSpec(metrics));
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: CHART_SCALE },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.subarray(1, 4).toString('ascii') !== 'PNG') throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
