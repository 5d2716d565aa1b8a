/**
 * The writing thread (see xlsx-thread.ts): takes pages as the task posts them, writes the workbook
 * with writeXlsx, and reports rows, the result or the failure back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Cell } from './xlsx-file';
import { writeXlsx } from './xlsx-file';
import type { PageMessage, ThreadData, ThreadError, ThreadMessage } from './xlsx-thread';

const port = parentPort!;
const { target, key, sheets, stop } = workerData as ThreadData;
const stopped = new AbortController();
const send = (message: ThreadMessage) => port.postMessage(message);

function stopNow(): void {
  if (!stopped.signal.aborted) stopped.abort(new Error('the task was stopped'));
}

/** Messages in arrival order; pages of one sheet are read only after the previous sheet ended. */
const arrived: PageMessage[] = [];
let waiting: (() => void) | undefined;
port.on('message', (message: PageMessage) => {
  if ('stopped' in message) stopNow();
  arrived.push(message);
  waiting?.();
});

async function* pagesOf(sheet: number): AsyncGenerator<Cell[][]> {
  for (;;) {
    while (arrived.length === 0) {
      stopped.signal.throwIfAborted();
      await new Promise<void>((wake) => (waiting = wake));
    }
    const message = arrived.shift()!;
    if ('stopped' in message) stopped.signal.throwIfAborted();
    else if (message.sheet !== sheet) throw new Error(`a page of sheet ${message.sheet} arrived while sheet ${sheet} was being written`);
    else if ('end' in message) return;
    else yield typeof message.page === 'string' ? (JSON.parse(message.page) as Cell[][]) : message.page;
  }
}

function describeError(error: unknown): ThreadError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  return { name: error.name, message: error.message, type: (error as { type?: string }).type, stack: error.stack };
}

writeXlsx(
  target,
  sheets.map((sheet, index) => ({ ...sheet, pages: pagesOf(index) })),
  {
    key,
    signal: stopped.signal,
    // Called after every page, just before the writer checks the signal; the task counts these
    // messages to know when to post the next page.
    onRows: (rows) => {
      send({ rows });
      if (Atomics.load(stop, 0) === 1) stopNow();
    },
  },
)
  .then((result) => send({ done: result }), (error: unknown) => send({ failed: describeError(error) }))
  // Stops listening, so the thread can end.
  .finally(() => port.close());
