/**
 * A task's policy in the guide's own words (`max_retries`, `default_retry_delay`, `time_limit`,
 * `soft_time_limit`), and its one translation into Temporal activity options.
 * Safe to import from workflow code: pure data and arithmetic.
 */
import type { ActivityOptions, Duration, LocalActivityOptions } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';

export interface TaskPolicy {
  /** Celery `max_retries`: retries after the first attempt. `Infinity` retries until the time limit. */
  readonly maxRetries: number;
  /** Celery `default_retry_delay` (Celery's default is 3 minutes). */
  readonly defaultRetryDelay?: Duration;
  /** Celery `retry_backoff`: multiplier between delays; 1 (the default) keeps them equal. */
  readonly retryBackoff?: number;
  /** Celery `retry_backoff_max`. */
  readonly retryBackoffMax?: Duration;
  /** Celery `time_limit`: the hard limit of one attempt (Temporal's start-to-close timeout). */
  readonly timeLimit: Duration;
  /** Celery `soft_time_limit`: the task's abort signal fires and it gets to clean up. */
  readonly softTimeLimit?: Duration;
  /** How soon a silent worker is noticed; only for tasks that heartbeat. */
  readonly heartbeatTimeout?: Duration;
  /** Run inside the workflow's worker slot, with no task-queue round trip: for tiny, fast steps. */
  readonly local?: boolean;
}

/** Celery's default `default_retry_delay`. */
export const CELERY_DEFAULT_RETRY_DELAY: Duration = '3 minutes';

export function validatePolicy(name: string, policy: TaskPolicy): void {
  const problems: string[] = [];
  if (!(policy.maxRetries >= 0)) problems.push('maxRetries must be 0 or more');
  if ((policy.retryBackoff ?? 1) < 1) problems.push('retryBackoff must be at least 1');
  const hard = msToNumber(policy.timeLimit);
  if (!(hard > 0)) problems.push('timeLimit must be positive');
  if (policy.softTimeLimit !== undefined && !(msToNumber(policy.softTimeLimit) < hard)) {
    problems.push('softTimeLimit must be shorter than timeLimit');
  }
  if (policy.local && policy.heartbeatTimeout !== undefined) {
    problems.push('local tasks cannot heartbeat, so heartbeatTimeout does not apply');
  }
  if (problems.length) throw new TypeError(`task policy "${name}": ${problems.join('; ')}`);
}

export function softTimeLimitMs(policy: TaskPolicy): number | undefined {
  return policy.softTimeLimit === undefined ? undefined : msToNumber(policy.softTimeLimit);
}

/** The single translation from the guide's vocabulary to Temporal's. */
export function toActivityOptions(policy: TaskPolicy): ActivityOptions & LocalActivityOptions {
  const retryDelay = policy.defaultRetryDelay ?? CELERY_DEFAULT_RETRY_DELAY;
  const backoff = policy.retryBackoff ?? 1;
  return {
    startToCloseTimeout: policy.timeLimit,
    heartbeatTimeout: policy.local ? undefined : policy.heartbeatTimeout,
    retry: {
      // Celery counts retries, Temporal counts attempts; 0 means unlimited in Temporal.
      maximumAttempts: Number.isFinite(policy.maxRetries) ? policy.maxRetries + 1 : 0,
      initialInterval: retryDelay,
      backoffCoefficient: backoff,
      // Without an explicit cap, Temporal caps growing delays at 100× the first one.
      maximumInterval: policy.retryBackoffMax ?? (backoff > 1 ? undefined : retryDelay),
    },
  };
}
