/**
 * Chains, groups and chords against a real dev server: results and order, parallelism, partial
 * failure, nesting, refusal before start, cancellation mid-chain, countdown, and the guide's
 * "don't block workers" durable wait.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { tsToMs } from '@temporalio/common/lib/time';
import { chain, chord, group, TaskFailedError, TaskRequestError, TaskRevokedError, type Canvas, type NoParent, type TaskHandle } from '../client';
import { simpleParser } from 'mailparser';
import type { DownloadProcessNotifyInput, EmailEveryoneInput, FollowUpInput } from '../workflows/guide-workflows';
import { TestHttpServer } from './helpers/http-server';
import { startWorld, type World } from './helpers/world';
import { waitFor } from './helpers/wait';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world?.close());

/** The tasks the server scheduled for an execution, in order, with their arguments. */
async function scheduledTasks(handle: TaskHandle, of = world): Promise<{ task: string; args: unknown[] }[]> {
  const history = await of.client.temporal.workflow.getHandle(handle.id).fetchHistory();
  const converter = of.client.temporal.options.loadedDataConverter;
  const scheduled = (history.events ?? []).flatMap((event) => event.activityTaskScheduledEventAttributes ?? []);
  return Promise.all(
    scheduled.map(async (a) => ({ task: a.activityType?.name ?? '', args: await decodeArrayFromPayloads(converter, a.input?.payloads) })),
  );
}

async function eventTypes(handle: TaskHandle): Promise<string[]> {
  const history = await world.client.temporal.workflow.getHandle(handle.id).fetchHistory();
  return (history.events ?? []).map((event) => Object.keys(event).find((key) => key.endsWith('EventAttributes')) ?? '');
}

/** Mail the tasks wrote to the outbox (no SMTP_URL in these worlds): recipients and body. */
async function outbox(of: World): Promise<{ to: string; text: string }[]> {
  const dir = of.config.paths.mailOutboxDir;
  const files = (await readdir(dir).catch(() => [])).filter((name) => name.endsWith('.eml'));
  return Promise.all(
    files.map(async (name) => {
      const mail = await simpleParser(await readFile(path.join(dir, name)));
      return { to: [mail.to ?? []].flat().map((a) => a.text).join(', '), text: mail.text ?? '' };
    }),
  );
}

test('a chain runs its steps in order, each receiving the previous result as its first argument', async () => {
  const { addNumbers, processItem } = world.client.tasks;
  const sum = await chain(addNumbers.s(1, 2), addNumbers.s(10), addNumbers.s(100)).delay();
  await expect(sum.result()).resolves.toBe(113);

  const handle = await chain(processItem.s('report.csv', 50), processItem.s(60), processItem.si('other.csv', 70)).delay();
  await expect(handle.result()).resolves.toBe('other.csv');
  expect(await scheduledTasks(handle)).toEqual([
    { task: 'processItem', args: ['report.csv', 50] },
    { task: 'processItem', args: ['report.csv', 60] },
    // si(): immutable, the previous result is not passed on.
    { task: 'processItem', args: ['other.csv', 70] },
  ]);
  const description = await world.client.temporal.workflow.getHandle(handle.id).describe();
  expect(description.type).toBe('canvas');
});

test('a group runs its members in parallel and returns every result in order', async () => {
  const { processItem } = world.client.tasks;
  const handle = await group(processItem.s('a', 1000), processItem.s('b', 1000), processItem.s('c', 1000)).delay();
  await expect(handle.result()).resolves.toEqual(['a', 'b', 'c']);
  const description = await world.client.temporal.workflow.getHandle(handle.id).describe();
  // Three one-second steps one after another would take 3 s.
  expect(description.closeTime!.getTime() - description.startTime.getTime()).toBeLessThan(2000);
});

test('a failing group member does not cancel the others; the failure names it and why', async () => {
  const { addNumbers, processItem, sendWelcomeEmail } = world.client.tasks;
  const handle = await group(addNumbers.s(1, 2), sendWelcomeEmail.s('not-an-address'), processItem.s('slow', 700)).delay();
  const error = (await handle.result().catch((e: unknown) => e)) as TaskFailedError;
  expect(error).toBeInstanceOf(TaskFailedError);
  expect(error.type).toBe('GroupFailed');
  expect(error.message).toBe(
    '1 of 3 group members failed: member 2 (sendWelcomeEmail): InvalidEmailAddress: "not-an-address" is not a valid email address (expected name@domain.tld)',
  );
  expect(error.details).toEqual([
    {
      failed: [{ position: 2, step: 'sendWelcomeEmail', type: 'InvalidEmailAddress', message: expect.stringContaining('not-an-address') }],
      // The slow member finished after its sibling failed.
      results: [3, null, 'slow'],
    },
  ]);
  expect(await handle.status()).toBe('FAILURE');
});

