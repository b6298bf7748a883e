import type { KnownBlock } from '@slack/types';
import type { DurationStats, GroupDurations, IncidentMetrics } from '../../incidents/metrics';
import type { FollowUp, Incident, Task } from '../../incidents/model';
import type { WorkspaceLinks } from '../links';
import { doneButton } from './followUps';
import { ACTIONS } from './ids';
import { context, escapeText, formatDuration, link, plain, section, truncate } from './text';

export interface MyTask {
  task: Task;
  incident: Incident;
}

export interface MyFollowUp {
  followUp: FollowUp;
  incident: Incident;
  overdue: boolean;
}

function incidentLink(incident: Incident, links: WorkspaceLinks): string {
  return incident.channelId ? link(links.channel(incident.channelId), incident.name) : escapeText(incident.name);
}

/** "My tasks and follow-ups": each open one with its done button, follow-ups (overdue first) before tasks. */
export function myWorkBlocks(tasks: MyTask[], followUps: MyFollowUp[], links: WorkspaceLinks, limit = 20): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: 'header', text: plain('My tasks and follow-ups') }];
  if (tasks.length === 0 && followUps.length === 0) {
    blocks.push(context('Nothing open is assigned to you.'));
    return blocks;
  }
  const ordered = [...followUps].sort((a, b) => Number(b.overdue) - Number(a.overdue));
  for (const { followUp, incident, overdue } of ordered.slice(0, limit)) {
    const due = followUp.dueOn ? (overdue ? `:alarm_clock: *overdue*, was due ${followUp.dueOn}` : `due ${followUp.dueOn}`) : 'no due date';
    blocks.push({
      ...section(`:memo: *Follow-up* of ${incidentLink(incident, links)} (${due})\n${escapeText(truncate(followUp.description, 500))}`),
      block_id: `home_follow_up_${followUp.id}`,
      accessory: doneButton(followUp),
    });
  }
  for (const { task, incident } of tasks.slice(0, Math.max(0, limit - ordered.length))) {
    blocks.push({
      ...section(`:clipboard: *Task* of ${incidentLink(incident, links)}\n${escapeText(truncate(task.description, 500))}`),
      block_id: `home_task_${task.id}`,
      accessory: { type: 'button', text: plain('Resolve'), action_id: ACTIONS.homeTaskDone, value: String(task.id), style: 'primary' },
    });
  }
  const hidden = tasks.length + followUps.length - limit;
  if (hidden > 0) blocks.push(context(`${hidden} more not shown.`));
  return blocks;
}

const span = (ms: number | null): string => (ms === null ? '–' : formatDuration(ms));

function statsText(stats: DurationStats): string {
  return stats.count === 0 ? '–' : `${span(stats.medianMs)} / ${span(stats.p90Ms)}`;
}

/** A fixed-width table in a code block: columns padded to their widest cell. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
      .join('  ')
      .trimEnd();
  return ['```', line(header), ...rows.map(line), '```'].join('\n');
}

function durationTable(title: string, groups: GroupDurations[]): string {
  const rows = groups
    .filter((group) => group.incidents > 0)
    .map((group) => [group.key, String(group.incidents), statsText(group.toStable), statsText(group.toClose)]);
  if (rows.length === 0) return `*${title}*: no incidents.`;
  return `*${title}*\n${textTable(['', 'incidents', 'to stable (median / p90)', 'to close (median / p90)'], rows)}`;
}

/** The weekly counts as a table: one row per week, one column per priority. */
export function weeklyTable(metrics: IncidentMetrics): string {
  return textTable(
    ['week of', ...metrics.priorities, 'all'],
    metrics.weeks.map((week) => [
      week.weekStart.slice(5),
      ...metrics.priorities.map((priority) => String(week.byPriority[priority] ?? 0)),
      String(week.total),
    ]),
  );
}

/**
 * The metrics section: the weekly chart as an image when the app has a public URL for Slack to
 * fetch it from, the same numbers as a table otherwise; then the durations and overdue follow-ups.
 */
export function metricsBlocks(metrics: IncidentMetrics, chartUrl: string | null): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: 'header', text: plain('Metrics, last 12 weeks') }];
  const summary = `${metrics.incidents} incident${metrics.incidents === 1 ? '' : 's'} reported since ${metrics.since.toISOString().slice(0, 10)}. Open follow-ups overdue: *${metrics.overdueFollowUps}*.`;
  blocks.push(section(summary));
  if (chartUrl) {
    blocks.push({
      type: 'image',
      image_url: chartUrl,
      alt_text: `Incidents per week by priority: ${metrics.weeks.map((week) => week.total).join(', ')}`,
    });
  } else {
    blocks.push(section(`*Incidents per week by priority*\n${weeklyTable(metrics)}`));
  }
  blocks.push(section(durationTable('By priority', metrics.byPriority)));
  blocks.push(section(durationTable('By type', metrics.byType)));
  blocks.push(context('Times from report. Restricted incidents count only if you take part in them.'));
  return blocks;
}
