/**
 * What app code uses instead of Celery's `task.delay()`: a typed entry per task of the catalogue.
 *
 *   const quiz = await createTaskClient();
 *   const handle = await quiz.tasks.addNumbers.delay(4, 5);
 *   await handle.result(); // 9
 */
import { randomUUID } from 'node:crypto';
import { Client, WorkflowExecutionAlreadyStartedError, type Connection } from '@temporalio/client';
import { loadConfig, type Config } from '../common/config';
import { connectClient } from '../common/temporal-connection';
import { taskArguments } from '../tasks/arguments';
import { isTaskName, taskNames, type PolicyOverrides, type TaskArgs, type TaskName, type TaskResult } from '../tasks/catalogue';
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

export interface Task<K extends TaskName> {
  readonly name: K;
  delay(...args: TaskArgs<K>): Promise<TaskHandle<TaskResult<K>>>;
  applyAsync(args: TaskArgs<K>, options?: ApplyOptions): Promise<TaskHandle<TaskResult<K>>>;
}

export type Tasks = { readonly [K in TaskName]: Task<K> };

export interface TaskClientOptions {
  config?: Config;
  /** Share a connection (for example with other clients); created from config when absent. */
  connection?: Connection;
  /** Defaults to config.temporal.taskQueue. */
  taskQueue?: string;
  /** Policy adjustments sent with every execution this client starts (tests, one-off runs). */
  policies?: PolicyOverrides;
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

/** Checks a task name and its arguments; throws TaskRequestError naming the bad argument. */
export function checkTaskArgs<K extends TaskName>(name: string, args: unknown): asserts name is K {
  if (!isTaskName(name)) {
    throw new TaskRequestError(`unknown task "${name}"; registered tasks: ${taskNames.join(', ')}`);
  }
  if (!Array.isArray(args)) throw new TaskRequestError(`${name}: arguments must be a list`);
  const parsed = taskArguments[name].safeParse(args);
  if (parsed.success) return;
  const problems = parsed.error.issues.map((issue) => {
    const at = issue.path.length ? `argument ${Number(issue.path[0]) + 1}${issue.path.length > 1 ? ` at ${issue.path.slice(1).join('.')}` : ''}: ` : '';
    return `${at}${issue.message}`;
  });
  throw new TaskRequestError(`${name}: ${problems.join('; ')}`);
}

export class TaskClient {
  readonly tasks: Tasks;

  constructor(
    readonly temporal: Client,
    readonly taskQueue: string,
    private readonly policies?: PolicyOverrides,
  ) {
    this.tasks = Object.fromEntries(taskNames.map((name) => [name, this.task(name)])) as unknown as Tasks;
  }

  task<K extends TaskName>(name: K): Task<K> {
    return {
      name,
      delay: (...args) => this.applyAsync(name, args),
      applyAsync: (args, options) => this.applyAsync(name, args, options),
    };
  }

  /** Starts a task by name with unchecked arguments (command line, web app); validates both first. */
  applyAsync<K extends TaskName>(name: K, args: TaskArgs<K>, options?: ApplyOptions): Promise<TaskHandle<TaskResult<K>>>;
  applyAsync(name: string, args: unknown[], options?: ApplyOptions): Promise<TaskHandle>;
  async applyAsync(name: string, args: unknown[], options: ApplyOptions = {}): Promise<TaskHandle> {
    checkTaskArgs(name, args);
    return this.startWorkflow(name, { args, policies: this.policies }, options);
  }

  /** A handle on any execution by id (Celery's `AsyncResult(task_id)`). */
  handle<R = unknown>(id: string): TaskHandle<R> {
    return new TaskHandle<R>(this.temporal, id);
  }

  /** Starts any workflow of this system; compositions and ready-made workflows come through here. */
  async startWorkflow<R = unknown>(workflowType: string, input: unknown, options: ApplyOptions = {}): Promise<TaskHandle<R>> {
    const workflowId = options.taskId ?? randomUUID();
    try {
      await this.temporal.workflow.start(workflowType, {
        taskQueue: this.taskQueue,
        workflowId,
        args: [input],
        startDelay: startDelayMs(options),
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
  const client = new Client({ connection, namespace: config.temporal.namespace });
  return new TaskClient(client, options.taskQueue ?? config.temporal.taskQueue, options.policies);
}
