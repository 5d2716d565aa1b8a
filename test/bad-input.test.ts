/**
 * Bad input, table-driven. Each case must end in a clear message naming the problem, must not be
 * retried, and must leave nothing half-written: the var folder (data, media, reports, mail) is
 * byte-for-byte what it was before the case ran.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from '../app/app';
import { TaskFailedError, TaskRequestError, type TaskHandle } from '../client';
import { planSchedules, scheduleTable, ScheduleTableError } from '../schedules';
import { addUser } from './helpers/app-data';
import { TestHttpServer } from './helpers/http-server';
import { pngBomb, syntheticPhoto } from './helpers/images';
import { TestSmtpServer } from './helpers/smtp';
import { startWorld, type World } from './helpers/world';

let world: World;
let http: TestHttpServer;
let smtp: TestSmtpServer;
let userId: number;

/** Every file under var/ (except the databases, which reads may touch) with its digest. */
function snapshot(): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (/\.db(-wal|-shm|-journal)?$/.test(name)) continue;
      const stat = statSync(full, { throwIfNoEntry: false });
      if (stat?.isDirectory()) walk(full);
      else if (stat) files[path.relative(world.config.paths.varDir, full)] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(world.config.paths.varDir);
  return files;
}

const media = (name: string) => path.join(world.config.paths.mediaDir, name);
const data = (name: string) => path.join(world.config.paths.dataDir, name);

/** Runs a started task to its failure and checks it was a single, non-retried attempt. */
async function taskFailure(start: () => Promise<TaskHandle>): Promise<Error> {
  const handle = await start();
  const failure = await handle.result().then(
    () => new Error('expected the task to fail'),
    (e: Error) => e,
  );
  expect(failure).toBeInstanceOf(TaskFailedError);
  expect((failure as TaskFailedError).nonRetryable).toBe(true);
  const history = await world.client.temporal.workflow.getHandle(handle.id).fetchHistory();
  const attempts = history.events!.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt);
  expect(attempts).toEqual([1]);
  return failure;
}

/** A request refused on the client: nothing reaches Temporal. */
async function refusal(run: () => unknown): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  return new Error('expected a refusal');
}

beforeAll(async () => {
  http = await new TestHttpServer().start();
  smtp = await new TestSmtpServer().start();
  world = await startWorld({ env: { SMTP_URL: smtp.url, HTTP_MAX_DOWNLOAD_BYTES: '1000', IMAGE_MAX_PIXELS: '20000000' } });
  for (const dir of [world.config.paths.mediaDir, world.config.paths.dataDir]) mkdirSync(dir, { recursive: true });
  userId = await addUser(world.worker.database.kysely, 'reporter');
  writeFileSync(media('notes.txt'), 'plain text, not an image');
  const jpeg = await syntheticPhoto(800, 600).jpeg().toBuffer();
  writeFileSync(media('truncated.jpg'), jpeg.subarray(0, jpeg.length / 2));
  writeFileSync(media('bomb.png'), pngBomb(100_000, 100_000));
  writeFileSync(path.join(world.config.paths.varDir, 'outside.jpg'), jpeg);
  symlinkSync(path.join(world.config.paths.varDir, 'outside.jpg'), media('link.jpg'));
  writeFileSync(data('broken.csv'), 'a,b,c\n1,2,3\n4,5\n');
}, 60_000);
afterAll(async () => {
  await world?.close();
  await http?.stop();
  await smtp?.stop();
});

type Case = [what: string, run: () => Promise<Error>, expected: RegExp, kind: typeof TaskFailedError | typeof TaskRequestError | typeof ScheduleTableError | typeof Error];

