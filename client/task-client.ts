/**
 * What app code uses instead of Celery's `task.delay()`: a typed entry per task of the catalogue.
 *
 *   const quiz = await createTaskClient();
 *   const handle = await quiz.tasks.addNumbers.delay(4, 5);
 *   await handle.result(); // 9
 */
import { randomUUID } from 'node:crypto';
import { Client, WorkflowExecutionAlreadyStartedError, type ConnectionLike } from '@temporalio/client';
import { loadConfig, type Config } from '../common/config';
import { connectClient } from '../common/temporal-connection';
import { dataConverterFor } from '../codec';
import { taskNames, type PolicyOverrides, type TaskArgs, type TaskName, type TaskResult } from '../tasks/catalogue';
import type { TaskWorkflowInput } from '../workflows/single-task';
import type { CanvasInput } from '../workflows/canvas';
import { checkCanvas, signatureFactory, type SignatureFactory } from './canvas';
import { checkTaskArgs } from './check-arguments';
import { TaskRequestError } from './errors';
import { TaskHandle } from './handle';

export interface ApplyOptions {
  /** Seconds from now before the task may start (Celery's `countdown`). */
  countdown?: number;
  /** Earliest start time (Celery's `eta`). */
  eta?: Date;
  /**
   * The execution's id (Celery's `task_id`); random when absent. Starting again with an id that
   * is running or has succeeded returns that execution instead of running the task twice.
   */
  taskId?: string;
}

/** One task: start it now (`delay`, `applyAsync`) or compose it (`s`, `si`; see client/canvas.ts). */
export interface Task<K extends TaskName> extends SignatureFactory<K> {
  readonly name: K;
  delay(...args: TaskArgs<K>): Promise<TaskHandle<TaskResult<K>>>;
  applyAsync(args: TaskArgs<K>, options?: ApplyOptions): Promise<TaskHandle<TaskResult<K>>>;
}

export type Tasks = { readonly [K in TaskName]: Task<K> };

export interface TaskClientOptions {
  config?: Config;
  /**
   * Share a connection (for example with other clients); created from config when absent. A
   * worker's NativeConnection works too, and is what `eagerStart` needs.
   */
  connection?: ConnectionLike;
  /** Defaults to config.temporal.taskQueue. */
  taskQueue?: string;
  /** Policy adjustments sent with every execution this client starts (tests, one-off runs). */
  policies?: PolicyOverrides;
  /**
   * Eager workflow start: the server hands the first workflow task straight back to a worker in
   * this process, saving a round trip through the task queue. Needs `connection` to be that
   * worker's NativeConnection. Ignored for countdown/eta starts.
   */
  eagerStart?: boolean;
}

export function startDelayMs(options: ApplyOptions, now = Date.now()): number | undefined {
  const { countdown, eta } = options;
  if (countdown !== undefined && eta !== undefined) {
    throw new TaskRequestError('give either countdown or eta, not both');
  }
  if (countdown !== undefined && !(Number.isFinite(countdown) && countdown >= 0)) {
    throw new TaskRequestError(`countdown must be a number of seconds, 0 or more; got ${countdown}`);
  }
  if (eta !== undefined && Number.isNaN(eta.getTime())) throw new TaskRequestError('eta is not a valid date');
  const ms = eta !== undefined ? eta.getTime() - now : (countdown ?? 0) * 1000;
  return ms > 0 ? Math.round(ms) : undefined;
}

export class TaskClient {
  readonly tasks: Tasks;

  constructor(
    readonly temporal: Client,
    readonly taskQueue: string,
    private readonly policies?: PolicyOverrides,
    private readonly eagerStart = false,
  ) {
    this.tasks = Object.fromEntries(taskNames.map((name) => [name, this.task(name)])) as unknown as Tasks;
  }

  task<K extends TaskName>(name: K): Task<K> {
    return {
      name,
      delay: (...args) => this.applyAsync(name, args),
      applyAsync: (args, options) => this.applyAsync(name, args, options),
      ...signatureFactory(name, this),
    };
  }

  /** Starts a task by name with unchecked arguments (command line, web app); validates both first. */
  applyAsync<K extends TaskName>(name: K, args: TaskArgs<K>, options?: ApplyOptions): Promise<TaskHandle<TaskResult<K>>>;
  applyAsync(name: string, args: unknown[], options?: ApplyOptions): Promise<TaskHandle>;
  async applyAsync(name: string, args: unknown[], options: ApplyOptions = {}): Promise<TaskHandle> {
    return this.startWorkflow(name, this.taskInput(name, args), options);
  }

  /** The input of a task's workflow, checked: what applyAsync starts and what schedules start. */
  taskInput(name: string, args: unknown[]): TaskWorkflowInput<TaskName> {
    checkTaskArgs(name, args);
    return { args: args as TaskArgs<TaskName>, policies: this.policies };
  }

  /** Starts a chain, group or chord, typed (client/canvas.ts) or from JSON; checks the whole tree first. */
  async applyCanvas(canvas: unknown, options: ApplyOptions = {}): Promise<TaskHandle> {
    const input: CanvasInput = { canvas: checkCanvas(canvas), policies: this.policies };
    return this.startWorkflow('canvas', input, options);
  }

  /** A handle on any execution by id (Celery's `AsyncResult(task_id)`). */
  handle<R = unknown>(id: string): TaskHandle<R> {
    return new TaskHandle<R>(this.temporal, id);
  }

  /** Starts any workflow of this system; compositions and ready-made workflows come through here. */
  async startWorkflow<R = unknown>(workflowType: string, input: unknown, options: ApplyOptions = {}): Promise<TaskHandle<R>> {
    const workflowId = options.taskId ?? randomUUID();
    const startDelay = startDelayMs(options);
    try {
      await this.temporal.workflow.start(workflowType, {
        taskQueue: this.taskQueue,
        workflowId,
        args: [input],
        startDelay,
        requestEagerStart: this.eagerStart && startDelay === undefined,
        // Same id again: join a running execution, keep a successful one, re-run only after a failure.
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    return this.handle<R>(workflowId);
  }

  async close(): Promise<void> {
    await this.temporal.connection.close();
  }
}

export async function createTaskClient(options: TaskClientOptions = {}): Promise<TaskClient> {
  const config = options.config ?? loadConfig();
  const connection = options.connection ?? (await connectClient(config));
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: dataConverterFor(config) });
  return new TaskClient(client, options.taskQueue ?? config.temporal.taskQueue, options.policies, options.eagerStart);
}
