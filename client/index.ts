export { createTaskClient, TaskClient, type ApplyOptions, type Task, type Tasks, type TaskClientOptions } from './task-client';
export { TaskHandle, type ResultOptions } from './handle';
export { chain, chord, group, checkCanvas, type Canvas, type Group, type NoParent, type Signature } from './canvas';
export type { CanvasNode } from '../workflows/canvas';
export { TaskFailedError, TaskRequestError, TaskRevokedError, TaskTimeoutError } from './errors';
export type { Progress, TaskState } from '../workflows/progress';
export type { TaskName, TaskArgs, TaskResult, PolicyOverrides } from '../tasks/catalogue';
