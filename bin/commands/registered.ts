/**
 * `quiz registered`: Celery's `inspect registered`. What the code registers (every workflow type
 * and every task with its catalogue policy) and whether a worker polls the task queue right now.
 */
import { temporal } from '@temporalio/proto';
import { msToNumber, tsToMs } from '@temporalio/common/lib/time';
import type { TaskClient } from '../../client';
import { catalogue, taskNames } from '../../tasks/catalogue';
import { CELERY_DEFAULT_RETRY_DELAY, type TaskPolicy } from '../../tasks/policy';
import * as workflows from '../../workflows';
import type { Command } from '../cli/command';
import { table } from '../cli/output';

const { TaskQueueType, TaskQueueKind } = temporal.api.enums.v1;

/**
 * The server lists a poller for minutes after it went away; an idle worker renews its long poll
 * about once a minute, so "seen within 75 s" means "polling now".
 */
const POLLING_NOW_MS = 75_000;

interface QueuePollers {
  polling: boolean;
  pollers: { identity: string; lastAccessTime: string | undefined }[];
}

async function pollers(quiz: TaskClient, taskQueue: string, type: temporal.api.enums.v1.TaskQueueType): Promise<QueuePollers> {
  const response = await quiz.temporal.workflowService.describeTaskQueue({
    namespace: quiz.temporal.options.namespace,
    taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: type,
  });
  const now = Date.now();
  const seen = (response.pollers ?? []).map((p) => ({
    identity: p.identity ?? '',
    lastAccessMs: p.lastAccessTime ? tsToMs(p.lastAccessTime) : undefined,
  }));
  return {
    polling: seen.some((p) => p.lastAccessMs !== undefined && now - p.lastAccessMs < POLLING_NOW_MS),
    pollers: seen.map((p) => ({
      identity: p.identity,
      lastAccessTime: p.lastAccessMs === undefined ? undefined : new Date(p.lastAccessMs).toISOString(),
    })),
  };
}

function describePolicy(name: string, policy: TaskPolicy) {
  return {
    name,
    maxRetries: policy.maxRetries,
    // Temporal's own number: attempts, not retries; 0 means unlimited.
    maximumAttempts: Number.isFinite(policy.maxRetries) ? policy.maxRetries + 1 : 0,
    retryDelayMs: msToNumber(policy.defaultRetryDelay ?? CELERY_DEFAULT_RETRY_DELAY),
    retryBackoff: policy.retryBackoff ?? 1,
    timeLimitMs: msToNumber(policy.timeLimit),
    softTimeLimitMs: policy.softTimeLimit === undefined ? undefined : msToNumber(policy.softTimeLimit),
    heartbeatTimeoutMs: policy.heartbeatTimeout === undefined ? undefined : msToNumber(policy.heartbeatTimeout),
    local: policy.local ?? false,
  };
}

const seconds = (ms: number | undefined) => (ms === undefined ? '' : `${ms / 1000}s`);

function pollerLine(kind: string, queue: QueuePollers): string {
  const last = queue.pollers.map((p) => p.lastAccessTime).filter(Boolean).sort().at(-1);
  return `  ${kind.padEnd(9)} ${queue.polling ? 'yes' : 'NO '}  ${queue.pollers.length} poller(s)${last ? `, last poll ${last}` : ''}`;
}

export const registered: Command = {
  name: 'registered',
  args: '',
  summary: 'every workflow and task with its retry policy and time limits; is a worker polling now?',
  help: '  --task-queue Q   another task queue than TEMPORAL_TASK_QUEUE',
  options: { 'task-queue': { type: 'string' } },
  async run({ client, out }, _positionals, options) {
    const quiz = await client();
    const taskQueue = (options['task-queue'] as string | undefined) ?? quiz.taskQueue;
    const [workflowPollers, activityPollers] = await Promise.all([
      pollers(quiz, taskQueue, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW),
      pollers(quiz, taskQueue, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY),
    ]);
    const report = {
      taskQueue,
      workers: { workflow: workflowPollers, activity: activityPollers },
      workflows: Object.keys(workflows).filter((name) => typeof (workflows as Record<string, unknown>)[name] === 'function'),
      tasks: taskNames.map((name) => describePolicy(name, catalogue[name])),
    };
    out.result(report, (r) =>
      [
        `Task queue "${r.taskQueue}", worker polling now:`,
        pollerLine('workflow', r.workers.workflow),
        pollerLine('activity', r.workers.activity),
        '',
        `Workflows (${r.workflows.length}): ${r.workflows.join(', ')}`,
        '',
        table(
          ['TASK', 'MAX RETRIES', 'ATTEMPTS', 'RETRY DELAY', 'BACKOFF', 'TIME LIMIT', 'SOFT LIMIT', 'HEARTBEAT', 'RUNS'],
          r.tasks.map((t) => [
            t.name,
            String(t.maxRetries),
            t.maximumAttempts === 0 ? 'unlimited' : String(t.maximumAttempts),
            t.maxRetries === 0 ? '' : seconds(t.retryDelayMs),
            `x${t.retryBackoff}`,
            seconds(t.timeLimitMs),
            seconds(t.softTimeLimitMs),
            seconds(t.heartbeatTimeoutMs),
            t.local ? 'local' : 'activity',
          ]),
        ),
      ].join('\n'),
    );
  },
};
