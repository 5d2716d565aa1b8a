/** Where the global set-up leaves what every test file needs (passed through the environment). */
import path from 'node:path';
import { projectRoot } from '../../common/config';

export const testOutputDir = path.join(projectRoot, 'test-output');

/** Written by the global set-up; per run, so two runs side by side never share one. */
export const workflowBundlePath = (): string => process.env.TEST_WORKFLOW_BUNDLE ?? path.join(testOutputDir, 'workflow-bundle.js');

export const TEST_ENV = {
  address: 'TEMPORAL_ADDRESS',
  uiUrl: 'TEST_TEMPORAL_UI_URL',
  cliPath: 'TEMPORAL_CLI_PATH',
  workflowBundle: 'TEST_WORKFLOW_BUNDLE',
} as const;
