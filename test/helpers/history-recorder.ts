/**
 * With RECORD_HISTORIES=1, every test world saves one real history per workflow type it ran
 * (one completed, one failed) into test/histories/. Those committed files are replayed against
 * the current workflow code on every run (test/replay.test.ts), so a change that would break
 * executions already running in production fails the build.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { projectRoot } from '../../common/config';

export const historiesDir = path.join(projectRoot, 'test', 'histories');
export const recordingHistories = process.env.RECORD_HISTORIES === '1';

export function historyFile(workflowType: string, outcome: 'completed' | 'failed'): string {
  return path.join(historiesDir, `${workflowType}.${outcome}.json`);
}

const { History } = temporal.api.history.v1;

// protobufjs's own object form (enums by name, bytes as base64): it reads back exactly, where the
// SDK's protojson helpers trip over Jest loading protobufjs once per test file.
function historyAsJson(history: temporal.api.history.v1.IHistory): unknown {
  return History.toObject(History.fromObject(history), { enums: String, longs: String, bytes: String });
}

export function readHistory(file: string): temporal.api.history.v1.History {
  return History.fromObject(JSON.parse(readFileSync(file, 'utf8')));
}

export async function recordHistories(client: Client, taskQueue: string): Promise<void> {
  const query = `TaskQueue = "${taskQueue}" AND ExecutionStatus IN ("Completed", "Failed")`;
  for await (const execution of client.workflow.list({ query })) {
    const outcome = execution.status.name === 'COMPLETED' ? 'completed' : 'failed';
    const file = historyFile(execution.type, outcome);
    if (existsSync(file)) continue; // Recorded once; a new file means a deliberate re-record.
    const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    writeFileSync(file, JSON.stringify(historyAsJson(history), null, 1));
  }
}
