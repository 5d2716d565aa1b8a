/** What app code catches. Each error says which task, what went wrong and what to do. */
import {
  ApplicationFailure,
  CancelledFailure,
  TemporalFailure,
  TerminatedFailure,
  TimeoutFailure,
} from '@temporalio/common';

/** Bad arguments or an unknown task: refused before anything was started. */
export class TaskRequestError extends Error {
  override name = 'TaskRequestError';
}

/** The task ran and failed; `type` is the failure type (e.g. SmtpRejected), `message` says why. */
export class TaskFailedError extends Error {
  override name = 'TaskFailedError';
  constructor(
    readonly taskId: string,
    message: string,
    readonly type: string | undefined,
    readonly nonRetryable: boolean,
    override readonly cause?: unknown,
  ) {
    super(message);
  }

  /** Facts the failure carries, e.g. a group's failed members and the results of the others. */
  get details(): unknown[] {
    const root = rootCause(this.cause);
    return root instanceof ApplicationFailure ? (root.details ?? []) : [];
  }
}

/** The task was cancelled or terminated (Celery's REVOKED). */
export class TaskRevokedError extends TaskFailedError {
  override name = 'TaskRevokedError';
}

/** `result({ timeout })` gave up waiting; the task itself goes on. */
export class TaskTimeoutError extends Error {
  override name = 'TaskTimeoutError';
}

const carriesReason = (e: unknown) =>
  e instanceof ApplicationFailure || e instanceof CancelledFailure || e instanceof TerminatedFailure || e instanceof TimeoutFailure;

/**
 * The outermost failure that carries a reason. Wrappers above it only say "activity failed";
 * causes below it are what the task chained on (a socket error under SmtpUnavailable).
 */
function rootCause(error: unknown): unknown {
  let current = error;
  while (!carriesReason(current) && current instanceof Error && current.cause instanceof TemporalFailure) current = current.cause;
  return current;
}

export function toTaskError(taskId: string, error: unknown): Error {
  const root = rootCause(error);
  if (root instanceof CancelledFailure || root instanceof TerminatedFailure) {
    return new TaskRevokedError(taskId, `task ${taskId} was revoked: ${root.message}`, root.name, true, error);
  }
  if (root instanceof ApplicationFailure) {
    return new TaskFailedError(taskId, root.message, root.type ?? undefined, root.nonRetryable === true, error);
  }
  if (root instanceof TimeoutFailure) {
    return new TaskFailedError(taskId, `timed out (${root.timeoutType ?? 'unknown timeout'})`, 'TimeLimitExceeded', false, error);
  }
  return new TaskFailedError(taskId, root instanceof Error ? root.message : String(root), undefined, false, error);
}
