/**
 * Carries a task's soft time limit to the worker that runs it, in an activity header: Temporal
 * itself only knows the hard limit. The activity side (activities/interceptors.ts) reads it.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { isTaskName } from '../tasks/catalogue';
import { softTimeLimitMs } from '../tasks/policy';
import { SOFT_TIME_LIMIT_HEADER } from '../tasks/headers';
import { currentPolicy } from './task-runner';

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      scheduleActivity(input, next) {
        const limit = isTaskName(input.activityType) ? softTimeLimitMs(currentPolicy(input.activityType)) : undefined;
        if (limit === undefined) return next(input);
        return next({
          ...input,
          headers: { ...input.headers, [SOFT_TIME_LIMIT_HEADER]: defaultPayloadConverter.toPayload(limit) },
        });
      },
    },
  ],
});
