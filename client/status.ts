/**
 * Celery's status words, derived from Temporal's description of an execution.
 */
import type { WorkflowExecutionDescription } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { tsToMs } from '@temporalio/common/lib/time';
import type { TaskState } from '../workflows/progress';

const { PendingActivityState } = temporal.api.enums.v1;

export function statusOf(description: WorkflowExecutionDescription, now = Date.now()): TaskState {
  switch (description.status.name) {
    case 'COMPLETED':
      return 'SUCCESS';
    case 'FAILED':
    case 'TIMED_OUT':
      return 'FAILURE';
    case 'CANCELLED':
    case 'TERMINATED':
      return 'REVOKED';
    case 'RUNNING':
    case 'CONTINUED_AS_NEW':
      break;
    default:
      return 'PENDING';
  }
  const info = description.raw.workflowExecutionInfo;
  // A countdown/eta not yet reached: the execution exists but nothing may run yet.
  if (info?.executionTime && tsToMs(info.executionTime) > now) return 'PENDING';
  const pending = description.raw.pendingActivities ?? [];
  if (pending.some((a) => (a.attempt ?? 1) > 1)) return 'RETRY';
  if (pending.some((a) => a.state === PendingActivityState.PENDING_ACTIVITY_STATE_STARTED)) return 'STARTED';
  if (pending.length > 0) return 'PENDING';
  // No worker has picked up the first workflow task yet: only "started" and "task scheduled".
  return Number(description.historyLength) <= 2 ? 'PENDING' : 'STARTED';
}
