/**
 * The `quiz` command line against the test dev server and a real worker: exit codes, --json,
 * start/status/result/watch, revoking, active and registered. The first test runs the executable
 * as its own process; the rest call the same entry point in-process (a process start-up costs
 * seconds on a busy machine), with their own streams and environment.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { runQuiz } from '../bin/cli/main';
import { projectRoot } from '../common/config';
import { startWorld, type World } from './helpers/world';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world?.close());

const quizEnv = (env: Record<string, string>) => ({
  ...process.env,
  TEMPORAL_TASK_QUEUE: world.worker.taskQueue,
  QUIZ_VAR_DIR: world.config.paths.varDir,
  ...env,
});

/** `quiz …` as a separate process, as a person or a script runs it. */
function quizProcess(args: string[]): Promise<Run> {
  const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');
  return new Promise((resolve) => {
    execFile(tsx, [path.join(projectRoot, 'bin', 'quiz.ts'), ...args], { env: quizEnv({}), timeout: 50_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr }),
    );
  });
}

/** `quiz …` in this process, through the same entry point. */
async function quiz(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const captured = { stdout: '', stderr: '' };
  const code = await runQuiz(args, {
    stdout: { write: (text: string) => (captured.stdout += text) },
    stderr: { write: (text: string) => (captured.stderr += text) },
    env: quizEnv(env),
  });
  return { code, ...captured };
}

const json = (run: Run) => JSON.parse(run.stdout);

test('the executable: a result exits 0, a failure 1 with its reason on one line', async () => {
  const failing = await world.client.applyAsync('sendWelcomeEmail', ['not-an-address']);
  const succeeding = await world.client.tasks.addNumbers.delay(4, 5);
  const [result, failed] = await Promise.all([quizProcess(['result', succeeding.id]), quizProcess(['result', failing.id])]);
  expect(result).toMatchObject({ code: 0, stdout: '9\n', stderr: '' });
  const reason = '"not-an-address" is not a valid email address (expected name@domain.tld)';
  expect(failed).toMatchObject({ code: 1, stdout: '', stderr: `quiz result: FAILURE ${failing.id}: InvalidEmailAddress: ${reason}\n` });
});

test('--help lists every command', async () => {
  const help = await quiz(['--help']);
  expect(help.code).toBe(0);
  for (const name of ['active', 'registered', 'start', 'status', 'result', 'watch', 'cancel', 'terminate', 'schedules']) {
    expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  }
  const startHelp = await quiz(['start', '--help']);
  expect(startHelp.stdout).toMatch(/^Usage: quiz start <task> <json-args>[\s\S]*--countdown N[\s\S]*--task-id ID/);
});

test('usage errors exit 2 and an unreachable Temporal 3, each with a one-line reason', async () => {
  const [unknown, notJson, wrongArgs, missingId, badCountdown, unreachable] = await Promise.all([
    quiz(['inspect']),
    quiz(['start', 'addNumbers', '[4,']),
    quiz(['start', 'addNumbers', '[4, "five"]']),
    quiz(['status']),
    quiz(['start', 'addNumbers', '[1, 2]', '--countdown', 'soon']),
    quiz(['status', 'any'], { TEMPORAL_ADDRESS: '127.0.0.1:1' }),
  ]);
  expect(unknown).toMatchObject({ code: 2, stdout: '', stderr: 'unknown command "inspect"; run "quiz --help"\n' });
  expect(notJson).toMatchObject({ code: 2, stderr: expect.stringMatching(/^quiz start: the arguments are not valid JSON [^\n]*\n$/) });
  expect(wrongArgs).toMatchObject({ code: 2, stderr: expect.stringMatching(/^quiz start: addNumbers: argument 2: [^\n]*expected number[^\n]*\n$/) });
  expect(missingId).toMatchObject({ code: 2, stderr: 'quiz status: usage: quiz status <id>\n' });
  expect(badCountdown).toMatchObject({ code: 2, stderr: 'quiz start: --countdown must be a number, 0 or more; got "soon"\n' });
  expect(unreachable).toMatchObject({ code: 3, stderr: expect.stringMatching(/^quiz status: cannot reach Temporal at 127\.0\.0\.1:1: [^\n]*\n$/) });
});

