/**
 * The foundation against a real dev server: delay/applyAsync, handles, statuses, countdown,
 * task ids, refusal of bad requests, cancel and terminate, and the Web UI seeing executions.
 */
import { TaskRequestError, TaskRevokedError, TaskTimeoutError } from '../client';
import { TEST_ENV } from './setup/test-environment';
import { startWorld, type World } from './helpers/world';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world?.close());

test('delay() starts addNumbers and the handle gives id, status and result', async () => {
  const handle = await world.client.tasks.addNumbers.delay(4, 5);
  expect(handle.id).toMatch(/^[0-9a-f-]{36}$/);
  await expect(handle.result()).resolves.toBe(9);
  await expect(handle.status()).resolves.toBe('SUCCESS');
  // Celery's AsyncResult(id): any client can pick it up by id.
  await expect(world.client.handle<number>(handle.id).result()).resolves.toBe(9);
});

test('each task runs as a workflow named after the task, visible through the Web UI server', async () => {
  const handle = await world.client.tasks.addNumbers.delay(1, 2);
  await handle.result();
  const description = await world.client.temporal.workflow.getHandle(handle.id).describe();
  expect(description.type).toBe('addNumbers');
  expect(description.taskQueue).toBe(world.worker.taskQueue);

  // The Web UI reads executions through its own HTTP API; ask it what a person would see.
  const ui = process.env[TEST_ENV.uiUrl];
  const response = await fetch(`${ui}/api/v1/namespaces/default/workflows/${handle.id}`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { workflowExecutionInfo: { type: { name: string }; status: string } };
  expect(body.workflowExecutionInfo.type.name).toBe('addNumbers');
  expect(body.workflowExecutionInfo.status).toBe('WORKFLOW_EXECUTION_STATUS_COMPLETED');
});

test('countdown delays the start: PENDING until then, SUCCESS after', async () => {
  const started = Date.now();
  const handle = await world.client.tasks.addNumbers.applyAsync([2, 2], { countdown: 2 });
  expect(await handle.status()).toBe('PENDING');
  await expect(handle.result()).resolves.toBe(4);
  const description = await world.client.temporal.workflow.getHandle(handle.id).describe();
  expect(description.executionTime!.getTime() - description.startTime.getTime()).toBeGreaterThanOrEqual(1900);
  expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
});

test('eta works like countdown', async () => {
  const handle = await world.client.tasks.addNumbers.applyAsync([1, 1], { eta: new Date(Date.now() + 60_000) });
  const description = await world.client.temporal.workflow.getHandle(handle.id).describe();
  expect(description.executionTime!.getTime() - description.startTime.getTime()).toBeGreaterThan(55_000);
  await handle.terminate('test over');
});

test('taskId becomes the workflow id, and starting the same id twice runs it once', async () => {
  const taskId = `sum-${Date.now()}`;
  const first = await world.client.tasks.addNumbers.applyAsync([20, 22], { taskId });
  const second = await world.client.tasks.addNumbers.applyAsync([20, 22], { taskId });
  expect(first.id).toBe(taskId);
  expect(second.id).toBe(taskId);
  await expect(second.result()).resolves.toBe(42);
  const runs = [];
  for await (const run of world.client.temporal.workflow.list({ query: `WorkflowId = "${taskId}"` })) runs.push(run);
  expect(runs).toHaveLength(1);
});

test('bad requests are refused before anything starts, naming the problem', async () => {
  await expect(world.client.applyAsync('noSuchTask', [])).rejects.toThrow(/unknown task "noSuchTask"; registered tasks: addNumbers/);
  await expect(world.client.applyAsync('addNumbers', [1, 'two'])).rejects.toThrow(
    new TaskRequestError('addNumbers: argument 2: Invalid input: expected number, received string'),
  );
  await expect(world.client.applyAsync('addNumbers', [1])).rejects.toThrow(TaskRequestError);
  await expect(world.client.applyAsync('addNumbers', [1, 2, 3])).rejects.toThrow(TaskRequestError);
  await expect(world.client.tasks.addNumbers.applyAsync([1, 2], { countdown: -1 })).rejects.toThrow(/countdown must be/);
});

test('cancel and terminate revoke a task; result() then says so', async () => {
  const cancelled = await world.client.tasks.addNumbers.applyAsync([1, 1], { countdown: 600 });
  await cancelled.cancel();
  await expect(cancelled.result()).rejects.toThrow(TaskRevokedError);
  expect(await cancelled.status()).toBe('REVOKED');

  const terminated = await world.client.tasks.addNumbers.applyAsync([1, 1], { countdown: 600 });
  await terminated.terminate('no longer needed');
  await expect(terminated.result()).rejects.toThrow(/no longer needed/);
  expect(await terminated.status()).toBe('REVOKED');
});

test('result({ timeout }) gives up waiting without harming the task', async () => {
  const handle = await world.client.tasks.addNumbers.applyAsync([1, 1], { countdown: 600 });
  await expect(handle.result({ timeout: 300 })).rejects.toThrow(TaskTimeoutError);
  expect(await handle.status()).toBe('PENDING');
  await handle.terminate('test over');
});
