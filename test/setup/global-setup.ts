/**
 * Starts one real Temporal dev server (in memory, with its Web UI) for the whole test run and
 * bundles the workflow code once; test files read both from the environment.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../common/config';
import { freePort, startDevServer, type DevServer } from '../../dev/dev-server';
import { findTemporalCli } from '../../dev/temporal-cli';
import { bundleWorkflows } from '../../workers/workflow-bundle';
import { TEST_ENV, testOutputDir } from './test-environment';

declare global {
  // eslint-disable-next-line no-var
  var __temporalDevServer: DevServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  const config = loadConfig();
  const cliPath = await findTemporalCli(config.devServer.cliPath);
  await mkdir(testOutputDir, { recursive: true });
  const [port, uiPort] = [await freePort(), await freePort()];
  const [server, bundle] = await Promise.all([
    startDevServer({
      cliPath,
      ip: '127.0.0.1',
      port,
      uiPort,
      namespace: config.temporal.namespace,
      logFile: path.join(testOutputDir, 'temporal-dev-server.log'),
    }),
    bundleWorkflows(),
  ]);
  const bundlePath = path.join(testOutputDir, `workflow-bundle-${process.pid}.js`);
  await writeFile(bundlePath, bundle.code);
  process.env[TEST_ENV.workflowBundle] = bundlePath;
  globalThis.__temporalDevServer = server;
  process.env[TEST_ENV.address] = server.address;
  process.env[TEST_ENV.uiUrl] = server.uiUrl;
  process.env[TEST_ENV.cliPath] = cliPath;
  process.stderr.write(`\nTemporal dev server for tests: ${server.address}, Web UI ${server.uiUrl}\n`);
}