test('a chain stops at the first failure and says which step', async () => {
  const { processItem, sendWelcomeEmail } = world.client.tasks;
  const handle = await chain(processItem.s('bad@', 10), sendWelcomeEmail.s(), processItem.si('never', 10)).delay();
  await expect(handle.result()).rejects.toMatchObject({
    type: 'ChainFailed',
    message: expect.stringMatching(/^chain step 2 of 3 \(sendWelcomeEmail\) failed: InvalidEmailAddress: "bad@" is not a valid/),
  });
  expect((await scheduledTasks(handle)).map((s) => s.task)).toEqual(['processItem', 'sendWelcomeEmail']);
});

test("a chord's callback receives the list of the group's results", async () => {
  const { addNumbers, sendNotification } = world.client.tasks;
  const handle = await chord(group(addNumbers.s(1, 2), addNumbers.s(3, 4)), sendNotification.s('admin@quiz-code.com')).delay();
  const sent = await handle.result();
  expect(sent.to).toEqual(['admin@quiz-code.com']);
  // The notification's body is what the callback received: the group's results.
  const mail = (await outbox(world)).find((m) => m.text.replace(/\s/g, '') === '[3,7]');
  expect(mail?.to).toBe('admin@quiz-code.com');
});

test('canvases nest: a group inside a chain, a chain inside a group', async () => {
  const { addNumbers } = world.client.tasks;
  const handle = await chain(addNumbers.s(1, 2), group(addNumbers.s(10), chain(addNumbers.s(100), addNumbers.s(1000)))).delay();
  await expect(handle.result()).resolves.toEqual([13, 1103]);
});

test('unknown tasks and arguments that do not fit are refused before anything starts', async () => {
  const { addNumbers } = world.client.tasks;
  const refused = async (tree: unknown, message: RegExp | string) => {
    const taskId = `refused-${Math.random().toString(36).slice(2)}`;
    await expect(world.client.applyCanvas(tree, { taskId })).rejects.toThrow(message);
    await expect(world.client.temporal.workflow.getHandle(taskId).describe()).rejects.toThrow(WorkflowNotFoundError);
  };
  const step = (task: string, ...args: unknown[]) => ({ kind: 'task', task, args });
  await refused({ kind: 'chain', steps: [step('addNumbers', 1, 2), step('noSuchTask')] }, /^canvas > chain step 2: unknown task "noSuchTask"; registered tasks: addNumbers/);
  await refused(
    { kind: 'chain', steps: [step('addNumbers', 1, 2), step('addNumbers', 'ten')] },
    'canvas > chain step 2: addNumbers: argument 2: Invalid input: expected number, received string (argument 1 comes from the previous step)',
  );
  await refused({ kind: 'group', members: [step('addNumbers', 1)] }, /^canvas > group member 1: addNumbers: /);
  await refused({ kind: 'chord', header: [step('addNumbers', 1, 2)], body: step('addNumbers', 1, 2) }, /^canvas > chord callback: addNumbers: /);
  await refused({ kind: 'group', members: [] }, 'canvas: "members" must be a non-empty list');
  await refused({ kind: 'loop' }, /^canvas: unknown kind "loop"/);
  // The typed path is checked the same way: a partial signature cannot start a chain.
  const partialFirst = chain(addNumbers.s(1)) as unknown as Canvas<number, NoParent>;
  await expect(partialFirst.delay()).rejects.toThrow(TaskRequestError);
});

test('cancelling mid-chain revokes it: the running step is cancelled, later steps never start', async () => {
  const { processItem } = world.client.tasks;
  const handle = await chain(processItem.s('first', 10), processItem.s(30_000), processItem.s(10)).delay();
  await waitFor('the second step to run', async () => {
    const pending = (await world.client.temporal.workflow.getHandle(handle.id).describe()).raw.pendingActivities ?? [];
    return pending.length === 1 && (await scheduledTasks(handle)).length === 2;
  });
  await handle.cancel();
  await expect(handle.result()).rejects.toThrow(TaskRevokedError);
  expect(await handle.status()).toBe('REVOKED');
  const events = await eventTypes(handle);
  expect(events).toContain('activityTaskCancelRequestedEventAttributes');
  expect(events.at(-1)).toBe('workflowExecutionCanceledEventAttributes');
  expect(await scheduledTasks(handle)).toHaveLength(2);
  // The running step learnt of it through its heartbeat and stopped, long before its 30 s were up.
  const stopped = Date.now();
  await waitFor('the running step to stop', async () => world.worker.worker.getStatus().numInFlightNonLocalActivities === 0);
  expect(Date.now() - stopped).toBeLessThan(10_000);
});

