/** `quiz result <id>`: Celery's `AsyncResult(id).get(timeout=…)`. */
import { numberOption, type Command } from '../cli/command';
import { formatValue } from '../cli/output';

export const result: Command = {
  name: 'result',
  args: '<id>',
  summary: 'wait for an execution and print its result (exit 1 with the reason if it failed)',
  help: '  --timeout MS   give up waiting after MS milliseconds (exit 4); the task itself goes on',
  options: { timeout: { type: 'string' } },
  async run({ client, out }, [id], options) {
    const value = await (await client()).handle(id).result({ timeout: numberOption(options, 'timeout') });
    out.result({ id, status: 'SUCCESS', result: value }, (r) => formatValue(r.result));
  },
};
