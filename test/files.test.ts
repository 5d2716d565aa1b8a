/**
 * The file tasks on real files: processLargeFile's summary of a generated CSV, malformed CSV, the
 * soft time limit, resuming from a heartbeat checkpoint after the worker is stopped mid-file;
 * downloadFile's size cap, atomic replacement and idempotency; paths that escape their folder.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, readlink, symlink, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FileScanner, type ScanSummary } from '../activities/file-scanner';
import type { FileSummary } from '../activities/file-summary';
import { createTaskClient } from '../client';
import { createQuizWorker } from '../workers/worker';
import { workflowBundlePath } from './setup/test-environment';
import { checkpointPastStart } from './helpers/checkpoint';
import { writeCsv } from './helpers/csv';
import { TestHttpServer } from './helpers/http-server';
import { startWorld, type World } from './helpers/world';
import { failure } from './helpers/failure';
import { waitFor } from './helpers/wait';

const MiB = 1024 * 1024;
const fast = { defaultRetryDelay: '200ms' } as const;

let world: World;
let http: TestHttpServer;
let dataDir: string;
beforeAll(async () => {
  http = await new TestHttpServer().start();
  world = await startWorld({
    env: { HTTP_MAX_DOWNLOAD_BYTES: String(MiB) },
    policies: { processLargeFile: fast, processFile: fast, downloadFile: { ...fast, maxRetries: 0 } },
  });
  dataDir = world.config.paths.dataDir;
  await mkdir(dataDir, { recursive: true });
});
afterAll(async () => {
  await world?.close();
  await http?.stop();
});


/** rows of `id,city,score,comment`; returns what a correct summary must say. */

function expectSummaryOf(summary: FileSummary, rows: number, written: { bytes: number; sha256: string }) {
  expect(summary.bytes).toBe(written.bytes);
  expect(summary.sha256).toBe(written.sha256);
  expect(summary.lines).toBe(rows + 1);
  expect(summary.csv!.records).toBe(rows);
  const [id, city, score, comment] = summary.csv!.columns;
  expect(id).toEqual({ name: 'id', type: 'number', count: rows, empty: 0, min: 1, max: rows, sum: (rows * (rows + 1)) / 2, mean: (rows + 1) / 2 });
  expect(city).toMatchObject({ name: 'city', type: 'text', count: rows, distinct: 5, distinctCapped: false });
  expect((city as { top: unknown[] }).top).toContainEqual({ value: 'Москва', count: Math.floor(rows / 5) });
  expect(score).toMatchObject({ name: 'score', type: 'number', min: 0, max: 99.9 });
  expect(comment).toMatchObject({ name: 'comment', type: 'text', distinct: 7 });
  expect((comment as { top: { value: string }[] }).top[0].value).toMatch(/^note \d, "quoted"$/);
}

describe('the CSV scanner', () => {
  const tricky = Buffer.from(
    'name,qty,note\r\n"Smith, J.",3,"said ""hi"""\r\n' +
      'Ёлка,4.5,"two\nlines"\n\n' + // a blank line is skipped
      'x,,\n' +
      'last,-2,no newline at the end',
  );
  const oneGo = (bytes: Buffer): ScanSummary => {
    const scanner = new FileScanner(true);
    scanner.push(bytes);
    return scanner.finish();
  };

  test('quotes, doubled quotes, line breaks in quotes, CRLF, blank lines, UTF-8', () => {
    const summary = oneGo(tricky);
    expect(summary.lines).toBe(7);
    expect(summary.csv!.records).toBe(4);
    const [name, qty, note] = summary.csv!.columns;
    expect(name).toMatchObject({ count: 4, distinct: 4 });
    expect((name as { top: { value: string }[] }).top.map((t) => t.value).sort()).toEqual(['Smith, J.', 'last', 'x', 'Ёлка']);
    expect(qty).toEqual({ name: 'qty', type: 'number', count: 3, empty: 1, min: -2, max: 4.5, sum: 5.5, mean: 5.5 / 3 });
    expect((note as { top: { value: string }[] }).top.map((t) => t.value).sort()).toEqual(['no newline at the end', 'said "hi"', 'two\nlines']);
  });

  test('any split into chunks, and resuming from any checkpoint, gives the one-pass result', () => {
    const expected = oneGo(tricky);
    for (let cut = 1; cut < tricky.length; cut++) {
      const split = new FileScanner(true);
      split.push(tricky.subarray(0, cut));
      const checkpoint = JSON.parse(JSON.stringify(split.checkpoint()));
      split.push(tricky.subarray(cut));
      expect(split.finish()).toEqual(expected);

      const resumed = new FileScanner(true, checkpoint);
      resumed.push(tricky.subarray(checkpoint.offset));
      expect(resumed.finish()).toEqual(expected);
    }
  });

  test.each([
    ['a short record', 'a,b\n1,2\n3\n', 'malformed CSV at line 3: 1 fields where the header has 2'],
    ['an unterminated quote', 'a,b\n1,"open\n2,3\n', 'malformed CSV at line 2: a quoted field opened in this record is never closed'],
    ['a stray quote', 'a,b\n1,2\n3,x"y\n', 'malformed CSV at line 3: a quote inside an unquoted field'],
    ['text after a closing quote', 'a,b\n"x"y,1\n', 'malformed CSV at line 2: text after the closing quote of a field'],
  ])('malformed: %s', (_label, text, message) => {
    expect(() => oneGo(Buffer.from(text))).toThrow(message);
  });
});

