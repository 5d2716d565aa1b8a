/** Text for people: a sync's diff, the list of schedules, one schedule described. */
import type { ScheduleDetails, ScheduleListing } from './manage';
import { syncSummary, type SyncReport } from './sync';

export function formatSyncReport(report: SyncReport): string {
  const lines = report.changes.flatMap((change) => {
    switch (change.kind) {
      case 'create':
        return [`+ ${change.scheduleId}: ${change.shape.when} (${change.shape.timezone}), ${change.shape.state}`];
      case 'update':
        return [
          `~ ${change.scheduleId}`,
          ...change.differences.map(({ field, current, desired }) => `    ${field}: ${current || '(none)'} → ${desired || '(none)'}`),
        ];
      case 'delete':
        return [`- ${change.scheduleId}: ${change.shape.when} (no longer in the table)`];
    }
  });
  return [...lines, syncSummary(report)].join('\n');
}

export function formatListing(listings: readonly ScheduleListing[], timezone: string): string {
  if (listings.length === 0) return 'no schedules';
  const idWidth = Math.max(...listings.map((listing) => listing.scheduleId.length));
  const typeWidth = Math.max(...listings.map((listing) => (listing.workflowType ?? '?').length));
  return listings
    .map((listing) => {
      const state = listing.paused ? `paused${listing.note ? ` (${listing.note})` : ''}` : 'active';
      const next = listing.nextRunTimes.slice(0, 2).map((time) => formatTime(time, timezone)).join(', ') || 'none';
      const owner = listing.owned ? '' : '  [not from the table: sync leaves it alone]';
      return `${listing.scheduleId.padEnd(idWidth)}  ${(listing.workflowType ?? '?').padEnd(typeWidth)}  next: ${next}  ${state}${owner}`;
    })
    .join('\n');
}

export function formatDetails(details: ScheduleDetails): string {
  const zone = details.shape.timezone;
  const { shape } = details;
  return [
    `${details.scheduleId}${details.owned ? '' : '  [not from the table]'}`,
    `  when:      ${shape.when} (${zone})`,
    `  runs:      ${shape.action}`,
    `  input:     ${shape.input}`,
    `  policies:  ${shape.policies}`,
    `  state:     ${shape.state}${shape.note ? ` (${shape.note})` : ''}`,
    `  next runs: ${details.nextRunTimes.slice(0, 3).map((time) => formatTime(time, zone)).join(', ') || 'none'}`,
    `  running:   ${details.runningWorkflowIds.join(', ') || 'nothing'}`,
    `  taken:     ${details.runsTaken} runs, ${details.skippedForOverlap} skipped for overlap, ${details.missedCatchupWindow} missed the catch-up window`,
    ...details.recentRuns.slice(0, 5).map((run) => `  recent:    ${run.workflowId} at ${formatTime(run.takenAt, zone)}`),
  ].join('\n');
}

/** "2026-11-30 03:00:00 Europe/Moscow": wall-clock time in the zone the schedule is read in. */
export function formatTime(time: Date, timezone: string): string {
  return `${time.toLocaleString('sv-SE', { timeZone: timezone })} ${timezone}`;
}
