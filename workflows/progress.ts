/**
 * The `progress` query every workflow started through the client answers: the guide's
 * `self.update_state(state='PROGRESS', meta={'current': …, 'total': …})`, readable at any time
 * from the client, the command line, or the Web UI's Queries tab.
 */
import { defineQuery, setHandler } from '@temporalio/workflow';

/** The guide's states. PROGRESS is what a task reports about itself while it works. */
export type TaskState = 'PENDING' | 'STARTED' | 'RETRY' | 'PROGRESS' | 'SUCCESS' | 'FAILURE' | 'REVOKED';

export interface Progress {
  state: TaskState;
  current: number;
  total: number;
  /** 0–100, rounded down; 100 only when finished. */
  percent: number;
  message?: string;
  /** Attempt of the running step, when a retry is under way (merged in by the client). */
  attempt?: number;
  /** Running tasks that heartbeat their own progress (merged in by the client). */
  running?: RunningTask[];
}

/** What a long task heartbeats (e.g. `heartbeat({ current, total, message })`), read back by the client. */
export interface StepProgress {
  current: number;
  total: number;
  message?: string;
}

export interface RunningTask extends StepProgress {
  task: string;
  attempt: number;
}

export const progressQuery = defineQuery<Progress>('progress');

/** 0–100, rounded down, so 100 means done. */
export function percentOf(current: number, total: number): number {
  return total > 0 ? Math.floor((current / total) * 100) : 0;
}

export class ProgressTracker {
  private current = 0;
  private state: TaskState = 'STARTED';
  private message?: string;

  constructor(private total: number) {
    setHandler(progressQuery, () => this.snapshot());
  }

  snapshot(): Progress {
    return { state: this.state, current: this.current, total: this.total, percent: percentOf(this.current, this.total), message: this.message };
  }

  advance(current: number, message?: string): void {
    this.current = current;
    this.state = 'PROGRESS';
    this.message = message;
  }

  /** Wraps a workflow body: SUCCESS, FAILURE or REVOKED at the end, as the outcome says. */
  async run<T>(body: () => Promise<T>): Promise<T> {
    try {
      const result = await body();
      this.state = 'SUCCESS';
      this.current = this.total;
      return result;
    } catch (error) {
      this.state = isCancellation(error) ? 'REVOKED' : 'FAILURE';
      this.message = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }
}

function isCancellation(error: unknown): boolean {
  // Checked by name: CancelledFailure may arrive wrapped as the cause of an ActivityFailure.
  for (let e = error as { name?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.name === 'CancelledFailure') return true;
  }
  return false;
}
