import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { FileCheckpoint } from '../../activities/file-summary';
import { waitFor } from './wait';

/**
 * Waits until a running processLargeFile has heartbeated a checkpoint past the start of its file,
 * and returns it (read from the workflow's pending activity, as the server keeps it for a retry).
 */
export async function checkpointPastStart(client: Client, workflowId: string, timeoutMs: number): Promise<FileCheckpoint> {
  const workflow = client.workflow.getHandle(workflowId);
  return waitFor(
    'a heartbeat checkpoint past the start of the file',
    async () => {
      const [pending] = (await workflow.describe()).raw.pendingActivities ?? [];
      const payload = pending?.heartbeatDetails?.payloads?.[0];
      const checkpoint = payload ? defaultPayloadConverter.fromPayload<FileCheckpoint>(payload) : undefined;
      return checkpoint && checkpoint.scan.offset > 0 ? checkpoint : undefined;
    },
    timeoutMs,
  );
}
