/**
 * writeXlsx in a worker thread with a heap of its own, capped: Celery's `--max-memory-per-child`,
 * for the tasks whose workbooks grow with their input (a user's report of every attempt).
 *
 * Why a thread: a report's memory is then its own. Its heap is capped, so V8 collects a long
 * report's garbage early instead of letting it pile up in the worker's large heap (written in the
 * task's own thread, a 1M-row report peaked at 153 MB against 136 MB for 100k rows); a report costs
 * the same memory at any size, never grows the heap that runs every other task, and gives its
 * memory back when the thread ends. A workbook that would need more than the cap fails alone
 * instead of taking the whole worker down.
 *
 * Only the writing moves: the pages are read here, in the task's own thread (from the database,
 * say), and posted to the thread a few at a time. Reading then runs on the second core while the
 * thread writes, the thread loads nothing but the writer, and it can start while the first page
 * is still being read. Pages read here as objects over a long run would grow this thread's heap
 * instead (V8 enlarges its young generation under a sustained load: +25 MB at 1M rows), so large
 * sheets come as JSON text, parsed only by the writing thread.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { PermanentError, TemporaryError } from '../common/errors';
import { temporaryPathFor } from './atomic-write';
import type { Cell, SheetSource, XlsxWriteOptions } from './xlsx-file';

/**
 * What the writer keeps alive is a few pages of rows plus ExcelJS's and the zip's buffers: ~15 MB
 * of heap at any row count. An 8 MB young generation (a sixth of V8's default) collects its
 * garbage early: 138 MB at 1M rows against 147–150 MB with 16 MB and no slower; 4 MB saves 6 MB
 * more but costs ~10 % in collections. The old generation's cap leaves the live data eight times
 * its size.
 */
export const XLSX_THREAD_HEAP = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 128 } as const;

/** Pages posted but not yet written: enough to keep the thread busy, few enough to stay flat. */
const PAGES_IN_FLIGHT = 4;

/** Shared with the thread: set to 1 to stop it, read by the thread after every page. */
export type StopFlag = Int32Array;

export interface ThreadData {
  target: string;
  key: string;
  /** The sheets without their pages, which follow as messages. */
  sheets: Omit<ThreadSheetSource, 'pages'>[];
  stop: StopFlag;
}

/** A page as the JSON text of its Cell[][] (dates as Excel serial numbers), e.g. built by the database. */
export type PageText = string;

/** A sheet for writeXlsxInThread: like writeXlsx's, but a page may also come as text. */
export interface ThreadSheetSource extends Omit<SheetSource, 'pages'> {
  pages: AsyncIterable<Cell[][] | PageText> | Iterable<Cell[][] | PageText>;
}

/** To the thread: the next page of a sheet, the end of a sheet, or "stop waiting, you are stopped". */
export type PageMessage = { sheet: number; page: Cell[][] | PageText } | { sheet: number; end: true } | { stopped: true };

/** An error as it crosses the thread boundary: enough to rebuild the guide's error classes. */
export interface ThreadError {
  name: string;
  message: string;
  type?: string;
  stack?: string;
}

/** From the thread: rows written so far (after every page), the result, or the failure. */
export type ThreadMessage = { rows: number } | { done: { rows: number } } | { failed: ThreadError };

function rebuild(error: ThreadError): Error {
  if (error.name === 'PermanentError') return new PermanentError(error.message, { type: error.type });
  if (error.name === 'TemporaryError') return new TemporaryError(error.message, { type: error.type });
  return Object.assign(new Error(error.message), { name: error.name, stack: error.stack });
}

// The thread runs TypeScript like the rest of the worker; tsx's require hook is registered there
// first, since a worker thread does not inherit the main thread's loaders.
const entry = path.join(__dirname, 'xlsx-thread-main.ts');
const bootstrap = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(entry)});`;

export interface XlsxThreadOptions extends XlsxWriteOptions {
  /** XLSX_THREAD_HEAP unless given. */
  heap?: ResourceLimits;
}

type Outcome = { result: { rows: number } } | { error: unknown };

export function writeXlsxInThread(target: string, sheets: readonly ThreadSheetSource[], options: XlsxThreadOptions): Promise<{ rows: number }> {
  const { key, signal, onRows, heap = XLSX_THREAD_HEAP } = options;
  signal?.throwIfAborted();
  return new Promise((resolve, reject) => {
    // Shared memory as well as a message: the thread reads the flag after every page even while
    // it is too busy to take messages, and the message wakes it if it is waiting for a page.
    const stop: StopFlag = new Int32Array(new SharedArrayBuffer(4));
    const data: ThreadData = { target, key, sheets: sheets.map(({ name, columns }) => ({ name, columns })), stop };
    const thread = new Worker(bootstrap, { eval: true, workerData: data, resourceLimits: heap });
    let outcome: Outcome | undefined;
    let exited = false;

    // Pages posted and not yet written; the pump waits for room when there are PAGES_IN_FLIGHT.
    let inFlight = 0;
    let wakePump = () => {};
    const room = () => new Promise<void>((wake) => (wakePump = wake));

    // Set when the caller's signal fires or its pages fail; that error is the one reported.
    let stoppedBy: { error: unknown } | undefined;
    const stopWith = (error: unknown) => {
      if (stoppedBy || exited) return;
      stoppedBy = { error };
      Atomics.store(stop, 0, 1);
      thread.postMessage({ stopped: true } satisfies PageMessage);
      wakePump();
    };
    const onAbort = () => stopWith(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });

    const pump = async () => {
      for (const [index, source] of sheets.entries()) {
        for await (const page of source.pages) {
          while (inFlight >= PAGES_IN_FLIGHT && !stoppedBy && !exited) await room();
          if (stoppedBy || exited) return;
          thread.postMessage({ sheet: index, page } satisfies PageMessage);
          inFlight += 1;
        }
        thread.postMessage({ sheet: index, end: true } satisfies PageMessage);
      }
    };
    pump().catch(stopWith);

    thread.on('message', (message: ThreadMessage) => {
      if ('rows' in message) {
        inFlight -= 1;
        wakePump();
        onRows?.(message.rows);
      } else if ('done' in message) outcome = { result: message.done };
      else outcome = { error: rebuild(message.failed) };
    });
    // The thread died without cleaning up (out of memory, or an uncaught error).
    let crashed = false;
    thread.on('error', (error: Error & { code?: string }) => {
      crashed = true;
      outcome =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? {
              error: new PermanentError(
                `writing ${path.basename(target)} needed more than its ${heap.maxOldGenerationSizeMb} MB heap ` +
                  `(XLSX_THREAD_HEAP in activities/xlsx-thread.ts); its rows are streamed, so this is a bug to report, not a size to retry`,
                { type: 'ReportOutOfMemory' },
              ),
            }
          : { error };
    });
    thread.on('exit', (code) => {
      exited = true;
      wakePump();
      signal?.removeEventListener('abort', onAbort);
      // The thread finishes only after the last page, so a result means nothing was stopped early.
      if (outcome && 'result' in outcome) return resolve(outcome.result);
      // Cancellation, the soft time limit and a failed read keep their own error, not the thread's "stopped".
      const error =
        stoppedBy?.error ??
        (outcome && 'error' in outcome ? outcome.error : new Error(`the thread writing ${path.basename(target)} exited with code ${code} without a result`));
      const leftover = crashed ? rm(temporaryPathFor(target, key), { force: true }) : Promise.resolve();
      leftover.then(() => reject(error), reject);
    });
  });
}
