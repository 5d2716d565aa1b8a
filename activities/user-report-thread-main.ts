/**
 * The report thread (see user-report-thread.ts): opens its own database connection, writes the
 * workbook, and reports rows, the result or the failure to the task in the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/database';
import { createRepository } from '../db/repository';
import type { ThreadData, ThreadError, ThreadMessage } from './user-report-thread';
import { writeUserReport } from './user-report-workbook';

const port = parentPort!;
const { job, stop } = workerData as ThreadData;
const stopped = new AbortController();
const send = (message: ThreadMessage) => port.postMessage(message);

function describeError(error: unknown): ThreadError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  return { name: error.name, message: error.message, type: (error as { type?: string }).type, stack: error.stack };
}

async function run(): Promise<void> {
  const database = await openDatabase(job.config);
  try {
    const result = await writeUserReport(createRepository(database), job.user, job.reportType, job.target, {
      key: job.key,
      signal: stopped.signal,
      // Called after every page, just before the writer checks the signal.
      onRows: (rows) => {
        send({ rows });
        if (Atomics.load(stop, 0) === 1) stopped.abort(new Error('the task was stopped'));
      },
    });
    send({ done: result });
  } finally {
    await database.close();
  }
}

run().catch((error) => send({ failed: describeError(error) }));
