/**
 * One worker process registers every workflow and every task of the catalogue on one task queue.
 */
import { NativeConnection, Worker, type WorkerOptions, type WorkflowBundle } from '@temporalio/worker';
import { createActivities } from '../activities';
import { taskInterceptors } from '../activities/interceptors';
import { createMailer, type Mailer } from '../activities/mailer';
import type { Config } from '../common/config';
import { connectWorker } from '../common/temporal-connection';
import { dataConverterFor } from '../codec';
import { openDatabase, type AppDatabase } from '../db/database';
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
  /** The app database; opened from config (and closed when the worker stops) when absent. */
  database?: AppDatabase;
  tuning?: Pick<
    WorkerOptions,
    'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions' | 'maxConcurrentLocalActivityExecutions' | 'maxCachedWorkflows' | 'maxConcurrentWorkflowTaskPolls'
  >;
}

export interface QuizWorker {
  worker: Worker;
  mailer: Mailer;
  database: AppDatabase;
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
  const dataConverter = dataConverterFor(config);
  const ownDatabase = !options.database;
  const database = options.database ?? (await openDatabase(config));
  // What this function opened, it closes: after the worker stops, or at once if creating it fails.
  const release = async () => {
    mailer.close();
    if (ownDatabase) await database.close();
    if (ownConnection) await connection.close();
  };
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue,
    workflowBundle: options.workflowBundle ?? (await bundleWorkflows(dataConverter)),
    dataConverter,
    activities: createActivities({ config, mailer, db: database }),
    interceptors: { activity: [taskInterceptors] },
    ...options.tuning,
  }).catch(async (error: unknown) => {
    await release();
    throw error;
  });

  let running: Promise<void> | undefined;
  const run = () =>
    (running ??= worker.run().finally(release));
  return {
    worker,
    mailer,
    database,
    taskQueue,
    run,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}