describe('processLargeFile', () => {
  test('summarises a generated CSV: lines, bytes, sha256, column aggregates', async () => {
    const written = writeCsv(path.join(dataDir, 'attempts.csv'), 20_000);
    const handle = await world.client.tasks.processLargeFile.delay('attempts.csv');
    const summary = await handle.result();
    expectSummaryOf(summary, 20_000, written);
    expect(summary.resumedFromOffset).toBe(0);
  });

  test('a plain file gets lines, bytes and sha256', async () => {
    const text = 'one\ntwo\nthree';
    await writeFile(path.join(dataDir, 'notes.txt'), text);
    const summary = await (await world.client.tasks.processLargeFile.delay(path.join(dataDir, 'notes.txt'))).result();
    expect(summary).toEqual({
      file: path.join(dataDir, 'notes.txt'),
      bytes: 13,
      sha256: createHash('sha256').update(text).digest('hex'),
      lines: 3,
      resumedFromOffset: 0,
    });
  });

  test('malformed CSV fails at once, naming the line', async () => {
    await writeFile(path.join(dataDir, 'broken.csv'), 'a,b\n1,2\n3,4,5\n');
    const error = await failure((await world.client.tasks.processLargeFile.delay('broken.csv')).result());
    expect(error.message).toBe('malformed CSV at line 3: 3 fields where the header has 2');
    expect(error.type).toBe('MalformedCsv');
    expect(error.nonRetryable).toBe(true);
  });

  test('at the soft time limit the task stops, closes the file and fails with SoftTimeLimitExceeded', async () => {
    // 8 GiB without using the disk: a sparse file takes far longer than the 1 s limit to read.
    const big = path.join(dataDir, 'huge.bin');
    await writeFile(big, '');
    await truncate(big, 8 * 1024 * MiB);
    const client = await createTaskClient({
      config: world.config,
      taskQueue: world.worker.taskQueue,
      policies: { processLargeFile: { softTimeLimit: '1s', timeLimit: '5s', maxRetries: 0 } },
    });
    try {
      const started = Date.now();
      const error = await failure((await client.tasks.processLargeFile.delay(big)).result());
      expect(error.type).toBe('SoftTimeLimitExceeded');
      expect(error.message).toBe('soft time limit of 1s exceeded; the task stopped and cleaned up');
      expect(Date.now() - started).toBeLessThan(5000);
      // The worker runs in this process: none of its open files may still be the big one.
      await waitFor('the file to be closed', async () => !(await openFiles()).includes(big), 5000);
      expect((await readdir(dataDir)).filter((name) => name.includes('huge'))).toEqual(['huge.bin']);
    } finally {
      await client.close();
    }
  });

});

describe('paths outside the data folder are refused', () => {
  let outside: string;
  beforeAll(async () => {
    outside = path.join(world.config.paths.varDir, 'secret.csv');
    await writeFile(outside, 'a\n1\n');
    await symlink(outside, path.join(dataDir, 'link.csv'));
    await mkdir(path.join(dataDir, 'folder'));
  });

  test.each([
    ['../secret.csv', 'is outside the data folder (DATA_DIR)', 'PathOutsideFolder'],
    ['/etc/passwd', 'is outside the data folder (DATA_DIR)', 'PathOutsideFolder'],
    ['link.csv', 'is outside the data folder (DATA_DIR)', 'PathOutsideFolder'],
    ['nothing-here.csv', 'no such file', 'FileNotFound'],
    ['folder', 'is not a regular file', 'NotAFile'],
  ])('%p', async (userPath, message, type) => {
    for (const task of [world.client.tasks.processLargeFile, world.client.tasks.processFile]) {
      const error = await failure((await task.delay(userPath)).result());
      expect(error.message).toContain(`${userPath}`);
      expect(error.message).toContain(message);
      expect(error.type).toBe(type);
      expect(error.nonRetryable).toBe(true);
    }
  });
});

