/**
 * The guide's periodic jobs against a real database (SQLite, and PostgreSQL when
 * TEST_DATABASE_URL is set) and a real SMTP server: session cleanup in batches, the statistics
 * cache recomputed (never incremented), and the weekly report to the admins.
 */
import { readdir, rm } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { TaskFailedError } from '../client';
import { reportWeek } from '../activities/periodic-jobs';
import { insertDemoData } from '../db/demo-data';
import { toTimestamp } from '../db/schema';
import { databaseKinds, scratchDatabase, type ScratchDatabase } from './helpers/databases';
import { addAttempts, addUser, clearAppData, sheetValues } from './helpers/app-data';
import { TestSmtpServer } from './helpers/smtp';
import { startWorld, type World } from './helpers/world';

test('the weekly report covers the last complete Monday-to-Sunday week (UTC), or the one asked for', () => {
  const week = (now: string, asked?: string) => {
    const { from, to } = reportWeek(asked, new Date(now));
    return [from.toISOString(), to.toISOString()];
  };
  // The schedule's Monday 09:00 run reports the week that ended the night before.
  expect(week('2026-11-23T09:00:00Z')).toEqual(['2026-11-16T00:00:00.000Z', '2026-11-23T00:00:00.000Z']);
  expect(week('2026-11-29T23:59:59Z')).toEqual(['2026-11-16T00:00:00.000Z', '2026-11-23T00:00:00.000Z']);
  expect(week('2026-11-30T00:00:00Z')).toEqual(['2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z']);
  expect(week('2026-11-30T00:00:00Z', '2026-11-02')).toEqual(['2026-11-02T00:00:00.000Z', '2026-11-09T00:00:00.000Z']);
  expect(() => reportWeek('2026-11-03', new Date())).toThrow('weekStarting must be a Monday; 2026-11-03 is not');
  expect(() => reportWeek('2026-02-30', new Date())).toThrow('weekStarting must be a date written YYYY-MM-DD, got "2026-02-30"');
});

