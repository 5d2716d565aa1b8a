/**
 * generateUserReport against a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is
 * set), a real SMTP server and real .xlsx files read back with exceljs, cell by cell.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { TaskFailedError } from '../client';
import { PermanentError } from '../common/errors';
import { ATTEMPT_PAGE_SIZE, writeUserReport } from '../activities/user-report-workbook';
import { writeXlsxInThread, type XlsxThreadOptions } from '../activities/xlsx-thread';
import { createRepository } from '../db/repository';
import { databaseKinds, scratchDatabase, type ScratchDatabase } from './helpers/databases';
import { addAttempts, addUser, clearAppData, sheetValues, type AttemptSpec } from './helpers/app-data';
import { TestSmtpServer } from './helpers/smtp';
import { startWorld, type World } from './helpers/world';

const at = (day: number, hour: number, minute = 0) => new Date(Date.UTC(2026, 10, day, hour, minute));

const annaAttempts: AttemptSpec[] = [
  { taskId: 11, topic: 'sql', correct: true, timeSpentMs: 12_500, at: at(2, 9) },
  { taskId: 12, topic: 'python', correct: false, timeSpentMs: 40_000, at: at(2, 9, 30) },
  { taskId: 13, topic: 'sql', correct: false, timeSpentMs: 7_500, at: at(3, 18) },
  { taskId: 14, topic: 'python', correct: true, timeSpentMs: 20_000, at: at(5, 7, 15) },
];

async function readWorkbook(file: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook;
}

describe.each(databaseKinds)('on %s', (kind) => {
  let scratch: ScratchDatabase;
  let smtp: TestSmtpServer;
  let world: World;
  let anna: number;

  beforeAll(async () => {
    scratch = await scratchDatabase(kind);
    smtp = await new TestSmtpServer().start();
    world = await startWorld({ env: { SMTP_URL: smtp.url, ...scratch.env } });
  });
  afterAll(async () => {
    await world?.close();
    await smtp?.stop();
    await scratch?.drop();
  });
  beforeEach(async () => {
    smtp.reset();
    await rm(world.config.paths.reportsDir, { recursive: true, force: true });
    const db = world.worker.database.kysely;
    await clearAppData(db);
    anna = await addUser(db, 'anna');
    await addAttempts(db, anna, annaAttempts);
    // Someone else's attempts must not leak into Anna's report.
    await addAttempts(db, await addUser(db, 'boris'), [{ taskId: 99, topic: 'git', correct: true, timeSpentMs: 1_000, at: at(4, 12) }]);
  });

  const reportsDir = () => world.config.paths.reportsDir;

  test('full report: summary and attempts, cell by cell, mailed to the user as an attachment', async () => {
    const result = await (await world.client.tasks.generateUserReport.delay(anna, 'full')).result();
    expect(result.reportPath).toBe(path.join(reportsDir(), `user-${anna}-full.xlsx`));
    expect(result.attempts).toBe(4);

    const workbook = await readWorkbook(result.reportPath);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Сводка', 'Попытки']);
    expect(sheetValues(workbook.getWorksheet('Сводка')!)).toEqual([
      ['Пользователь', 'anna'],
      ['Email', 'anna@example.com'],
      ['Зарегистрирован', new Date('2026-01-15T08:00:00Z')],
      ['Тип отчёта', 'full'],
      [],
      ['Попыток', 4],
      ['Правильных ответов', 2],
      ['Точность', 0.5],
      ['Среднее время, с', 20],
      ['Первая попытка', at(2, 9)],
      ['Последняя попытка', at(5, 7, 15)],
      [],
      ['Тема', 'Попыток', 'Правильных', 'Точность', 'Среднее время, с'],
      ['python', 2, 1, 0.5, 30],
      ['sql', 2, 1, 0.5, 10],
    ]);
    const attempts = workbook.getWorksheet('Попытки')!;
    const rows = sheetValues(attempts);
    expect(rows[0]).toEqual(['№', 'Задача', 'Тема', 'Верно', 'Время, с', 'Когда']);
    expect(rows.slice(1).map((r) => r.slice(1))).toEqual([
      [11, 'sql', true, 12.5, at(2, 9)],
      [12, 'python', false, 40, at(2, 9, 30)],
      [13, 'sql', false, 7.5, at(3, 18)],
      [14, 'python', true, 20, at(5, 7, 15)],
    ]);
    expect(attempts.getCell('F2').numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(workbook.getWorksheet('Сводка')!.getCell('B8').numFmt).toBe('0.0%');

    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail.to).toEqual(['anna@example.com']);
    expect(mail.subject).toBe('Ваш отчет готов');
    expect(mail.messageId).toBe(result.messageId);
    expect(mail.attachments.map((a) => a.filename)).toEqual([`user-${anna}-full.xlsx`]);
    expect(mail.attachments[0].content.equals(await readFile(result.reportPath))).toBe(true);
  });

  test('summary report: the summary sheet only', async () => {
    const result = await (await world.client.tasks.generateUserReport.delay(anna, 'summary')).result();
    const workbook = await readWorkbook(result.reportPath);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Сводка']);
    expect(workbook.getWorksheet('Сводка')!.getCell('B6').value).toBe(4);
    expect(path.basename(result.reportPath)).toBe(`user-${anna}-summary.xlsx`);
  });

  test('running twice leaves one file with the same content, and mails twice', async () => {
    const first = await (await world.client.tasks.generateUserReport.delay(anna, 'full')).result();
    const before = await readWorkbook(first.reportPath);
    const second = await (await world.client.tasks.generateUserReport.delay(anna, 'full')).result();
    expect(second.reportPath).toBe(first.reportPath);
    expect(await readdir(reportsDir())).toEqual([`user-${anna}-full.xlsx`]);
    const after = await readWorkbook(second.reportPath);
    for (const name of ['Сводка', 'Попытки']) {
      expect(sheetValues(after.getWorksheet(name)!)).toEqual(sheetValues(before.getWorksheet(name)!));
    }
    expect(smtp.received).toHaveLength(2);
  });

  test('attempts beyond one page all arrive, in order', async () => {
    const many = Array.from({ length: ATTEMPT_PAGE_SIZE * 2 + 7 }, (_, i) => ({
      taskId: i + 1,
      topic: 'algorithms',
      correct: i % 3 === 0,
      timeSpentMs: 1_000 + i,
      at: new Date(Date.UTC(2026, 9, 1) + i * 60_000),
    }));
    const heavy = await addUser(world.worker.database.kysely, 'heavy');
    await addAttempts(world.worker.database.kysely, heavy, many);
    const result = await (await world.client.tasks.generateUserReport.delay(heavy, 'full')).result();
    const rows = sheetValues((await readWorkbook(result.reportPath)).getWorksheet('Попытки')!);
    expect(rows).toHaveLength(many.length + 1);
    expect(rows.slice(1).map((r) => r[1])).toEqual(many.map((a) => a.taskId));
    expect(rows[many.length].slice(1)).toEqual([many.length, 'algorithms', (many.length - 1) % 3 === 0, (1_000 + many.length - 1) / 1000, many[many.length - 1].at]);
  });

  test.each([
    ['an unknown user', () => 987_654, 'full', 'UserNotFound', 'user 987654 does not exist; check the id (reports are made for registered users only)'],
    ['an unknown report type', (id: number) => id, 'yearly', 'UnknownReportType', 'unknown report type "yearly"; use one of: summary, full'],
  ])('%s: a clear failure, not retried, no file and no mail', async (_case, userId, reportType, type, message) => {
    const handle = await world.client.tasks.generateUserReport.delay(userId(anna), reportType);
    const failure = (await handle.result().catch((e: unknown) => e)) as TaskFailedError;
    expect(failure).toBeInstanceOf(TaskFailedError);
    expect(failure.type).toBe(type);
    expect(failure.message).toBe(message);
    expect(failure.nonRetryable).toBe(true);
    expect(await readdir(reportsDir()).catch(() => [])).toEqual([]);
    expect(smtp.attempts).toHaveLength(0);
    const history = await world.client.temporal.workflow.getHandle(handle.id).fetchHistory();
    expect(history.events!.filter((e) => e.activityTaskStartedEventAttributes)).toHaveLength(1);
  });

  describe('the report thread', () => {
    let folder: string;
    beforeEach(async () => {
      folder = await mkdtemp(path.join(os.tmpdir(), 'quiz-report-thread-'));
    });
    afterEach(() => rm(folder, { recursive: true, force: true }));

    const target = () => path.join(folder, 'report.xlsx');
    const reportOf = async (userId: number, options: Omit<XlsxThreadOptions, 'key'> = {}) => {
      const repository = createRepository(world.worker.database);
      const user = (await repository.findUser(userId))!;
      return writeUserReport(repository, user, 'full', target(), { key: 'test', ...options });
    };

    test('stopped after its first page: fails with the reason it was stopped for and leaves no file behind', async () => {
      const big = await addUser(world.worker.database.kysely, 'big');
      const attempts = Array.from({ length: ATTEMPT_PAGE_SIZE * 50 }, (_, i) => ({ ...annaAttempts[i % 4], taskId: i + 1 }));
      await addAttempts(world.worker.database.kysely, big, attempts);
      const stop = new AbortController();
      const reason = new Error('cancelled by the test');
      const pages: number[] = [];
      const outcome = await reportOf(big, {
        signal: stop.signal,
        onRows: (rows) => {
          pages.push(rows);
          stop.abort(reason);
        },
      }).catch((error: unknown) => error);
      expect(outcome).toBe(reason);
      // Stopped at a page boundary soon after, long before the end.
      expect(pages.at(-1)!).toBeLessThan(attempts.length / 2);
      expect(await readdir(folder)).toEqual([]);
    });

    test('a heap too small for it: a clear, non-retried failure and no file', async () => {
      const outcome = await reportOf(anna, { heap: { maxOldGenerationSizeMb: 2, maxYoungGenerationSizeMb: 1 } }).catch((error: unknown) => error);
      expect(outcome).toBeInstanceOf(PermanentError);
      expect(outcome).toMatchObject({ type: 'ReportOutOfMemory', message: expect.stringContaining('writing report.xlsx needed more than its 2 MB heap') });
      expect(await readdir(folder)).toEqual([]);
    });

    test('rows that fail to arrive (the database went away mid-report): that failure, and no file', async () => {
      const lost = new Error('connection to the database lost');
      const posted: number[] = [];
      const pages = async function* () {
        yield [[1, 'first page']];
        yield [[2, 'second page']];
        throw lost;
      };
      const outcome = await writeXlsxInThread(target(), [{ name: 'rows', columns: [{ width: 8 }, { width: 20 }], pages: pages() }], {
        key: 'test',
        onRows: (rows) => posted.push(rows),
      }).catch((error: unknown) => error);
      expect(outcome).toBe(lost);
      expect(posted.length).toBeLessThanOrEqual(2);
      expect(await readdir(folder)).toEqual([]);
    });

    test('pages of several sheets, posted a few at a time, all arrive in order', async () => {
      const sheet = (name: string, pageCount: number) => ({
        name,
        columns: [{ header: 'n', width: 8 }],
        pages: (function* () {
          for (let p = 0; p < pageCount; p++) yield Array.from({ length: 10 }, (_, i) => [p * 10 + i]);
        })(),
      });
      const posted: number[] = [];
      const { rows } = await writeXlsxInThread(target(), [sheet('a', 3), sheet('b', 25)], { key: 'test', onRows: (n) => posted.push(n) });
      expect(rows).toBe(280);
      expect(posted).toHaveLength(28);
      const workbook = await readWorkbook(target());
      expect(workbook.worksheets.map((w) => [w.name, w.rowCount])).toEqual([
        ['a', 31],
        ['b', 251],
      ]);
      expect(workbook.getWorksheet('b')!.getColumn(1).values.slice(2)).toEqual(Array.from({ length: 250 }, (_, i) => i));
      expect(await readdir(folder)).toEqual(['report.xlsx']);
    });
  });
});
