/** `npm run worker`: the worker alone, against the Temporal named by the environment. */
import { loadConfig } from '../common/config';
import { installRuntime } from '../common/logger';
import { createQuizWorker } from './worker';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = installRuntime(config);
  const quiz = await createQuizWorker({ config });
  logger.info('worker started', {
    address: config.temporal.address,
    namespace: config.temporal.namespace,
    taskQueue: quiz.taskQueue,
    mail: quiz.mailer.destination,
    database: quiz.database.location,
  });
  // SIGINT/SIGTERM make the SDK stop polling, let running tasks finish, then run() resolves.
  await quiz.run();
  logger.info('worker stopped');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
