/**
 * Runs writeUserReport in a worker thread with a heap of its own, capped: Celery's
 * `--max-memory-per-child`, for the one task whose memory grows with its input size.
 *
 * Why a thread: ExcelJS makes short-lived objects for every cell. In the worker's own large heap
 * V8 lets that garbage pile up longer the longer a report runs (a 1M-row report peaked ~50 MB
 * above a 100k one, though what is live stays the same). In a small heap it is collected early,
 * so a report costs the same memory at any size, never grows the heap that runs every other task,
 * and gives its memory back when the thread ends. A report that would need more than the cap
 * fails alone instead of taking the whole worker down.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { Config } from '../common/config';
import { PermanentError, TemporaryError } from '../common/errors';
import type { User } from '../db/schema';
import { temporaryPathFor } from './atomic-write';
import type { ReportType } from './user-report-workbook';

/**
 * What a report keeps alive is a page of rows plus ExcelJS's and the zip's buffers: ~15 MB of
 * heap at any row count. A 16 MB young generation (a third of V8's default) collects its garbage
 * early; the old generation's cap leaves the live data eight times its size. Measured with
 * bench/reports.ts: 1M rows peak at 141 MB for the whole process, 1.05× the 100k peak.
 */
export const REPORT_THREAD_HEAP = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 128 } as const;

/** Shared with the thread: set to 1 to stop it, read by the thread between pages. */
export type StopFlag = Int32Array;

export interface ReportJob {
  /** The thread opens its own connection to the database this names. */
  config: Config;
  user: User;
  reportType: ReportType;
  target: string;
  /** The task's executionKey(): names the temporary file, so a retry replaces its own leftover. */
  key: string;
}

/** An error as it crosses the thread boundary: enough to rebuild the guide's error classes. */
export interface ThreadError {
  name: string;
  message: string;
  type?: string;
  stack?: string;
}

export interface ThreadData {
  job: ReportJob;
  stop: StopFlag;
}

export type ThreadMessage =
  | { rows: number }
  | { done: { attempts: number; rows: number } }
  | { failed: ThreadError };

function rebuild(error: ThreadError): Error {
  if (error.name === 'PermanentError') return new PermanentError(error.message, { type: error.type });
  if (error.name === 'TemporaryError') return new TemporaryError(error.message, { type: error.type });
  return Object.assign(new Error(error.message), { name: error.name, stack: error.stack });
}

// The thread runs TypeScript like the rest of the worker; tsx's require hook is registered there
// first, since a worker thread does not inherit the main thread's loaders.
const entry = path.join(__dirname, 'user-report-thread-main.ts');
const bootstrap = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(entry)});`;

export interface ReportThreadOptions {
  signal?: AbortSignal;
  onRows?: (rows: number) => void;
  /** REPORT_THREAD_HEAP unless given. */
  heap?: ResourceLimits;
}

export function writeUserReportInThread(job: ReportJob, options: ReportThreadOptions): Promise<{ attempts: number; rows: number }> {
  const { signal, onRows, heap = REPORT_THREAD_HEAP } = options;
  signal?.throwIfAborted();
  return new Promise((resolve, reject) => {
    // Shared memory rather than a message: the thread reads it at every page even when it never
    // yields to its event loop. It then removes its temporary file and reports back.
    const stop: StopFlag = new Int32Array(new SharedArrayBuffer(4));
    const data: ThreadData = { job, stop };
    const thread = new Worker(bootstrap, { eval: true, workerData: data, resourceLimits: heap });
    const abort = () => Atomics.store(stop, 0, 1);
    signal?.addEventListener('abort', abort, { once: true });
    let outcome: { result: { attempts: number; rows: number } } | { error: unknown } | undefined;

    thread.on('message', (message: ThreadMessage) => {
      if ('rows' in message) onRows?.(message.rows);
      else if ('done' in message) outcome = { result: message.done };
      // Cancellation and the soft time limit keep their own failure types, as in the main thread.
      else outcome = { error: signal?.aborted ? signal.reason : rebuild(message.failed) };
    });
    // The thread died without cleaning up (out of memory, or an uncaught error).
    let crashed = false;
    thread.on('error', (error: Error & { code?: string }) => {
      crashed = true;
      outcome =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? {
              error: new PermanentError(
                `the report for user ${job.user.id} needed more than its ${heap.maxOldGenerationSizeMb} MB heap ` +
                  `(REPORT_THREAD_HEAP in activities/user-report-thread.ts); its rows are streamed, so this is a bug to report, not a size to retry`,
                { type: 'ReportOutOfMemory' },
              ),
            }
          : { error };
    });
    thread.on('exit', (code) => {
      signal?.removeEventListener('abort', abort);
      if (outcome && 'result' in outcome) return resolve(outcome.result);
      const error = outcome?.error ?? new Error(`the report thread for user ${job.user.id} exited with code ${code} without a result`);
      const leftover = crashed ? rm(temporaryPathFor(job.target, job.key), { force: true }) : Promise.resolve();
      leftover.then(() => reject(error), reject);
    });
  });
}