describe('downloadFile', () => {
  const payload = Buffer.from('id,score\n1,10\n2,20\n3,30\n');

  test('downloads into the data folder; a second run replaces the file, leaving one', async () => {
    const url = http.on('/export/scores.csv', (_req, res) => res.writeHead(200).end(payload));
    const first = await (await world.client.tasks.downloadFile.delay(url)).result();
    const second = await (await world.client.tasks.downloadFile.delay(url)).result();
    expect(second).toBe(first);
    expect(path.dirname(first)).toBe(dataDir);
    expect(path.basename(first)).toMatch(/^[0-9a-f]{12}-scores\.csv$/);
    expect(await readFile(first)).toEqual(payload);
    expect((await readdir(dataDir)).filter((name) => name.includes('scores'))).toEqual([path.basename(first)]);

    // The chain's next step reads what was downloaded.
    const processed = await (await world.client.tasks.processFile.delay(first)).result();
    expect(processed.message).toMatch(/^Файл [0-9a-f]{12}-scores\.csv обработан: 24 байт, 4 строк, CSV: 3 записей, 2 столбцов, sha256 [0-9a-f]{64}$/);
    expect(processed.summary.csv!.columns[1]).toMatchObject({ name: 'score', sum: 60 });
  });

  test('over the size cap: refused, partial file removed, the earlier download untouched', async () => {
    let oversize = false;
    const url = http.on('/export/growing.csv', (_req, res) => {
      res.writeHead(200); // chunked: no Content-Length to check in advance
      if (!oversize) return void res.end(payload);
      for (let block = 0; block < 48; block++) res.write(Buffer.alloc(64 * 1024, 'x'));
      res.end();
    });
    const earlier = await (await world.client.tasks.downloadFile.delay(url)).result();
    oversize = true;
    const error = await failure((await world.client.tasks.downloadFile.delay(url)).result());
    expect(error.type).toBe('ResponseTooLarge');
    expect(error.message).toContain(`more than the limit of ${MiB} bytes (HTTP_MAX_DOWNLOAD_BYTES)`);
    expect(await readFile(earlier)).toEqual(payload);
    expect((await readdir(dataDir)).filter((name) => name.includes('growing'))).toEqual([path.basename(earlier)]);
  });

  test('a connection cut mid-body is a temporary failure and leaves no partial file', async () => {
    const url = http.on('/export/cut.bin', (_req, res) => {
      res.writeHead(200, { 'content-length': String(512 * 1024) });
      res.write(Buffer.alloc(128 * 1024, 'y'), () => res.destroy());
    });
    const error = await failure((await world.client.tasks.downloadFile.delay(url)).result());
    expect(error.type).toBe('HttpNetworkError');
    expect(error.nonRetryable).toBe(false);
    expect((await readdir(dataDir)).filter((name) => name.includes('cut'))).toEqual([]);
  });

  test('URLs other than http(s) are refused', async () => {
    const error = await failure((await world.client.tasks.downloadFile.delay('file:///etc/passwd')).result());
    expect(error.type).toBe('UnsupportedUrlScheme');
  });
});

async function openFiles(): Promise<string[]> {
  const fds = await readdir('/proc/self/fd');
  return Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
}

describe('processLargeFile across workers', () => {
  test('a worker stopped mid-file: the next worker resumes from the last checkpoint', async () => {
    // A world of its own: its worker is stopped on purpose.
    const stopped = await startWorld({ policies: { processLargeFile: { ...fast, heartbeatTimeout: '2s' } } });
    try {
      const { config, client } = stopped;
      await mkdir(config.paths.dataDir, { recursive: true });
      const rows = 500_000;
      const written = writeCsv(path.join(config.paths.dataDir, 'big.csv'), rows);
      const handle = await client.tasks.processLargeFile.delay('big.csv');
      const workflow = client.temporal.workflow.getHandle(handle.id);
      const checkpoint = await checkpointPastStart(client.temporal, handle.id, 30_000);
      await stopped.worker.shutdown();

      const next = await createQuizWorker({ config, taskQueue: stopped.worker.taskQueue, workflowBundle: { codePath: workflowBundlePath() } });
      const running = next.run();
      try {
        const summary = await handle.result();
        expect(summary.resumedFromOffset).toBeGreaterThanOrEqual(checkpoint.scan.offset);
        expect(summary.resumedFromOffset).toBeLessThan(written.bytes);
        expectSummaryOf(summary, rows, written);
        const { events } = await workflow.fetchHistory();
        const started = events!.find((e) => e.activityTaskStartedEventAttributes)!.activityTaskStartedEventAttributes!;
        expect(started.attempt).toBeGreaterThanOrEqual(2);
      } finally {
        await next.shutdown();
        await running;
      }
    } finally {
      await stopped.close();
    }
  });
});
