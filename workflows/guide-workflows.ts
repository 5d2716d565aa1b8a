/**
 * The guide's own compositions as ready workflows, each under its own name in the Web UI.
 */
import type { Duration } from '@temporalio/common';
import { sleep } from '@temporalio/workflow';
import type { PolicyOverrides } from '../tasks/catalogue';
import { CanvasRunner, countTasks, describeNode, type CanvasNode } from './canvas';
import { ProgressTracker } from './progress';
import { runTask, usePolicyOverrides } from './task-runner';

interface WithPolicies {
  policies?: PolicyOverrides;
}

/** Runs one canvas tree with progress counted per task. */
function runCanvas(tree: CanvasNode, total: number): Promise<unknown> {
  const progress = new ProgressTracker(total);
  return progress.run(() => new CanvasRunner(progress).run(tree));
}

export interface DownloadProcessNotifyInput extends WithPolicies {
  url: string;
  /** Who hears about the result; the configured admins when absent. */
  notify?: string;
}

/** The guide's "Цепочка задач": chain(download_file.s(url), process_file.s(), send_notification.s('admin@…')). */
export async function downloadProcessNotify({ url, notify, policies }: DownloadProcessNotifyInput): Promise<unknown> {
  usePolicyOverrides(policies);
  const steps: CanvasNode[] = [
    { kind: 'task', task: 'downloadFile', args: [url] },
    { kind: 'task', task: 'processFile', args: [] },
    { kind: 'task', task: 'sendNotification', args: notify ? [notify] : [] },
  ];
  return runCanvas({ kind: 'chain', steps }, steps.length);
}

export interface EmailEveryoneInput extends WithPolicies {
  subject: string;
  message: string;
  recipients: string[];
}

/**
 * The guide's "Групповое выполнение": group(send_email.s('user1@…', 'Hello'), …). One message per
 * recipient, in parallel, so one bad address fails only its own send; the failure names it.
 */
export async function emailEveryone({ subject, message, recipients, policies }: EmailEveryoneInput): Promise<boolean[]> {
  usePolicyOverrides(policies);
  const members: CanvasNode[] = recipients.map((to) => ({ kind: 'task', task: 'sendEmailAsync', args: [subject, message, [to]] }));
  return (await runCanvas({ kind: 'group', members }, members.length)) as boolean[];
}

export interface LongTaskInput extends WithPolicies {
  items: string[];
}

/**
 * The guide's "Мониторинг выполнения": long_task(items) runs process_item for each item and
 * reports { current, total } after each one through the `progress` query.
 */
export async function longTask({ items, policies }: LongTaskInput): Promise<{ status: 'completed'; processed: number }> {
  usePolicyOverrides(policies);
  const progress = new ProgressTracker(items.length);
  return progress.run(async () => {
    for (const [index, item] of items.entries()) {
      await runTask('processItem', [item]);
      progress.advance(index + 1, `processed ${item}`);
    }
    return { status: 'completed', processed: items.length };
  });
}

export interface FollowUpInput extends WithPolicies {
  first: CanvasNode;
  next: CanvasNode;
  /** How long after `first` finishes `next` starts; the guide's countdown=3600. */
  delay?: Duration;
}

/**
 * The guide's "Не блокируйте worker'ы" done right: `first` now, `next` after a durable timer
 * (each a task or any composition, with all its arguments).
 * While the timer runs no worker holds anything for this execution: the timer lives in the
 * Temporal server, and the workflow resumes on whichever worker is free when it fires.
 */
export async function followUp({ first, next, delay = '1 hour', policies }: FollowUpInput): Promise<[unknown, unknown]> {
  usePolicyOverrides(policies);
  const progress = new ProgressTracker(countTasks(first) + countTasks(next));
  const runner = new CanvasRunner(progress);
  return progress.run(async () => {
    const firstResult = await runner.run(first);
    progress.advance(countTasks(first), `${describeNode(next)} starts in ${typeof delay === 'number' ? `${delay} ms` : delay}`);
    await sleep(delay);
    return [firstResult, await runner.run(next)];
  });
}
