/**
 * Every task of the system, built with its dependencies. The worker registers this object;
 * workflows and the client see only its type.
 */
import type { Config } from '../common/config';
import { addNumbers } from './add-numbers';
import { emailTasks } from './email';
import type { Mailer } from './mailer';

export interface TaskDependencies {
  config: Config;
  mailer: Mailer;
}

export function createActivities(deps: TaskDependencies) {
  return {
    addNumbers,
    ...emailTasks(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
