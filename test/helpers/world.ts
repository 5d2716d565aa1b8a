/**
 * A test file's slice of the system: a real worker on its own task queue against the shared dev
 * server, and a client that starts tasks on that queue.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WorkflowBundle } from '@temporalio/worker';
import { loadConfig, type Config, type Env } from '../../common/config';
import { createTaskClient, type TaskClient } from '../../client';
import { installRuntime } from '../../common/logger';
import type { PolicyOverrides } from '../../tasks/catalogue';
import { createQuizWorker, type QuizWorker, type QuizWorkerOptions } from '../../workers/worker';
import { workflowBundlePath } from '../setup/test-environment';
import { recordHistories, recordingHistories } from './history-recorder';

export interface World {
  config: Config;
  client: TaskClient;
  worker: QuizWorker;
  close(): Promise<void>;
}

export interface WorldOptions {
  /** Environment on top of the test process's (for example SMTP_URL of a test mail server). */
  env?: Env;
  /** Short retry delays and limits for tests, without touching the catalogue. */
  policies?: PolicyOverrides;
  /** A bundle of its own (for example with the encrypted failure converter); the run's shared one otherwise. */
  workflowBundle?: WorkflowBundle;
  /** Worker limits, e.g. one activity slot to show a durable wait holds none. */
  tuning?: QuizWorkerOptions['tuning'];
}

export function testConfig(env: Env = {}): Config {
  // Each world writes files (mail, media, reports) into its own scratch folder.
  const varDir = mkdtempSync(path.join(os.tmpdir(), 'quiz-test-'));
  // The SDK's own info lines would drown the test report; failures still print.
  return loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'ERROR', QUIZ_VAR_DIR: varDir, ...env });
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const config = testConfig(options.env);
  installRuntime(config);
  const taskQueue = `test-${randomUUID()}`;
  const worker = await createQuizWorker({ config, taskQueue, workflowBundle: options.workflowBundle ?? { codePath: workflowBundlePath() }, tuning: options.tuning });
  const running = worker.run();
  const client = await createTaskClient({ config, taskQueue, policies: options.policies });
  return {
    config,
    client,
    worker,
    async close() {
      // Encrypted histories need the key to replay; the plain ones cover the same workflow code.
      if (recordingHistories && !config.payloadEncryptionKey) await recordHistories(client.temporal, taskQueue);
      await client.close();
      await worker.shutdown();
      await running;
    },
  };
}
