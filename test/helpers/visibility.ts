import type { Client } from '@temporalio/client';

/**
 * The server writes visibility (what `count` and `list` read) after an execution changes, on a
 * queue of its own: counted the moment a result arrives, a completed execution can still be
 * missing. Counts again until at least `atLeast` match or 10 s have passed; returns the last count,
 * so more than expected (a task run twice) still shows.
 */
export async function visibleCount(client: Client, query: string, atLeast: number): Promise<number> {
  for (const deadline = Date.now() + 10_000; ; ) {
    const { count } = await client.workflow.count(query);
    if (count >= atLeast || Date.now() > deadline) return count;
    await new Promise((r) => setTimeout(r, 200));
  }
}
