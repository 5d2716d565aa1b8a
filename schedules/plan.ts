/**
 * From the table to what Temporal should hold. Every entry is checked first (task, arguments,
 * cron strings, interval, zone, policies) and every problem is reported at once, naming its
 * entry, before anything touches the server.
 */
import { ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import type { TaskClient } from '../client/task-client';
import { parseCron } from './cron';
import { shapeOf, type ScheduleShape } from './shape';
import type { ScheduleEntry, ScheduleTable } from './types';

/**
 * Memo every schedule gets when sync creates it. Memos cannot be changed afterwards, so this
 * mark plus the table's id prefix is what lets sync delete its own schedules and no others.
 */
const OWNER_MEMO = { managedBy: 'quiz-code schedule table' } as const;

/** Sync created it from this table: under the table's id prefix and carrying the owner memo. */
export function isOwnedBy(table: ScheduleTable, scheduleId: string, memo: Record<string, unknown> | undefined): boolean {
  return scheduleId.startsWith(table.idPrefix) && memo?.managedBy === OWNER_MEMO.managedBy;
}

export class ScheduleTableError extends Error {
  override name = 'ScheduleTableError';
  constructor(readonly problems: string[]) {
    super(`the schedule table is not valid, nothing was changed:\n  ${problems.join('\n  ')}`);
  }
}

export interface PlannedSchedule {
  entryId: string;
  scheduleId: string;
  /** What `client.schedule.create` receives. */
  options: ScheduleOptions;
  shape: ScheduleShape;
}

/** What planning needs of the client: where runs go and how a task's input is built and checked. */
export type ScheduleTarget = Pick<TaskClient, 'taskQueue' | 'taskInput'>;

const OVERLAP_POLICIES: readonly string[] = Object.values(ScheduleOverlapPolicy).filter((p) => p !== undefined);
const ENTRY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
// Temporal raises shorter catch-up windows to 10 s and rounds intervals to whole seconds; asking
// for anything else would never read back as asked, and sync would "update" it forever.
const MIN_CATCHUP_WINDOW_MS = 10_000;

/** Throws ScheduleTableError listing every problem; otherwise one plan per entry. */
export function planSchedules(table: ScheduleTable, target: ScheduleTarget): PlannedSchedule[] {
  const problems: string[] = [];
  if (!table.idPrefix) problems.push('idPrefix is empty: sync could not tell its schedules from anyone else\'s');
  const zoneProblem = timezoneProblem(table.timezone);
  if (zoneProblem) problems.push(`table timezone: ${zoneProblem}`);

  const plans: PlannedSchedule[] = [];
  const seen = new Set<string>();
  for (const entry of table.entries) {
    const name = entry.id || '(entry without id)';
    if (seen.has(entry.id)) problems.push(`${name}: the id is used by another entry too`);
    seen.add(entry.id);
    const planned = planEntry(table, entry, target);
    if (Array.isArray(planned)) problems.push(...planned.map((problem) => `${name}: ${problem}`));
    else plans.push(planned);
  }
  if (problems.length) throw new ScheduleTableError(problems);
  return plans;
}

function planEntry(table: ScheduleTable, entry: ScheduleEntry, target: ScheduleTarget): PlannedSchedule | string[] {
  const problems: string[] = [];
  const check = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
      return undefined;
    }
  };

  if (!ENTRY_ID.test(entry.id ?? '')) problems.push('id must start with a letter or digit and hold only letters, digits, ".", "_" and "-"');
  const input = check(() => target.taskInput(entry.task, entry.args as unknown[]));
  const crons = entry.cron === undefined ? [] : typeof entry.cron === 'string' ? [entry.cron] : [...entry.cron];
  const calendars = crons.map((cron) => check(() => parseCron(cron)));
  const everyMs = entry.every === undefined ? undefined : check(() => intervalMs(entry.every!));
  if (crons.length === 0 && entry.every === undefined) problems.push("say when it runs: give `cron` or `every`");
  const timezone = entry.timezone ?? table.timezone;
  const zoneProblem = entry.timezone === undefined ? undefined : timezoneProblem(entry.timezone);
  if (zoneProblem) problems.push(zoneProblem);
  const overlap = entry.overlap ?? 'SKIP';
  if (!OVERLAP_POLICIES.includes(overlap)) problems.push(`overlap "${overlap}" is not one of ${OVERLAP_POLICIES.join(', ')}`);
  const catchupWindowMs = check(() => catchupWindowOf(entry.catchupWindow));
  if (problems.length) return problems;

  const scheduleId = table.idPrefix + entry.id;
  const paused = entry.paused ?? false;
  const note = entry.note ?? '';
  const options: ScheduleOptions = {
    scheduleId,
    spec: {
      cronExpressions: crons.length ? crons.map((cron) => cron.trim()) : undefined,
      intervals: everyMs === undefined ? undefined : [{ every: everyMs }],
      timezone,
    },
    action: {
      type: 'startWorkflow',
      // The task's own single-task workflow, with the input applyAsync would give it.
      workflowType: entry.task,
      taskQueue: target.taskQueue,
      workflowId: scheduleId,
      args: [input],
    },
    policies: { overlap, catchupWindow: catchupWindowMs, pauseOnFailure: false },
    state: { paused, note },
    memo: { ...OWNER_MEMO },
  };
  const shape = shapeOf({
    calendars: calendars.filter((calendar) => calendar !== undefined),
    intervals: everyMs === undefined ? [] : [{ every: everyMs, offset: 0 }],
    extras: [],
    timezone,
    workflowType: entry.task,
    taskQueue: target.taskQueue,
    workflowId: scheduleId,
    args: [input],
    overlap,
    catchupWindowMs: catchupWindowMs!,
    pauseOnFailure: false,
    paused,
    note,
  });
  return { entryId: entry.id, scheduleId, options, shape };
}

function intervalMs(every: Duration): number {
  const ms = durationMs('every', every);
  if (!(ms >= 1000) || ms % 1000 !== 0) throw new Error(`every "${every}" must be a whole number of seconds, 1s or more`);
  return ms;
}

function catchupWindowOf(window: Duration | undefined): number {
  if (window === undefined) {
    throw new Error("set catchupWindow: how late a missed run may still start (Temporal's default is a whole year)");
  }
  const ms = durationMs('catchupWindow', window);
  if (!(ms >= MIN_CATCHUP_WINDOW_MS)) throw new Error(`catchupWindow "${window}" is below Temporal's minimum of 10s`);
  return ms;
}

function durationMs(field: string, value: Duration): number {
  try {
    return msToNumber(value);
  } catch {
    throw new Error(`${field} "${value}" is not a duration: write milliseconds or text such as '10s' or '30 minutes'`);
  }
}

function timezoneProblem(zone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return undefined;
  } catch {
    return `unknown time zone "${zone}": use an IANA name such as UTC or Europe/Moscow`;
  }
}
