/**
 * `npm start`: the whole system on embedded defaults. Starts (or reuses) the Temporal dev server
 * with its Web UI and a history that survives restarts, then the worker; prints where to look.
 * Ctrl-C stops the worker gracefully, then the dev server this script started.
 */
import path from 'node:path';
import { loadConfig } from '../common/config';
import { installRuntime } from '../common/logger';
import { createQuizWorker } from '../workers/worker';
import { isListening, startDevServer, type DevServer } from './dev-server';
import { findTemporalCli } from './temporal-cli';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = installRuntime(config);
  const { ip, port } = config.devServer;

  let server: DevServer | undefined;
  if (await isListening(ip, port)) {
    logger.info('using the Temporal server already listening', { address: `${ip}:${port}` });
  } else {
    const cliPath = await findTemporalCli(config.devServer.cliPath, (line) => logger.info(line));
    server = await startDevServer({
      cliPath,
      ip,
      port,
      uiPort: config.devServer.uiPort,
      namespace: config.temporal.namespace,
      dbFile: config.devServer.dbFile,
      logFile: path.join(config.paths.varDir, 'temporal-server.log'),
    });
  }

  const quiz = await createQuizWorker({ config });
  const running = quiz.run();
  process.stdout.write(
    [
      '',
      'quiz-code background jobs are running.',
      `  Temporal Web UI:  ${config.temporal.webUiUrl}`,
      `  Temporal server:  ${config.temporal.address} (namespace ${config.temporal.namespace}, history in ${config.devServer.dbFile})`,
      `  Worker:           task queue "${quiz.taskQueue}"`,
      `  Mail goes to:     ${quiz.mailer.destination}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  // The SDK turns SIGINT/SIGTERM into a graceful worker shutdown; the server goes after it.
  await running;
  await server?.stop();
  logger.info('stopped');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
