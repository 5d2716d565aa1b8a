/**
 * `npm start`: the whole system on embedded defaults. Starts (or reuses) the Temporal dev server
 * with its Web UI and a history that survives restarts, then the worker, syncs the schedules,
 * starts the web app, and prints where to look. With PAYLOAD_ENCRYPTION_KEY set it also starts
 * the codec endpoint the Web UI uses to show decrypted payloads.
 * Ctrl-C stops the worker gracefully, then the web app, then the dev server this script started.
 */
import path from 'node:path';
import { startWebApp, type WebApp } from '../app/server';
import { createTaskClient } from '../client';
import { AesGcmCodec } from '../codec/aes-gcm-codec';
import { startCodecServer, type CodecServer } from '../codec/codec-server';
import { loadConfig, type Config } from '../common/config';
import { installRuntime } from '../common/logger';
import { scheduleTable, syncSchedules, syncSummary } from '../schedules';
import { createQuizWorker, type QuizWorker } from '../workers/worker';
import { isListening, startDevServer, type DevServer } from './dev-server';
import { findTemporalCli } from './temporal-cli';

interface Running {
  server?: DevServer;
  codec?: CodecServer;
  worker?: QuizWorker;
  webApp?: WebApp;
}

/** In reverse order of start: nothing still talking to the server sees it vanish. */
async function stopAll({ server, codec, worker, webApp }: Running): Promise<void> {
  await worker?.shutdown();
  await webApp?.close();
  await codec?.close();
  await server?.stop();
}

async function startTemporal(config: Config, running: Running, log: (line: string) => void): Promise<void> {
  const { ip, port } = config.devServer;
  if (config.payloadEncryptionKey) {
    running.codec = await startCodecServer({ codec: new AesGcmCodec(config.payloadEncryptionKey), ...config.codecServer });
  }
  if (await isListening(ip, port)) {
    log(`using the Temporal server already listening on ${ip}:${port}`);
    return;
  }
  running.server = await startDevServer({
    cliPath: await findTemporalCli(config.devServer.cliPath, log),
    ip,
    port,
    uiPort: config.devServer.uiPort,
    namespace: config.temporal.namespace,
    dbFile: config.devServer.dbFile,
    uiCodecEndpoint: running.codec?.url,
    logFile: path.join(config.paths.varDir, 'temporal-server.log'),
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = installRuntime(config);
  const running: Running = {};
  let schedules: string;
  try {
    await startTemporal(config, running, (line) => logger.info(line));
    running.worker = await createQuizWorker({ config });
    running.worker.run().catch((error) => logger.error('worker failed', { error: String(error) }));
    // Celery beat's part: Temporal's schedules are made to match the table. A table that cannot
    // be synced is a bug to fix now, not a warning to scroll past, so it stops everything.
    const client = await createTaskClient({ config });
    schedules = syncSummary(await syncSchedules(client, scheduleTable(config)).finally(() => client.close()));
    running.webApp = await startWebApp(config);
  } catch (error) {
    await stopAll(running);
    throw error;
  }

  process.stdout.write(
    [
      '',
      'quiz-code background jobs are running.',
      `  Temporal Web UI:  ${config.temporal.webUiUrl}`,
      `  Temporal server:  ${config.temporal.address} (namespace ${config.temporal.namespace}, history in ${config.devServer.dbFile})`,
      `  Worker:           task queue "${running.worker.taskQueue}"`,
      `  Web app:          ${running.webApp.url}`,
      `  Schedules:        ${schedules} (npm run schedules -- list)`,
      `  Mail goes to:     ${running.worker.mailer.destination}`,
      ...(running.codec ? [`  Payloads:         encrypted; the Web UI decodes them through ${running.codec.url}`] : []),
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  // The SDK turns SIGINT/SIGTERM into a graceful worker shutdown; run() then resolves.
  await running.worker.run();
  await stopAll(running);
  logger.info('stopped');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