const cases: Case[] = [
  ['invalid email address', () => taskFailure(() => world.client.tasks.sendWelcomeEmail.delay('ann@@example')), /"ann@@example" is not a valid email address/, TaskFailedError],
  ['empty recipient list', () => taskFailure(() => world.client.tasks.sendEmailAsync.delay('s', 'm', [])), /recipientList is empty/, TaskFailedError],
  ['unknown user id for a report', () => taskFailure(() => world.client.tasks.generateUserReport.delay(987654, 'summary')), /user 987654 does not exist/, TaskFailedError],
  ['unknown report type', () => taskFailure(() => world.client.tasks.generateUserReport.delay(userId, 'yearly')), /unknown report type "yearly"; use one of: summary, full/, TaskFailedError],
  ['non-image file', () => taskFailure(() => world.client.tasks.optimizeImage.delay(media('notes.txt'))), /notes\.txt is not an image/, TaskFailedError],
  ['truncated image', () => taskFailure(() => world.client.tasks.optimizeImage.delay(media('truncated.jpg'))), /truncated\.jpg is damaged/, TaskFailedError],
  ['decompression bomb', () => taskFailure(() => world.client.tasks.optimizeImage.delay(media('bomb.png'))), /more than the limit of 20000000 \(IMAGE_MAX_PIXELS\); refused before decoding/, TaskFailedError],
  ['path outside the media folder (..)', () => taskFailure(() => world.client.tasks.optimizeImage.delay('../outside.jpg')), /is outside .*only files inside it are accepted/, TaskFailedError],
  ['path outside the media folder (symlink)', () => taskFailure(() => world.client.tasks.optimizeImage.delay(media('link.jpg'))), /link\.jpg is outside/, TaskFailedError],
  ['path outside the data folder', () => taskFailure(() => world.client.tasks.processLargeFile.delay('../../../etc/passwd')), /is outside .*only files inside it are accepted/, TaskFailedError],
  ['URL scheme other than http/https', () => taskFailure(() => world.client.tasks.fetchDataFromApi.delay('ftp://example.com/data.json')), /uses the ftp: scheme; only http:\/\/ and https:\/\/ URLs are fetched/, TaskFailedError],
  ['download larger than the cap', () => taskFailure(() => world.client.tasks.downloadFile.delay(http.on('/big.bin', (_q, r) => r.end(Buffer.alloc(5000))))), /more than the limit of 1000 bytes/, TaskFailedError],
  ['non-JSON API response', () => taskFailure(() => world.client.tasks.fetchDataFromApi.delay(http.on('/html', (_q, r) => r.end('<html>hi</html>')))), /body that is not JSON/, TaskFailedError],
  ['malformed CSV', () => taskFailure(() => world.client.tasks.processLargeFile.delay(data('broken.csv'))), /malformed CSV at line 3/, TaskFailedError],
  ['unknown task name in a canvas', () => refusal(() => world.client.applyCanvas({ kind: 'chain', steps: [{ kind: 'task', task: 'addNumbers', args: [1, 2] }, { kind: 'task', task: 'sendSpam', args: [] }] })), /sendSpam/, TaskRequestError],
  ['wrong argument count at the client', () => refusal(() => world.client.applyAsync('addNumbers', [1])), /addNumbers: /, TaskRequestError],
  ['wrong argument type at the client', () => refusal(() => world.client.applyAsync('generateUserReport', ['seven', 'summary'])), /generateUserReport: argument 1: .*expected number/, TaskRequestError],
  ['invalid cron string in the schedule table', () => refusal(() => planSchedules({ ...scheduleTable(world.config), entries: [{ id: 'x', task: 'testPeriodic', args: [], cron: '61 * * * *', catchupWindow: '1m' }] }, world.client)), /x/, ScheduleTableError],
  [
    'oversized HTTP request body to the web app',
    async () => {
      const app = await buildApp({ config: world.config, client: world.client, db: world.worker.database.kysely });
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      const response = await fetch(`${url}/contact`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'a@example.com', message: 'x'.repeat(200_000) }),
      });
      const body = await response.text();
      await app.close();
      expect(response.status).toBe(413);
      expect(body).not.toMatch(/\n\s+at /);
      return new Error((JSON.parse(body) as { message: string }).message);
    },
    /body/i,
    Error,
  ],
];

test.each(cases)('%s: clear message, not retried, nothing half-written', async (_what, run, expected, kind) => {
  const before = snapshot();
  const mailsBefore = smtp.attempts.length;
  const error = await run();
  expect(error).toBeInstanceOf(kind);
  expect(error.message).toMatch(expected);
  expect(snapshot()).toEqual(before);
  expect(smtp.attempts.length).toBe(mailsBefore);
});
