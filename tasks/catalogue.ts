/**
 * The task catalogue: every task's retry policy and time limits, in the guide's vocabulary.
 * These numbers live here and nowhere else. Adding a task = an activity in `activities/` plus
 * one entry below; the compiler insists on both.
 */
import type { Activities } from '../activities';
import { validatePolicy, type TaskPolicy } from './policy';

export type TaskName = keyof Activities;
export type TaskArgs<K extends TaskName> = Parameters<Activities[K]>;
export type TaskResult<K extends TaskName> = Awaited<ReturnType<Activities[K]>>;

export const catalogue = {
  // @shared_task def add_numbers(x, y)
  addNumbers: { maxRetries: 0, timeLimit: '10s', local: true },

  // @shared_task def send_welcome_email(user_email): the guide gives no policy; mail deserves the
  // same one as send_email_async.
  sendWelcomeEmail: { maxRetries: 3, defaultRetryDelay: '60s', timeLimit: '30s' },

  // @shared_task(bind=True, max_retries=3) … self.retry(exc=exc, countdown=60)
  sendEmailAsync: { maxRetries: 3, defaultRetryDelay: '60s', timeLimit: '30s' },
  sendNotification: { maxRetries: 3, defaultRetryDelay: '60s', timeLimit: '30s' },
} as const satisfies { readonly [K in TaskName]: TaskPolicy };

for (const [name, policy] of Object.entries(catalogue)) validatePolicy(name, policy);

export const taskNames = Object.keys(catalogue) as TaskName[];

export function isTaskName(name: string): name is TaskName {
  return Object.prototype.hasOwnProperty.call(catalogue, name);
}

/** Per-run adjustments of catalogue policies (tests, one-off runs); they travel with the workflow. */
export type PolicyOverrides = { readonly [K in TaskName]?: Partial<TaskPolicy> };

export function policyFor(name: TaskName, overrides?: PolicyOverrides): TaskPolicy {
  const base: TaskPolicy = catalogue[name];
  const override = overrides?.[name];
  if (!override) return base;
  const merged = { ...base, ...override };
  validatePolicy(name, merged);
  return merged;
}
