/**
 * One worker process registers every workflow and every task of the catalogue on one task queue.
 */
import { NativeConnection, Worker, type WorkerOptions, type WorkflowBundle } from '@temporalio/worker';
import { createActivities } from '../activities';
import { taskInterceptors } from '../activities/interceptors';
import { createMailer, type Mailer } from '../activities/mailer';
import type { Config } from '../common/config';
import { connectWorker } from '../common/temporal-connection';
import { bundleWorkflows } from './workflow-bundle';

export interface QuizWorkerOptions {
  config: Config;
  /** Share one connection with other workers or an eager-starting client; created when absent. */
  connection?: NativeConnection;
  /** Defaults to config.temporal.taskQueue. */
  taskQueue?: string;
  /** A pre-built bundle (tests build one per run); bundled from workflows/ when absent. */
  workflowBundle?: WorkflowBundle | { codePath: string };
  mailer?: Mailer;
  tuning?: Pick<
    WorkerOptions,
    'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions' | 'maxConcurrentLocalActivityExecutions' | 'maxCachedWorkflows'
  >;
}

export interface QuizWorker {
  worker: Worker;
  mailer: Mailer;
  taskQueue: string;
  /** Runs until shutdown() or a shutdown signal; then releases the connection if it made it. */
  run(): Promise<void>;
  shutdown(): Promise<void>;
}

export async function createQuizWorker(options: QuizWorkerOptions): Promise<QuizWorker> {
  const { config } = options;
  const ownConnection = !options.connection;
  const connection = options.connection ?? (await connectWorker(config));
  const mailer = options.mailer ?? createMailer(config);
  const taskQueue = options.taskQueue ?? config.temporal.taskQueue;
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue,
    workflowBundle: options.workflowBundle ?? (await bundleWorkflows()),
    activities: createActivities({ config, mailer }),
    interceptors: { activity: [taskInterceptors] },
    ...options.tuning,
  });

  let running: Promise<void> | undefined;
  const run = () =>
    (running ??= worker.run().finally(async () => {
      mailer.close();
      if (ownConnection) await connection.close();
    }));
  return {
    worker,
    mailer,
    taskQueue,
    run,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}
