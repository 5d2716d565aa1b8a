/** `quiz start <task> <json-args>`: Celery's `task.apply_async(args, countdown=…, task_id=…)`. */
import type { Command } from '../cli/command';
import { numberOption } from '../cli/command';
import { CliError, ExitCode } from '../cli/output';

function parseArguments(json: string): unknown[] {
  let args: unknown;
  try {
    args = JSON.parse(json);
  } catch (error) {
    throw new CliError(ExitCode.usage, `the arguments are not valid JSON (${(error as Error).message}); example: '[4, 5]'`);
  }
  if (!Array.isArray(args)) throw new CliError(ExitCode.usage, `the arguments must be a JSON array, e.g. '[4, 5]'; got ${json}`);
  return args;
}

export const start: Command = {
  name: 'start',
  args: '<task> <json-args>',
  summary: 'start a task; prints its id',
  help: [
    '<json-args> is a JSON array of the task\'s arguments; they are checked before anything starts.',
    '  --countdown N   seconds to wait before the task may start',
    '  --task-id ID    the execution id (random otherwise); the same id again returns the',
    '                  execution that is running or has succeeded instead of starting another',
    "Example: quiz start addNumbers '[4, 5]' --countdown 10",
  ].join('\n'),
  options: { countdown: { type: 'string' }, 'task-id': { type: 'string' } },
  async run({ client, out }, [task, json], options) {
    const args = parseArguments(json);
    const countdown = numberOption(options, 'countdown');
    const taskId = options['task-id'] as string | undefined;
    const handle = await (await client()).applyAsync(task, args, { countdown, taskId });
    out.result({ id: handle.id, task }, ({ id }) => id);
  },
};
