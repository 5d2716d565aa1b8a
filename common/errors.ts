/**
 * The guide's two kinds of failure, and the one place that turns them into Temporal failures.
 *
 * - `TemporaryError`: worth another attempt (network down, SMTP 4xx, HTTP 5xx). Retried by the
 *   task's catalogue policy; `retryAfterMs` asks for a specific delay (Celery's
 *   `self.retry(countdown=…)`, or an HTTP `Retry-After`).
 * - `PermanentError`: another attempt would fail the same way (bad input, unknown user, 4xx).
 *   Not retried; the message says what was wrong and how to fix it.
 *
 * Anything else thrown by a task is treated as temporary, which is Temporal's default.
 */
import { ApplicationFailure, CancelledFailure, TemporalFailure } from '@temporalio/common';

interface TaskErrorOptions {
  /** Failure type shown in the Web UI and matched by `nonRetryableErrorTypes`; defaults to the class name. */
  type?: string;
  cause?: unknown;
  /** Structured facts about the failure (status code, url…), kept on the failure's details. */
  details?: Record<string, unknown>;
}

export class PermanentError extends Error {
  readonly type: string;
  readonly details?: Record<string, unknown>;
  constructor(message: string, options: TaskErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'PermanentError';
    this.type = options.type ?? 'PermanentError';
    this.details = options.details;
  }
}

export class TemporaryError extends Error {
  readonly type: string;
  readonly retryAfterMs?: number;
  readonly details?: Record<string, unknown>;
  constructor(message: string, options: TaskErrorOptions & { retryAfterMs?: number } = {}) {
    super(message, { cause: options.cause });
    this.name = 'TemporaryError';
    this.type = options.type ?? 'TemporaryError';
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
  }
}

/** Celery's exception of the same name: the task went past its soft time limit. Retryable. */
export class SoftTimeLimitExceeded extends TemporaryError {
  constructor(limitMs: number) {
    super(`soft time limit of ${limitMs / 1000}s exceeded; the task stopped and cleaned up`, {
      type: 'SoftTimeLimitExceeded',
    });
    this.name = 'SoftTimeLimitExceeded';
  }
}

/** Maps anything a task throws to what Temporal should record. */
export function toTemporalFailure(error: unknown): unknown {
  if (error instanceof TemporalFailure || error instanceof CancelledFailure) return error;
  if (error instanceof PermanentError) {
    return ApplicationFailure.create({
      type: error.type,
      message: error.message,
      nonRetryable: true,
      details: error.details ? [error.details] : undefined,
      cause: error.cause instanceof Error ? error.cause : undefined,
    });
  }
  if (error instanceof TemporaryError) {
    return ApplicationFailure.create({
      type: error.type,
      message: error.message,
      nonRetryable: false,
      nextRetryDelay: error.retryAfterMs,
      details: error.details ? [error.details] : undefined,
      cause: error.cause instanceof Error ? error.cause : undefined,
    });
  }
  return error;
}
