/**
 * Every task can run on its own as a workflow whose type is the task's name, so `addNumbers`
 * started with `delay()` reads as `addNumbers` in the Web UI.
 */
import type { PolicyOverrides, TaskArgs, TaskName, TaskResult } from '../tasks/catalogue';
import { ProgressTracker } from './progress';
import { runTask, usePolicyOverrides } from './task-runner';

export interface TaskWorkflowInput<K extends TaskName> {
  args: TaskArgs<K>;
  policies?: PolicyOverrides;
}

export type TaskWorkflow<K extends TaskName> = (input: TaskWorkflowInput<K>) => Promise<TaskResult<K>>;

export function taskWorkflow<K extends TaskName>(name: K): TaskWorkflow<K> {
  return async ({ args, policies }) => {
    usePolicyOverrides(policies);
    const progress = new ProgressTracker(1);
    return progress.run(() => runTask(name, args)) as Promise<TaskResult<K>>;
  };
}
