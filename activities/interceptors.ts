/**
 * Wraps every task execution on the worker:
 * - starts the soft-time-limit clock the workflow sent in a header, and aborts the task's
 *   signal when it runs out (Celery's SoftTimeLimitExceeded);
 * - classifies whatever the task threw (common/errors.ts) so Temporal retries exactly the
 *   temporary failures;
 * - logs the outcome; the SDK's activity logger adds workflowId, activityType and attempt.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { SoftTimeLimitExceeded, toTemporalFailure } from '../common/errors';
import { SOFT_TIME_LIMIT_HEADER } from '../tasks/headers';
import { taskScope } from './task-context';

export const taskInterceptors: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    async execute(input, next) {
      const header = input.headers[SOFT_TIME_LIMIT_HEADER];
      const softLimitMs = header ? defaultPayloadConverter.fromPayload<number>(header) : undefined;
      const softLimit = new AbortController();
      const timer =
        softLimitMs === undefined
          ? undefined
          : setTimeout(() => softLimit.abort(new SoftTimeLimitExceeded(softLimitMs)), softLimitMs);
      const signal = AbortSignal.any([ctx.cancellationSignal, softLimit.signal]);
      try {
        return await taskScope.run({ signal }, () => next(input));
      } catch (error) {
        const softLimitHit = softLimit.signal.aborted && !ctx.cancellationSignal.aborted;
        const failure = toTemporalFailure(softLimitHit ? softLimit.signal.reason : error);
        ctx.log.warn('task failed', { error: error instanceof Error ? error.message : String(error) });
        throw failure;
      } finally {
        clearTimeout(timer);
      }
    },
  },
});