test('start, result and status, for people and with --json', async () => {
  const started = await quiz(['start', 'addNumbers', '[4, 5]', '--json']);
  expect(started.code).toBe(0);
  const { id, task } = json(started);
  expect(task).toBe('addNumbers');
  expect(id).toMatch(/^[0-9a-f-]{36}$/);

  const [human, asJson] = await Promise.all([quiz(['result', id]), quiz(['result', id, '--json'])]);
  expect(human).toMatchObject({ code: 0, stdout: '9\n' });
  expect(json(asJson)).toEqual({ id, status: 'SUCCESS', result: 9 });
  const [status, statusForPeople] = await Promise.all([quiz(['status', id, '--json']), quiz(['status', id])]);
  expect(json(status)).toMatchObject({ id, type: 'addNumbers', status: 'SUCCESS', taskQueue: world.worker.taskQueue });
  expect(statusForPeople.stdout).toMatch(new RegExp(`^${id}  addNumbers  SUCCESS\n  started `));
});

test('--task-id names the execution; starting it again returns the same one', async () => {
  const taskId = `cli-sum-${Date.now()}`;
  const first = await quiz(['start', 'addNumbers', '[20, 22]', '--task-id', taskId]);
  expect(first).toMatchObject({ code: 0, stdout: `${taskId}\n` });
  await expect(world.client.handle(taskId).result()).resolves.toBe(42);
  const again = await quiz(['start', 'addNumbers', '[20, 22]', '--task-id', taskId]);
  expect(again).toMatchObject({ code: 0, stdout: `${taskId}\n` });
  expect((await world.client.temporal.workflow.count(`WorkflowId = "${taskId}"`)).count).toBe(1);
});

test('with --json a failure comes as data too', async () => {
  const handle = await world.client.applyAsync('sendWelcomeEmail', ['not-an-address']);
  const failed = await quiz(['result', handle.id, '--json']);
  expect(failed.code).toBe(1);
  const message = '"not-an-address" is not a valid email address (expected name@domain.tld)';
  expect(json(failed)).toEqual({ id: handle.id, status: 'FAILURE', error: { type: 'InvalidEmailAddress', message, nonRetryable: true } });
  expect(json(await quiz(['status', handle.id, '--json'])).status).toBe('FAILURE');
});

test('unknown ids exit 1; so does cancelling an execution that has finished', async () => {
  const done = await world.client.tasks.addNumbers.delay(1, 1);
  await done.result();
  const [missing, missingResult, cancelDone] = await Promise.all([
    quiz(['status', 'no-such-task']),
    quiz(['result', 'no-such-task']),
    quiz(['cancel', done.id]),
  ]);
  expect(missing).toMatchObject({ code: 1, stderr: 'quiz status: no task with id "no-such-task"\n' });
  expect(missingResult.code).toBe(1);
  expect(cancelDone).toMatchObject({ code: 1, stderr: `quiz cancel: ${done.id} has already finished (SUCCESS); nothing to cancel\n` });
});

test('a task waiting for its countdown: active lists it, result --timeout exits 4, terminate needs a reason', async () => {
  const { id } = json(await quiz(['start', 'addNumbers', '[2, 3]', '--countdown', '600', '--json']));
  const [listed, listedForPeople, waited, noReason] = await Promise.all([
    quiz(['active', '--json']),
    quiz(['active']),
    quiz(['result', id, '--timeout', '300']),
    quiz(['terminate', id]),
  ]);
  expect(json(listed)).toEqual({
    namespace: 'default',
    taskQueue: world.worker.taskQueue,
    executions: [expect.objectContaining({ id, type: 'addNumbers' })],
  });
  expect(listedForPeople.stdout).toMatch(new RegExp(`^ID +TYPE +STARTED +PROGRESS\n${id}  addNumbers  \\d{4}-`));
  expect(waited).toMatchObject({ code: 4, stderr: `quiz result: task ${id} did not finish within 300 ms\n` });
  expect(noReason.code).toBe(2);
  expect(await world.client.handle(id).status()).toBe('PENDING');

  const terminated = await quiz(['terminate', id, '--reason', 'started by mistake']);
  expect(terminated).toMatchObject({ code: 0, stdout: `terminated ${id}: started by mistake\n` });
  expect(await world.client.handle(id).status()).toBe('REVOKED');
  const history = await world.client.temporal.workflow.getHandle(id).fetchHistory();
  expect(history.events?.at(-1)?.workflowExecutionTerminatedEventAttributes?.reason).toBe('started by mistake');
  expect(json(await quiz(['active', '--json'])).executions).toEqual([]);
});

