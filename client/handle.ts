/**
 * Celery's AsyncResult, for one execution: id, status, progress, result, cancel, terminate.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';
import { progressQuery, type Progress, type TaskState } from '../workflows/progress';
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
   * The workflow's own progress (its `progress` query), with the running step's retry attempt
   * from the server's description merged in.
   */
  async progress(): Promise<Progress> {
    const [reported, description] = await Promise.all([this.workflow.query(progressQuery), this.workflow.describe()]);
    const retrying = (description.raw.pendingActivities ?? []).find((a) => (a.attempt ?? 1) > 1);
    if (!retrying || reported.state === 'SUCCESS' || reported.state === 'FAILURE') return reported;
    return { ...reported, state: 'RETRY', attempt: retrying.attempt ?? undefined };
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
