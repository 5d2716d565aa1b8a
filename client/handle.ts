/**
 * Celery's AsyncResult, for one execution: id, status, progress, result, cancel, terminate.
 */
import type { Client, WorkflowExecutionDescription, WorkflowHandle } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { percentOf, progressQuery, type Progress, type RunningTask, type StepProgress, type TaskState } from '../workflows/progress';
import { TaskTimeoutError, toTaskError } from './errors';
import { statusOf } from './status';

export interface ResultOptions {
  /** Give up waiting after this many milliseconds (Celery's `get(timeout=…)`); the task goes on. */
  timeout?: number;
}

export class TaskHandle<R = unknown> {
  private readonly workflow: WorkflowHandle;

  constructor(
    private readonly client: Client,
    readonly id: string,
  ) {
    this.workflow = client.workflow.getHandle(id);
  }

  /** PENDING, STARTED, RETRY, SUCCESS, FAILURE or REVOKED. */
  async status(): Promise<TaskState> {
    return statusOf(await this.workflow.describe());
  }

  /** Waits for the result; a failed task rethrows as TaskFailedError with the task's own message. */
  async result(options: ResultOptions = {}): Promise<R> {
    const wait = () => this.workflow.result() as Promise<R>;
    try {
      if (options.timeout === undefined) return await wait();
      return await this.withTimeout(options.timeout, wait);
    } catch (error) {
      if (error instanceof WorkflowFailedError) throw toTaskError(this.id, error);
      throw error;
    }
  }

  /**
   * The workflow's own progress (its `progress` query), merged with what the server's description
   * says about running steps: the retry attempt, and the progress long tasks heartbeat. A single
   * task's progress is its heartbeat's. `timeout` (ms) bounds the wait for a worker to answer.
   */
  async progress(options: { timeout?: number } = {}): Promise<Progress> {
    const ask = () => Promise.all([this.workflow.query(progressQuery), this.workflow.describe()]);
    // A query is answered by a worker; with none polling it would wait indefinitely, so callers
    // that must answer at once (web app, command line) give a deadline.
    const [reported, description] =
      options.timeout === undefined ? await ask() : await this.client.withDeadline(Date.now() + options.timeout, ask);
    if (reported.state === 'SUCCESS' || reported.state === 'FAILURE' || reported.state === 'REVOKED') return reported;
    const running = await this.runningTasks(description);
    const merged: Progress = running.length ? { ...reported, running } : reported;
    const [only] = running;
    if (reported.total <= 1 && running.length === 1 && only.total > 0) {
      Object.assign(merged, {
        state: 'PROGRESS',
        current: only.current,
        total: only.total,
        percent: percentOf(only.current, only.total),
        message: only.message,
      });
    }
    const retrying = (description.raw.pendingActivities ?? []).find((a) => (a.attempt ?? 1) > 1);
    return retrying ? { ...merged, state: 'RETRY', attempt: retrying.attempt ?? undefined } : merged;
  }

  /** Running steps whose last heartbeat carried { current, total }, decoded like any payload. */
  private async runningTasks(description: WorkflowExecutionDescription): Promise<RunningTask[]> {
    const converter = this.client.options.loadedDataConverter;
    const running = await Promise.all(
      (description.raw.pendingActivities ?? []).map(async (activity): Promise<RunningTask | undefined> => {
        const payloads = activity.heartbeatDetails?.payloads;
        if (!payloads?.length) return undefined;
        const details = await decodeFromPayloadsAtIndex<unknown>(converter, 0, payloads);
        if (!isStepProgress(details)) return undefined;
        const { current, total } = details;
        const message = typeof details.message === 'string' ? details.message : undefined;
        return { task: activity.activityType?.name ?? 'unknown', attempt: activity.attempt ?? 1, current, total, message };
      }),
    );
    return running.filter((task): task is RunningTask => task !== undefined);
  }

  /** Graceful: running steps receive cancellation, nothing further starts; status becomes REVOKED. */
  async cancel(): Promise<void> {
    await this.workflow.cancel();
  }

  /** Hard stop (Celery's `revoke(terminate=True)`): no clean-up runs. */
  async terminate(reason = 'terminated by request'): Promise<void> {
    await this.workflow.terminate(reason);
  }

  private async withTimeout<T>(ms: number, fn: () => Promise<T>): Promise<T> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), ms);
    try {
      return await this.client.withAbortSignal(abort.signal, fn);
    } catch (error) {
      if (abort.signal.aborted) throw new TaskTimeoutError(`task ${this.id} did not finish within ${ms} ms`);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}

function isStepProgress(details: unknown): details is StepProgress {
  const { current, total } = (details ?? {}) as Partial<StepProgress>;
  return typeof current === 'number' && typeof total === 'number';
}
