/**
 * Determinism guard: real histories recorded by the suite (RECORD_HISTORIES=1 npm test) are
 * replayed against the workflow code as it is now. A failure here means running executions
 * would break on deploy: use workflow versioning (patched()) instead of changing the code path.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { installRuntime } from '../common/logger';
import * as workflows from '../workflows';
import { workflowBundlePath } from './setup/test-environment';
import { historiesDir, readHistory } from './helpers/history-recorder';
import { testConfig } from './helpers/world';

const files = readdirSync(historiesDir).filter((f) => f.endsWith('.json')).sort();

// Each replay starts and stops a worker; through the SDK's default logger that is 150 INFO lines in
// the test report. The project's logger at the suite's level keeps them out, failures still print.
beforeAll(() => installRuntime(testConfig()));

test.each(files)('%s replays against the current workflow code', async (file) => {
  const history = readHistory(path.join(historiesDir, file));
  await Worker.runReplayHistory({ workflowBundle: { codePath: workflowBundlePath() } }, history, file);
});

test('every workflow type has a recorded history', () => {
  const recorded = new Set(files.map((f) => f.split('.')[0]));
  const missing = Object.keys(workflows).filter((type) => !recorded.has(type));
  expect(missing).toEqual([]);
});
