/**
 * Run-time shapes of every task's arguments, checked by the client before anything starts
 * (the command line and the web app pass untyped JSON). The compiler checks that each schema
 * matches its activity's parameters, so the two cannot drift apart.
 */
import { z } from 'zod';
import type { TaskArgs, TaskName } from './catalogue';

export const taskArguments = {
  addNumbers: z.tuple([z.number(), z.number()]),
  sendWelcomeEmail: z.tuple([z.string()]),
  sendEmailAsync: z.tuple([z.string(), z.string(), z.array(z.string())]),
  sendNotification: z.tuple([z.unknown(), z.string().optional()]),
} satisfies { [K in TaskName]: z.ZodType<TaskArgs<K>> };

/** Names of a task's parameters for messages, e.g. "(x, y)". */
export function parameterCount(name: TaskName): { min: number; max: number } {
  const items = taskArguments[name].def.items as z.ZodType[];
  const required = items.filter((item) => !item.safeParse(undefined).success).length;
  return { min: required, max: items.length };
}
