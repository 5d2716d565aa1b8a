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

  // @shared_task def generate_user_report(user_id, report_type): "may take several minutes". Celery's
  // default 3 retries; it heartbeats every page of rows, so a dead worker is noticed in 30 s.
  generateUserReport: { maxRetries: 3, defaultRetryDelay: '60s', timeLimit: '15 minutes', heartbeatTimeout: '30s' },
  // beat: cleanup_old_sessions daily at 03:00. Batches heartbeat; a retry just continues deleting.
  cleanupOldSessions: { maxRetries: 3, defaultRetryDelay: '60s', timeLimit: '10 minutes', heartbeatTimeout: '30s' },
  // beat: update_statistics_cache every 30 min. One transaction (nothing to heartbeat); the time
  // limit stays well under the interval so runs never pile up.
  updateStatisticsCache: { maxRetries: 2, defaultRetryDelay: '60s', timeLimit: '5 minutes' },
  // beat: send_weekly_report on Mondays at 09:00.
  sendWeeklyReport: { maxRetries: 3, defaultRetryDelay: '60s', timeLimit: '10 minutes', heartbeatTimeout: '30s' },

  // @shared_task(bind=True, max_retries=3, default_retry_delay=60) with requests.get(url, timeout=10);
  // the 10 s is config.http.requestTimeoutMs, the time limit bounds the whole attempt.
  fetchDataFromApi: { maxRetries: 3, defaultRetryDelay: '60s', timeLimit: '60s' },
  // The chain's download_file / process_file: no policy in the guide; the same retries as the
  // fetch, and heartbeats so a dead worker is noticed in seconds.
  downloadFile: { maxRetries: 3, defaultRetryDelay: '60s', timeLimit: '10 minutes', heartbeatTimeout: '30s' },
  processFile: { maxRetries: 3, defaultRetryDelay: '60s', timeLimit: '300s', heartbeatTimeout: '30s' },
  // @shared_task(time_limit=300, soft_time_limit=250). The guide sets no retries; we allow some
  // because each retry resumes from the last heartbeat's checkpoint, so it gets further each time.
  processLargeFile: {
    maxRetries: 3,
    defaultRetryDelay: '10s',
    timeLimit: '300s',
    softTimeLimit: '250s',
    heartbeatTimeout: '30s',
  },
  // optimize_image: the guide retries every failure after 30 s (self.retry(countdown=30)); here bad
  // images fail at once (PermanentError) and only unexpected errors (disk, memory) are retried.
  optimizeImage: { maxRetries: 3, defaultRetryDelay: '30s', timeLimit: '120s' },

  // beat's every-10-seconds `test_periodic`: a retry would only overlap the next tick.
  testPeriodic: { maxRetries: 0, timeLimit: '10s' },

  // The guide's process_item, the step of long_task(items): it heartbeats every 100 ms, so a
  // short heartbeat timeout notices a lost worker, and a cancellation arrives within seconds.
  processItem: { maxRetries: 3, defaultRetryDelay: '5s', timeLimit: '10 minutes', heartbeatTimeout: '5s' },
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
