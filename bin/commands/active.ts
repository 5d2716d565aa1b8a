/** `quiz active`: Celery's `inspect active`, the executions running right now on the task queue. */
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { numberOption, PROGRESS_TIMEOUT_MS, type Command } from '../cli/command';
import { progressCell, table } from '../cli/output';

export const active: Command = {
  name: 'active',
  args: '',
  summary: 'running executions on the task queue: id, type, started, progress',
  help: [
    '  --task-queue Q   another task queue than TEMPORAL_TASK_QUEUE',
    '  --limit N        show at most N executions (default 50), newest first',
  ].join('\n'),
  options: { 'task-queue': { type: 'string' }, limit: { type: 'string' } },
  async run({ client, config, out }, _positionals, options) {
    const quiz = await client();
    const taskQueue = (options['task-queue'] as string | undefined) ?? quiz.taskQueue;
    const limit = numberOption(options, 'limit') ?? 50;
    const running: WorkflowExecutionInfo[] = [];
    const query = `ExecutionStatus = "Running" AND TaskQueue = ${JSON.stringify(taskQueue)}`;
    for await (const execution of quiz.temporal.workflow.list({ query })) {
      if (running.length >= limit) break;
      running.push(execution);
    }
    // Asked side by side: a slow or absent worker costs one timeout, not one per execution.
    const progress = await Promise.all(
      running.map((e) => quiz.handle(e.workflowId).progress({ timeout: PROGRESS_TIMEOUT_MS }).catch(() => undefined)),
    );
    const executions = running.map((e, i) => ({
      id: e.workflowId,
      type: e.type,
      startTime: e.startTime.toISOString(),
      progress: progress[i],
    }));
    out.result({ namespace: config.temporal.namespace, taskQueue, executions }, (r) =>
      r.executions.length === 0
        ? `no running executions on task queue "${r.taskQueue}"`
        : table(
            ['ID', 'TYPE', 'STARTED', 'PROGRESS'],
            r.executions.map((e) => [e.id, e.type, e.startTime, progressCell(e.progress)]),
          ),
    );
  },
};
