/**
 * The client's check of a task name and its arguments against the catalogue's schemas
 * (tasks/arguments.ts), before anything starts: the command line and the web app pass untyped JSON.
 */
import { z } from 'zod';
import { taskArguments } from '../tasks/arguments';
import { isTaskName, taskNames, type TaskName } from '../tasks/catalogue';
import { TaskRequestError } from './errors';

export interface ArgumentCheckOptions {
  /**
   * The task runs after another step whose result becomes its first argument (a partial
   * signature in a chain): only the arguments after the first are given, and checked.
   */
  receivesParent?: boolean;
  /** Where the task sits, for messages (e.g. "chain step 2"). */
  at?: string;
}

/** Throws TaskRequestError naming the task, its position and the bad argument. */
export function checkTaskArgs<K extends TaskName>(name: string, args: unknown, options: ArgumentCheckOptions = {}): asserts name is K {
  const where = options.at ? `${options.at}: ` : '';
  if (!isTaskName(name)) {
    throw new TaskRequestError(`${where}unknown task "${name}"; registered tasks: ${taskNames.join(', ')}`);
  }
  if (!Array.isArray(args)) throw new TaskRequestError(`${where}${name}: arguments must be a list`);
  const schema = taskArguments[name];
  const skipped = options.receivesParent ? 1 : 0;
  const items: readonly z.ZodType[] = schema.def.items;
  const given = skipped ? z.tuple(items.slice(skipped) as [z.ZodType, ...z.ZodType[]]) : schema;
  const parsed = given.safeParse(args);
  if (parsed.success) return;
  const problems = parsed.error.issues.map((issue) => {
    if (!issue.path.length) return issue.message;
    // Numbered as in the task's full parameter list, whatever the previous step supplies.
    const position = Number(issue.path[0]) + 1 + skipped;
    const inside = issue.path.length > 1 ? ` at ${issue.path.slice(1).join('.')}` : '';
    return `argument ${position}${inside}: ${issue.message}`;
  });
  const tail = skipped ? ' (argument 1 comes from the previous step)' : '';
  throw new TaskRequestError(`${where}${name}: ${problems.join('; ')}${tail}`);
}
