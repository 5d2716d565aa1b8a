import type { Client } from '@temporalio/client';
import { waitFor, WaitTimedOut } from './wait';

/**
 * The server writes visibility (what `count` and `list` read) after an execution changes, on a
 * queue of its own: counted the moment a result arrives, a completed execution can still be
 * missing. Counts again until at least `atLeast` match or 10 s have passed; returns the last count
 * either way, so the caller's assertion shows too few, and more than expected (a task run twice).
 */
export async function visibleCount(client: Client, query: string, atLeast: number): Promise<number> {
  let count = 0;
  const enough = async () => {
    ({ count } = await client.workflow.count(query));
    return count >= atLeast;
  };
  await waitFor(`${atLeast} executions matching ${query}`, enough, 10_000).catch((error: unknown) => {
    if (!(error instanceof WaitTimedOut)) throw error;
  });
  return count;
}
