/**
 * Every task of the system, built with its dependencies. The worker registers this object;
 * workflows and the client see only its type.
 */
import type { Config } from '../common/config';
import type { AppDatabase } from '../db/database';
import { addNumbers } from './add-numbers';
import { emailTasks } from './email';
import { fileTasks } from './files';
import { httpTasks } from './http';
import { imageTasks } from './images';
import type { Mailer } from './mailer';
import { periodicJobs } from './periodic-jobs';
import { processItem } from './process-item';
import { testPeriodic } from './test-periodic';
import { userReportTasks } from './user-report';

export interface TaskDependencies {
  config: Config;
  mailer: Mailer;
  /** The app database: users, quiz attempts, sessions, statistics cache. */
  db: AppDatabase;
}

export function createActivities(deps: TaskDependencies) {
  return {
    addNumbers,
    ...emailTasks(deps),
    ...userReportTasks(deps),
    ...periodicJobs(deps),
    ...httpTasks(deps),
    ...fileTasks(deps),
    ...imageTasks(deps),
    testPeriodic,
    processItem,
  };
}

export type Activities = ReturnType<typeof createActivities>;