describe.each(databaseKinds)('on %s', (kind) => {
  let scratch: ScratchDatabase;
  let smtp: TestSmtpServer;
  let world: World;
  const db = () => world.worker.database.kysely;

  beforeAll(async () => {
    scratch = await scratchDatabase(kind);
    smtp = await new TestSmtpServer().start();
    world = await startWorld({
      env: { SMTP_URL: smtp.url, ADMIN_EMAILS: 'boss@quiz-code.com, ops@quiz-code.com', SESSION_CLEANUP_BATCH_SIZE: '100', ...scratch.env },
    });
  });
  afterAll(async () => {
    await world?.close();
    await smtp?.stop();
    await scratch?.drop();
  });
  beforeEach(async () => {
    smtp.reset();
    await clearAppData(db());
  });

  test('cleanupOldSessions deletes every expired session in batches and keeps the live ones', async () => {
    const now = Date.now();
    const session = (key: string, expiresInMs: number) => ({ session_key: key, session_data: 'e30=', expire_date: toTimestamp(new Date(now + expiresInMs)) });
    await db().insertInto('sessions').values(Array.from({ length: 250 }, (_, i) => session(`expired-${i}`, -(i + 1) * 1_000))).execute();
    await db().insertInto('sessions').values(Array.from({ length: 30 }, (_, i) => session(`live-${i}`, 3_600_000 + i))).execute();

    const result = await (await world.client.tasks.cleanupOldSessions.delay()).result();
    // SESSION_CLEANUP_BATCH_SIZE=100: 100 + 100 + 50.
    expect(result).toEqual({ deleted: 250, batches: 3, message: 'Удалено 250 устаревших сессий' });
    const left = await db().selectFrom('sessions').select('session_key').execute();
    expect(left.map((s) => s.session_key).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `live-${i}`).sort());

    // Nothing left to do: the second run changes nothing and says so.
    await expect((await world.client.tasks.cleanupOldSessions.delay()).result()).resolves.toEqual({
      deleted: 0,
      batches: 0,
      message: 'Удалено 0 устаревших сессий',
    });
    expect(await db().selectFrom('sessions').select('session_key').execute()).toHaveLength(30);
  });

  test('updateStatisticsCache recomputes: twice gives the same table, and it follows new attempts', async () => {
    await insertDemoData(db(), { users: 40, attempts: 3_000, sessions: 0 });
    const cacheRows = () =>
      db()
        .selectFrom('statistics_cache')
        .select(['user_id', 'attempts', 'correct_answers', 'accuracy', 'average_time_ms', 'last_attempt_at', 'leaderboard_rank'])
        .orderBy('user_id')
        .execute()
        .then((rows) => rows.map((r) => ({ ...r, last_attempt_at: r.last_attempt_at && new Date(r.last_attempt_at).toISOString() })));

    const first = await (await world.client.tasks.updateStatisticsCache.delay()).result();
    expect(first.users).toBe(40);
    const once = await cacheRows();
    const second = await (await world.client.tasks.updateStatisticsCache.delay()).result();
    expect(await cacheRows()).toEqual(once);
    expect(new Date(second.computedAt).getTime()).toBeGreaterThanOrEqual(new Date(first.computedAt).getTime());
    const computedAt = await db().selectFrom('statistics_cache').select('computed_at').distinct().execute();
    expect(computedAt.map((r) => new Date(r.computed_at).toISOString())).toEqual([second.computedAt]);

    // The figures are what the attempts say, and the ranks a strict order by correct answers.
    const attempts = await db().selectFrom('quiz_attempts').select(['user_id', 'is_correct', 'time_spent_ms']).execute();
    for (const row of once) {
      const own = attempts.filter((a) => a.user_id === row.user_id);
      const correct = own.filter((a) => Boolean(a.is_correct)).length;
      expect(row.attempts).toBe(own.length);
      expect(row.correct_answers).toBe(correct);
      expect(row.accuracy).toBeCloseTo(own.length ? correct / own.length : 0, 10);
    }
    const byRank = [...once].sort((a, b) => a.leaderboard_rank - b.leaderboard_rank);
    expect(byRank.map((r) => r.leaderboard_rank)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    for (let i = 1; i < byRank.length; i++) expect(byRank[i - 1].correct_answers).toBeGreaterThanOrEqual(byRank[i].correct_answers);

    // A new user with two right answers: recomputed, not added on top of the old figures.
    const newcomer = await addUser(db(), 'newcomer');
    const at = new Date();
    await addAttempts(db(), newcomer, [
      { taskId: 1, topic: 'git', correct: true, timeSpentMs: 4_000, at },
      { taskId: 2, topic: 'git', correct: true, timeSpentMs: 6_000, at },
    ]);
    await (await world.client.tasks.updateStatisticsCache.delay()).result();
    const after = await cacheRows();
    expect(after).toHaveLength(41);
    expect(after.find((r) => r.user_id === newcomer)).toMatchObject({ attempts: 2, correct_answers: 2, accuracy: 1, average_time_ms: 5_000 });
    expect(after.filter((r) => r.user_id !== newcomer).map(({ leaderboard_rank, ...rest }) => rest)).toEqual(
      once.map(({ leaderboard_rank, ...rest }) => rest),
    );
  });

  test('sendWeeklyReport mails the week\'s figures to the admins with an .xlsx, the same on a second run', async () => {
    await rm(world.config.paths.reportsDir, { recursive: true, force: true });
    const day = (d: number, h = 12) => new Date(Date.UTC(2026, 10, d, h));
    const vera = await addUser(db(), 'vera', day(17));
    const oleg = await addUser(db(), 'oleg', new Date('2025-05-05T00:00:00Z'));
    await addAttempts(db(), vera, [
      { taskId: 1, topic: 'sql', correct: true, timeSpentMs: 10_000, at: day(17) },
      { taskId: 2, topic: 'sql', correct: true, timeSpentMs: 20_000, at: day(22, 23) },
      { taskId: 3, topic: 'git', correct: false, timeSpentMs: 30_000, at: day(18) },
    ]);
    await addAttempts(db(), oleg, [
      { taskId: 4, topic: 'git', correct: true, timeSpentMs: 40_000, at: day(16, 0) },
      // Outside the week: the Sunday before and the Monday after.
      { taskId: 5, topic: 'git', correct: true, timeSpentMs: 1_000, at: day(15, 23) },
      { taskId: 6, topic: 'sql', correct: true, timeSpentMs: 1_000, at: day(23, 0) },
    ]);

    const result = await (await world.client.tasks.sendWeeklyReport.delay('2026-11-16')).result();
    expect(result).toMatchObject({
      weekStarting: '2026-11-16',
      lastDay: '2026-11-22',
      attempts: 4,
      activeUsers: 2,
      newUsers: 1,
      recipients: ['boss@quiz-code.com', 'ops@quiz-code.com'],
    });
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail.to).toEqual(['boss@quiz-code.com', 'ops@quiz-code.com']);
    expect(mail.subject).toBe('Еженедельный отчёт: 2026-11-16 — 2026-11-22');
    expect(mail.text).toContain('попыток: 4, правильных: 3 (75.0%)');
    expect(mail.attachments.map((a) => a.filename)).toEqual(['weekly-report-2026-11-16.xlsx']);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(mail.attachments[0].content as unknown as ArrayBuffer);
    expect(sheetValues(workbook.getWorksheet('Сводка')!)).toEqual([
      ['Неделя', '2026-11-16 — 2026-11-22'],
      ['Новых пользователей', 1],
      ['Активных пользователей', 2],
      [],
      ['Попыток', 4],
      ['Правильных ответов', 3],
      ['Точность', 0.75],
      ['Среднее время, с', 25],
      ['Первая попытка', day(16, 0)],
      ['Последняя попытка', day(22, 23)],
      [],
      ['Тема', 'Попыток', 'Правильных', 'Точность', 'Среднее время, с'],
      ['git', 2, 1, 0.5, 35],
      ['sql', 2, 2, 1, 15],
    ]);
    expect(sheetValues(workbook.getWorksheet('Лидеры')!)).toEqual([
      ['Место', 'Пользователь', 'Email', 'Попыток', 'Правильных', 'Точность', 'Среднее время, с'],
      [1, 'vera', 'vera@example.com', 3, 2, 2 / 3, 20],
      [2, 'oleg', 'oleg@example.com', 1, 1, 1, 40],
    ]);

    const again = await (await world.client.tasks.sendWeeklyReport.delay('2026-11-16')).result();
    expect(again.reportPath).toBe(result.reportPath);
    expect(await readdir(world.config.paths.reportsDir)).toEqual(['weekly-report-2026-11-16.xlsx']);
    const resent = new ExcelJS.Workbook();
    await resent.xlsx.load(smtp.received[1].attachments[0].content as unknown as ArrayBuffer);
    for (const name of ['Сводка', 'Лидеры']) {
      expect(sheetValues(resent.getWorksheet(name)!)).toEqual(sheetValues(workbook.getWorksheet(name)!));
    }
  });

  test('a weekStarting that is not a Monday fails at once, not retried', async () => {
    const failure = (await (await world.client.tasks.sendWeeklyReport.delay('2026-11-18')).result().catch((e: unknown) => e)) as TaskFailedError;
    expect(failure).toBeInstanceOf(TaskFailedError);
    expect(failure.type).toBe('InvalidWeek');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe('weekStarting must be a Monday; 2026-11-18 is not');
    expect(smtp.attempts).toHaveLength(0);
  });
});
