/** `npm run app`: the web app alone, against the Temporal and database named by the environment. */
import { loadConfig } from '../common/config';
import { startWebApp } from './server';

async function main(): Promise<void> {
  const config = loadConfig();
  const webApp = await startWebApp(config);
  process.stderr.write(`web app listening on ${webApp.url} (Temporal ${config.temporal.address}, task queue "${config.temporal.taskQueue}")\n`);
  const stop = () => {
    webApp.close().then(
      () => process.exit(0),
      (error: Error) => {
        process.stderr.write(`web app did not stop cleanly: ${error.message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
