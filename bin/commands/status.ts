/** `quiz status <id>`: Celery's `AsyncResult(id).status`, with what Temporal knows besides. */
import { statusOf } from '../../client/status';
import { PROGRESS_TIMEOUT_MS, type Command } from '../cli/command';
import { progressBar } from '../cli/output';

export const status: Command = {
  name: 'status',
  args: '<id>',
  summary: 'status of one execution (PENDING, STARTED, RETRY, PROGRESS, SUCCESS, FAILURE, REVOKED)',
  help: 'Exits 0 whatever the status is (read it from the output), 1 when no execution has that id.',
  async run({ client, out }, [id]) {
    const quiz = await client();
    const description = await quiz.temporal.workflow.getHandle(id).describe();
    const running = description.status.name === 'RUNNING';
    const progress = running ? await quiz.handle(id).progress({ timeout: PROGRESS_TIMEOUT_MS }).catch(() => undefined) : undefined;
    const report = {
      id,
      type: description.type,
      status: statusOf(description),
      taskQueue: description.taskQueue,
      startTime: description.startTime.toISOString(),
      closeTime: description.closeTime?.toISOString(),
      progress,
    };
    out.result(report, (r) =>
      [
        `${r.id}  ${r.type}  ${r.status}`,
        `  started ${r.startTime}${r.closeTime ? `, closed ${r.closeTime}` : ''}, task queue ${r.taskQueue}`,
        ...(r.progress ? [`  ${progressBar(r.progress)}`] : []),
      ].join('\n'),
    );
  },
};
