export type { ScheduleEntry, ScheduleEntryFor, ScheduleTable, OverlapPolicy } from './types';
export { scheduleTable, SCHEDULE_ID_PREFIX } from './table';
export { CronError, parseCron } from './cron';
export { planSchedules, isOwnedBy, ScheduleTableError, type PlannedSchedule } from './plan';
export { syncSchedules, syncSummary, type SyncChange, type SyncOptions, type SyncReport } from './sync';
export {
  listSchedules,
  describeSchedule,
  triggerSchedule,
  pauseSchedule,
  unpauseSchedule,
  deleteSchedule,
  scheduleIdFor,
  UnknownScheduleError,
  type ScheduleDetails,
  type ScheduleListing,
  type TriggerResult,
} from './manage';
export { formatSyncReport, formatListing, formatDetails, formatTime } from './format';
export { runSchedulesCommand, parseSchedulesCommand, SCHEDULES_USAGE, UsageError } from './command';
export type { ScheduleShape, ShapeDifference } from './shape';