test('cancel revokes a task that has not started yet', async () => {
  const handle = await world.client.tasks.addNumbers.applyAsync([1, 2], { countdown: 600 });
  expect(json(await quiz(['cancel', handle.id, '--json']))).toEqual({ id: handle.id, cancelRequested: true });
  await expect(handle.result()).rejects.toThrow(/revoked/);
  expect(await handle.status()).toBe('REVOKED');
});

test('watch shows the progress of a running task until it ends, then its result', async () => {
  const handle = await world.client.tasks.processItem.delay('watched item', 2500);
  const watched = await quiz(['watch', handle.id, '--json']);
  expect(watched.code).toBe(0);
  const lines = watched.stdout.trim().split('\n').map((line) => JSON.parse(line));
  expect(lines.at(-1)).toEqual({ id: handle.id, status: 'SUCCESS', result: 'watched item' });
  const updates = lines.slice(0, -1);
  expect(updates.length).toBeGreaterThan(0);
  for (const update of updates) expect(update).toEqual(expect.objectContaining({ state: expect.any(String), percent: expect.any(Number) }));

  const forPeople = await quiz(['watch', handle.id]);
  expect(forPeople.stdout).toBe('SUCCESS  watched item\n');
});

test('registered: every workflow and task with its policy, and whether a worker polls right now', async () => {
  const [ours, nobodys, forPeople] = await Promise.all([
    quiz(['registered', '--json']),
    quiz(['registered', '--json', '--task-queue', `nobody-${Date.now()}`]),
    quiz(['registered']),
  ]);
  const report = json(ours);
  expect(report.taskQueue).toBe(world.worker.taskQueue);
  expect(report.workers.workflow.polling).toBe(true);
  expect(report.workers.activity.polling).toBe(true);
  expect(report.workflows).toEqual(expect.arrayContaining(['addNumbers', 'sendWelcomeEmail', 'sendEmailAsync']));
  const byName = (name: string) => report.tasks.find((t: { name: string }) => t.name === name);
  // The guide's max_retries=3 with a 60 s delay, in both vocabularies.
  expect(byName('sendEmailAsync')).toMatchObject({ maxRetries: 3, maximumAttempts: 4, retryDelayMs: 60_000, retryBackoff: 1, timeLimitMs: 30_000, local: false });
  expect(byName('addNumbers')).toMatchObject({ maxRetries: 0, maximumAttempts: 1, local: true });

  expect(json(nobodys).workers).toEqual({ workflow: { polling: false, pollers: [] }, activity: { polling: false, pollers: [] } });
  expect(forPeople.stdout).toMatch(/^  workflow  yes  1 poller\(s\), last poll /m);
  expect(forPeople.stdout).toMatch(/^sendEmailAsync +3 +4 +60s +x1 +30s/m);
});

test('schedules: a dry-run sync lists what it would create and changes nothing; unknown ids exit 1', async () => {
  const dryRun = await quiz(['schedules', 'sync', '--dry-run', '--json']);
  expect(dryRun).toMatchObject({ code: 0, stderr: '' });
  const report = json(dryRun);
  expect(report.dryRun).toBe(true);
  expect(report.changes).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'create', scheduleId: 'quiz-code/cleanup-sessions' })]));
  const listed = await quiz(['schedules', 'list', '--json']);
  expect(json(listed).filter((s: { scheduleId: string }) => s.scheduleId.startsWith('quiz-code/'))).toEqual([]);
  const [unknown, badAction] = await Promise.all([quiz(['schedules', 'pause', 'no-such-schedule']), quiz(['schedules', 'explode'])]);
  expect(unknown).toMatchObject({ code: 1, stderr: expect.stringMatching(/^quiz schedules: no schedule "no-such-schedule"/) });
  expect(badAction).toMatchObject({ code: 2, stderr: expect.stringMatching(/^quiz schedules: unknown command "explode"/) });
});
