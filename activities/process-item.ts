/**
 * The guide's `process_item(item)`: the unit of work its `long_task(items)` loops over. The guide
 * leaves the work itself open, so here it is `durationMs` of waiting, which gives demos, canvas
 * tests and the benchmark steps of a known length. Like every long task it heartbeats how far it
 * got ({ current, total, message }: `handle.progress()` shows it) and stops as soon as it is
 * cancelled or passes its soft time limit.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { heartbeat } from '@temporalio/activity';
import { PermanentError } from '../common/errors';
import type { StepProgress } from '../workflows/progress';
import { taskSignal } from './task-context';

const TICK_MS = 100;

/** Returns the item, so items can flow on through a chain. */
export async function processItem(item: string, durationMs = 1000): Promise<string> {
  if (!(Number.isFinite(durationMs) && durationMs >= 0)) {
    throw new PermanentError(`durationMs must be 0 or more milliseconds; got ${durationMs}`, { type: 'InvalidArgument' });
  }
  const signal = taskSignal();
  for (let elapsed = 0; elapsed < durationMs; ) {
    heartbeat({ current: elapsed, total: durationMs, message: `processing ${item}` } satisfies StepProgress);
    const wait = Math.min(TICK_MS, durationMs - elapsed);
    try {
      await sleep(wait, undefined, { signal });
    } catch (error) {
      // The signal's reason says why (cancelled, or the soft time limit); rethrow that.
      signal.throwIfAborted();
      throw error;
    }
    elapsed += wait;
  }
  return item;
}