test('countdown and taskId apply to a whole composition', async () => {
  const { addNumbers } = world.client.tasks;
  const taskId = `chain-${Date.now()}`;
  const handle = await chain(addNumbers.s(1, 2), addNumbers.s(3)).applyAsync({ countdown: 2, taskId });
  expect(handle.id).toBe(taskId);
  expect(await handle.status()).toBe('PENDING');
  await expect(handle.result()).resolves.toBe(6);
  const description = await world.client.temporal.workflow.getHandle(taskId).describe();
  expect(description.executionTime!.getTime() - description.startTime.getTime()).toBeGreaterThanOrEqual(1900);
  // The first workflow task, and so the first step, came only after the delay.
  const history = await world.client.temporal.workflow.getHandle(taskId).fetchHistory();
  const firstTask = history.events!.find((e) => e.workflowTaskStartedEventAttributes)!;
  expect(tsToMs(firstTask.eventTime) - description.startTime.getTime()).toBeGreaterThanOrEqual(1900);
});

describe("the guide's \"don't block workers\": a durable timer instead of a sleeping task", () => {
  let oneSlot: World;
  beforeAll(async () => {
    oneSlot = await startWorld({ tuning: { maxConcurrentActivityTaskExecutions: 1 } });
  });
  afterAll(() => oneSlot?.close());

  test('runs the next task after the delay, holding no worker slot while it waits', async () => {
    const { processItem } = oneSlot.client.tasks;
    const input: FollowUpInput = { first: processItem.s('now', 10).node, next: processItem.s('later', 10).node, delay: '3s' };
    const handle = await oneSlot.client.startWorkflow<[string, string]>('followUp', input);
    const workflow = oneSlot.client.temporal.workflow.getHandle(handle.id);
    await waitFor('the timer to start', async () => (await eventTypes(handle)).includes('timerStartedEventAttributes'));

    // Nothing is running for it, and the worker's only activity slot serves another task meanwhile.
    expect((await workflow.describe()).raw.pendingActivities ?? []).toHaveLength(0);
    const other = await processItem.delay('meanwhile', 10);
    await expect(other.result()).resolves.toBe('meanwhile');
    expect(await handle.status()).toBe('STARTED');
    expect((await handle.progress()).message).toBe('processItem starts in 3s');

    await expect(handle.result()).resolves.toEqual(['now', 'later']);
    const history = await workflow.fetchHistory();
    const fired = history.events!.find((e) => e.timerFiredEventAttributes)!;
    const started = history.events!.find((e) => e.timerStartedEventAttributes)!;
    expect(tsToMs(fired.eventTime) - tsToMs(started.eventTime)).toBeGreaterThanOrEqual(2900);
  });
});

describe("the guide's own compositions, as ready workflows", () => {
  let http: TestHttpServer;
  let guide: World;
  beforeAll(async () => {
    http = await new TestHttpServer().start();
    guide = await startWorld();
  });
  afterAll(async () => {
    await guide?.close();
    await http?.stop();
  });

  test('download → process → notify the admin', async () => {
    const url = http.on('/export/quiz-results.csv', (_, response) => {
      response.writeHead(200, { 'content-type': 'text/csv' }).end('user,score\nann,7\nbob,9\n');
    });
    const input: DownloadProcessNotifyInput = { url };
    const handle = await guide.client.startWorkflow<{ to: string[] }>('downloadProcessNotify', input);
    await expect(handle.result()).resolves.toMatchObject({ to: ['admin@quiz-code.com'] });
    expect((await scheduledTasks(handle, guide)).map((s) => s.task)).toEqual(['downloadFile', 'processFile', 'sendNotification']);
    const [mail] = await outbox(guide);
    expect(mail.to).toBe('admin@quiz-code.com');
    expect(mail.text).toContain('quiz-results.csv обработан');
    expect(mail.text).toContain('"records": 2');
  });

  test('the same email to several recipients in parallel; a bad address fails only its own send', async () => {
    const input: EmailEveryoneInput = { subject: 'Hello', message: 'Новый квиз!', recipients: ['user1@example.com', 'user 2', 'user3@example.com'] };
    const handle = await guide.client.startWorkflow('emailEveryone', input);
    await expect(handle.result()).rejects.toMatchObject({
      type: 'GroupFailed',
      message: expect.stringContaining('1 of 3 group members failed: member 2 (sendEmailAsync): InvalidEmailAddress: "user 2"'),
      details: [expect.objectContaining({ results: [true, null, true] })],
    });
    const sent = (await outbox(guide)).filter((m) => m.text.trim() === 'Новый квиз!').map((m) => m.to);
    expect(sent.sort()).toEqual(['user1@example.com', 'user3@example.com']);
  });
});
