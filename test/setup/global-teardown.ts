import { rm } from 'node:fs/promises';
import { TEST_ENV } from './test-environment';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__temporalDevServer?.stop();
  const bundle = process.env[TEST_ENV.workflowBundle];
  if (bundle) await rm(bundle, { force: true });
}
