/** How workflow code is bundled for the worker sandbox; shared by the worker, tests and replay. */
import type { DataConverter } from '@temporalio/common';
import { bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';

export const workflowBundleOptions = {
  workflowsPath: require.resolve('../workflows'),
  workflowInterceptorModules: [require.resolve('../workflows/interceptors')],
};

/** The bundle must carry the same failure converter as the worker's data converter. */
export function bundleWorkflows(dataConverter?: DataConverter): Promise<WorkflowBundle> {
  return bundleWorkflowCode({
    ...workflowBundleOptions,
    failureConverterPath: dataConverter?.failureConverterPath,
    logger: quietBundlerLogger,
  });
}

// webpack's progress lines are noise in test output and start-up banners; errors still throw.
const quietBundlerLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn: (message: string) => process.stderr.write(`workflow bundler: ${message}\n`),
  error: (message: string) => process.stderr.write(`workflow bundler: ${message}\n`),
};
