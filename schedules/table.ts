/**
 * The periodic jobs: Celery's `beat_schedule` from the guide, entry for entry. `npm start` and
 * `npm run schedules -- sync` make Temporal's schedules match this table.
 */
import type { Config } from '../common/config';
import type { ScheduleEntry, ScheduleTable } from './types';

/** Every schedule of the table is `quiz-code/<entry id>`; sync touches nothing else. */
export const SCHEDULE_ID_PREFIX = 'quiz-code/';

export function scheduleTable(config: Config): ScheduleTable {
  const entries: ScheduleEntry[] = [
    {
      // crontab(hour=3, minute=0)
      id: 'cleanup-sessions',
      task: 'cleanupOldSessions',
      args: [],
      cron: '0 3 * * *',
      // Missed while the server was down: still worth doing before the morning.
      catchupWindow: '6h',
    },
    {
      // crontab(minute='*/30')
      id: 'update-cache',
      task: 'updateStatisticsCache',
      args: [],
      cron: '*/30 * * * *',
      // A recompute more than a quarter late is better left to the next one.
      catchupWindow: '15m',
    },
    {
      // crontab(day_of_week=1, hour=9, minute=0)
      id: 'weekly-report',
      task: 'sendWeeklyReport',
      args: [],
      cron: '0 9 * * 1',
      // Monday's report is still wanted on Monday afternoon, not on Tuesday.
      catchupWindow: '12h',
    },
  ];
  if (config.schedules.enableTestTask) {
    entries.push({
      // 'schedule': 10.0, "only for testing"
      id: 'test-task',
      task: 'testPeriodic',
      args: [],
      every: '10s',
      // A missed tick has no value once the next one is due; 10 s is Temporal's minimum.
      catchupWindow: '10s',
    });
  }
  return { idPrefix: SCHEDULE_ID_PREFIX, timezone: config.schedules.timezone, entries };
}
