/**
 * Progress through the `progress` query (the guide's update_state(state='PROGRESS', …)): the
 * guide's long_task item by item, canvases step by step, and a long task's own heartbeats merged
 * in by `handle.progress()`.
 */
import type { Progress, TaskHandle } from '../client';
import { chain, group } from '../client';
import type { LongTaskInput } from '../workflows/guide-workflows';
import { startWorld, type World } from './helpers/world';

let world: World;
beforeAll(async () => {
  // processItem heartbeats every 100 ms; a 1 s heartbeat timeout makes the SDK pass them on
  // every 0.8 s instead of every 4 s, so a few-second test sees them move.
  world = await startWorld({ policies: { processItem: { heartbeatTimeout: '1s' } } });
});
afterAll(() => world?.close());

/** Every distinct progress seen until the execution finishes. */
async function watch(handle: TaskHandle): Promise<Progress[]> {
  const seen: Progress[] = [];
  for (;;) {
    const progress = await handle.progress();
    const last = seen.at(-1);
    if (!last || last.current !== progress.current || last.state !== progress.state) seen.push(progress);
    if (progress.state === 'SUCCESS' || progress.state === 'FAILURE') return seen;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("the guide's long_task reports item by item, from 0 to the total", async () => {
  const input: LongTaskInput = { items: ['a.csv', 'b.csv', 'c.csv', 'd.csv'] };
  const handle = await world.client.startWorkflow<{ status: string; processed: number }>('longTask', input);
  const seen = await watch(handle);
  await expect(handle.result()).resolves.toEqual({ status: 'completed', processed: 4 });

  expect(seen[0]).toMatchObject({ current: 0, total: 4, percent: 0 });
  const currents = seen.map((p) => p.current);
  expect(currents).toEqual([...currents].sort((a, b) => a - b));
  // Each item takes a second, so every step in between is seen.
  expect(currents).toEqual(expect.arrayContaining([1, 2, 3]));
  expect(seen.find((p) => p.current === 2)).toMatchObject({ state: 'PROGRESS', total: 4, percent: 50, message: 'processed b.csv' });
  expect(seen.at(-1)).toMatchObject({ state: 'SUCCESS', current: 4, total: 4, percent: 100 });
});

test('chains and groups report tasks done of tasks total', async () => {
  const { processItem } = world.client.tasks;
  const handle = await chain(processItem.s('x', 500), group(processItem.s(400), processItem.s(1200))).delay();
  const seen = await watch(handle);
  expect(seen.map((p) => p.current)).toEqual([0, 1, 2, 3]);
  expect(seen.every((p) => p.total === 3)).toBe(true);
  expect(seen[2]).toMatchObject({ state: 'PROGRESS', percent: 66, message: 'processItem finished' });
  // While the slow member runs, its own heartbeat shows beside the step count.
  expect(seen[2].running).toEqual([expect.objectContaining({ task: 'processItem', attempt: 1, total: 1200, message: 'processing x' })]);
});

test("a single long task's progress is what it heartbeats", async () => {
  const handle = await world.client.tasks.processItem.delay('big.csv', 3000);
  const seen = await watch(handle);
  const midway = seen.filter((p) => p.state === 'PROGRESS' && p.current > 0 && p.current < 3000);
  expect(midway.length).toBeGreaterThan(0);
  expect(midway[0]).toMatchObject({ total: 3000, message: 'processing big.csv', running: [{ task: 'processItem', attempt: 1, total: 3000 }] });
  expect(midway[0].percent).toBe(Math.floor((midway[0].current / 3000) * 100));
  expect(seen.at(-1)).toMatchObject({ state: 'SUCCESS', current: 1, total: 1, percent: 100 });
});
