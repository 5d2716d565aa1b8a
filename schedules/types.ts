/**
 * The shape of the schedule table: Celery's `beat_schedule`, typed. Each entry names a task of
 * the catalogue with arguments the compiler checks against that task's parameters.
 */
import type { ScheduleOverlapPolicy } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { TaskArgs, TaskName } from '../tasks/catalogue';

export type OverlapPolicy = Exclude<ScheduleOverlapPolicy, undefined>;

interface EntryFields {
  /** Stable name (`cleanup-sessions`); the Temporal schedule id is the table's prefix + this. */
  id: string;
  /**
   * Five-field cron strings (minute hour day-of-month month day-of-week) or @daily-style
   * shorthands, as accepted by schedules/cron.ts; several strings mean the union of their times.
   */
  cron?: string | readonly string[];
  /** A plain interval (beat's `'schedule': 10.0`), e.g. '10s' or '30 minutes'. */
  every?: Duration;
  /** IANA zone the cron strings are read in; the table's zone when absent. */
  timezone?: string;
  /** What happens when a run is due while the previous one still runs; SKIP when absent. */
  overlap?: OverlapPolicy;
  /**
   * How late a missed run (server down at the time) may still start. Required: Temporal's
   * default is a whole year, which would replay stale runs after an outage.
   */
  catchupWindow: Duration;
  paused?: boolean;
  /** Shown beside the schedule in the Web UI, e.g. why it is paused. */
  note?: string;
}

export type ScheduleEntryFor<K extends TaskName> = EntryFields & {
  /** The task to run; it runs as that task's own workflow type, like `delay()` starts it. */
  task: K;
  args: TaskArgs<K>;
};

export type ScheduleEntry = { [K in TaskName]: ScheduleEntryFor<K> }[TaskName];

export interface ScheduleTable {
  /**
   * Every schedule of this table has an id starting with this, and sync only ever deletes
   * schedules under it (and carrying its memo mark): other schedules are never touched.
   */
  idPrefix: string;
  /** Zone of entries that name none. */
  timezone: string;
  entries: readonly ScheduleEntry[];
}
