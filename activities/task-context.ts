/**
 * What a running task can ask about itself beyond Temporal's activity context: the signal that
 * fires at cancellation *or* at the soft time limit, and a stable identity for idempotency keys.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { activityInfo, cancellationSignal } from '@temporalio/activity';

export const taskScope = new AsyncLocalStorage<{ signal: AbortSignal }>();

/** Aborted when the task is cancelled or passes its soft time limit: stop, clean up, rethrow. */
export function taskSignal(): AbortSignal {
  return taskScope.getStore()?.signal ?? cancellationSignal();
}

/**
 * A key that is the same on every retry of this task within one execution, and different for
 * the next execution: the basis of Message-IDs and temporary file names.
 */
export function executionKey(): string {
  const info = activityInfo();
  const run = info.workflowExecution;
  return createHash('sha256')
    .update(`${run?.workflowId}/${run?.runId}/${info.activityId}`)
    .digest('hex')
    .slice(0, 32);
}
