/**
 * The app database on a real SQLite file, and on a real PostgreSQL when TEST_DATABASE_URL is set:
 * migrations, demo data, and the queries the tasks rely on, written once for both.
 */
import { sql } from 'kysely';
import { ConfigError, type Config } from '../common/config';
import { openDatabase, type AppDatabase } from '../db/database';
import { insertDemoData } from '../db/demo-data';
import { migrateToLatest } from '../db/migrations';
import { combineFigures, createRepository } from '../db/repository';
import { toDate, toTimestamp } from '../db/schema';
import { databaseKinds, scratchDatabase, type ScratchDatabase } from './helpers/databases';
import { testConfig } from './helpers/world';

describe.each(databaseKinds)('on %s', (kind) => {
  let scratch: ScratchDatabase;
  let config: Config;
  let database: AppDatabase;
  beforeAll(async () => {
    scratch = await scratchDatabase(kind);
    config = testConfig(scratch.env);
    database = await openDatabase(config);
  });
  afterAll(async () => {
    await database?.close();
    await scratch?.drop();
  });
  beforeEach(async () => {
    for (const table of ['statistics_cache', 'sessions', 'quiz_attempts', 'users'] as const) {
      await database.kysely.deleteFrom(table).execute();
    }
  });

  test('opens the kind of database the configuration names', () => {
    expect(database.kind).toBe(kind);
  });

  test('migrations run once: opening again or migrating again changes nothing', async () => {
    const again = await openDatabase(config);
    try {
      await expect(migrateToLatest(again.kysely, kind)).resolves.toEqual([]);
      const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(again.kysely);
      expect(applied.rows.map((r) => r.name)).toEqual(['2026-11-29-01-app-tables']);
      const tables = await again.kysely.introspection.getTables();
      expect(tables.map((t) => t.name).filter((n) => !n.startsWith('kysely_')).sort()).toEqual([
        'quiz_attempts',
        'sessions',
        'statistics_cache',
        'users',
      ]);
    } finally {
      await again.close();
    }
  });

  test('demo data: 100k attempts in seconds, consistent with the users', async () => {
    const started = performance.now();
    const counts = await insertDemoData(database.kysely, { users: 500, attempts: 100_000, sessions: 1_000 });
    const seconds = (performance.now() - started) / 1000;
    expect(counts).toEqual({ users: 500, attempts: 100_000, sessions: 1_000 });
    // Generous for a busy two-core CI machine; row-by-row inserts take minutes.
    expect(seconds).toBeLessThan(20);

    const count = async (table: 'users' | 'quiz_attempts' | 'sessions') =>
      Number((await database.kysely.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(await count('users')).toBe(500);
    expect(await count('quiz_attempts')).toBe(100_000);
    expect(await count('sessions')).toBe(1_000);
    // Nobody answers before joining.
    const early = await database.kysely
      .selectFrom('quiz_attempts as a')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .select((eb) => eb.fn.countAll().as('n'))
      .whereRef('a.attempted_at', '<', 'u.date_joined')
      .executeTakeFirstOrThrow();
    expect(Number(early.n)).toBe(0);
  });

  test('timestamps come back as the same instant', async () => {
    const joined = new Date('2026-03-04T05:06:07.089Z');
    const { id } = await database.kysely
      .insertInto('users')
      .values({ email: 'time@example.com', username: 'time', date_joined: toTimestamp(joined) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const user = await createRepository(database).findUser(id);
    expect(toDate(user!.date_joined).toISOString()).toBe(joined.toISOString());
  });

  test('figures per topic and overall, and attempts paged in id order', async () => {
    const { id: userId } = await database.kysely
      .insertInto('users')
      .values({ email: 'p@example.com', username: 'p', date_joined: toTimestamp(new Date('2026-01-01T00:00:00Z')) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const at = (minute: number) => toTimestamp(new Date(Date.UTC(2026, 10, 2, 10, minute)));
    await database.kysely
      .insertInto('quiz_attempts')
      .values([
        { user_id: userId, task_id: 1, topic: 'sql', is_correct: 1, time_spent_ms: 10_000, attempted_at: at(0) },
        { user_id: userId, task_id: 2, topic: 'sql', is_correct: 0, time_spent_ms: 20_000, attempted_at: at(5) },
        { user_id: userId, task_id: 3, topic: 'git', is_correct: 1, time_spent_ms: 30_000, attempted_at: at(9) },
        { user_id: userId, task_id: 4, topic: 'sql', is_correct: 1, time_spent_ms: 60_000, attempted_at: at(7) },
        { user_id: userId, task_id: 5, topic: 'git', is_correct: 1, time_spent_ms: 40_000, attempted_at: at(3) },
      ])
      .execute();
    const repository = createRepository(database);
    const topics = await repository.topicFigures({ userId });
    expect(topics).toEqual([
      { topic: 'git', attempts: 2, correctAnswers: 2, accuracy: 1, averageTimeMs: 35_000, firstAttemptAt: new Date(Date.UTC(2026, 10, 2, 10, 3)), lastAttemptAt: new Date(Date.UTC(2026, 10, 2, 10, 9)) },
      { topic: 'sql', attempts: 3, correctAnswers: 2, accuracy: 2 / 3, averageTimeMs: 30_000, firstAttemptAt: new Date(Date.UTC(2026, 10, 2, 10, 0)), lastAttemptAt: new Date(Date.UTC(2026, 10, 2, 10, 7)) },
    ]);
    expect(combineFigures(topics)).toEqual({
      attempts: 5,
      correctAnswers: 4,
      accuracy: 0.8,
      averageTimeMs: 32_000,
      firstAttemptAt: new Date(Date.UTC(2026, 10, 2, 10, 0)),
      lastAttemptAt: new Date(Date.UTC(2026, 10, 2, 10, 9)),
    });

    type AttemptCells = [number, number, string, boolean, number, number];
    const pagesOf = async (id: number, pageSize: number) => {
      const pages: AttemptCells[][] = [];
      for await (const text of repository.attemptPageTexts(id, pageSize)) pages.push(JSON.parse(text) as AttemptCells[]);
      return pages;
    };
    const taskIds = (pages: AttemptCells[][]) => pages.map((page) => page.map((cells) => cells[1]));
    expect(taskIds(await pagesOf(userId, 2))).toEqual([[1, 2], [3, 4], [5]]);
    // A full last page is followed by a read that finds nothing: the end, not an empty page.
    expect(taskIds(await pagesOf(userId, 5))).toEqual([[1, 2, 3, 4, 5]]);
    expect(await pagesOf(userId + 1000, 5)).toEqual([]);
    // The cells of the report's attempts sheet: seconds, and the time as Excel's date serial.
    const [[[id, taskId, topic, correct, seconds, when]]] = await pagesOf(userId, 1);
    expect([typeof id, taskId, topic, correct, seconds]).toEqual(['number', 1, 'sql', true, 10]);
    expect(when).toBeCloseTo(25569 + Date.UTC(2026, 10, 2, 10, 0) / 86_400_000, 8);
  });

  test('expired sessions go a batch at a time; live ones stay', async () => {
    const now = new Date();
    const sessions = [
      ...Array.from({ length: 5 }, (_, i) => ({ session_key: `old${i}`, session_data: 'x', expire_date: toTimestamp(new Date(now.getTime() - (i + 1) * 60_000)) })),
      ...Array.from({ length: 2 }, (_, i) => ({ session_key: `live${i}`, session_data: 'x', expire_date: toTimestamp(new Date(now.getTime() + (i + 1) * 60_000)) })),
    ];
    await database.kysely.insertInto('sessions').values(sessions).execute();
    const repository = createRepository(database);
    expect(await repository.deleteExpiredSessionsBatch(now, 2)).toBe(2);
    expect(await repository.deleteExpiredSessionsBatch(now, 2)).toBe(2);
    expect(await repository.deleteExpiredSessionsBatch(now, 2)).toBe(1);
    expect(await repository.deleteExpiredSessionsBatch(now, 2)).toBe(0);
    const left = await database.kysely.selectFrom('sessions').select('session_key').orderBy('session_key').execute();
    expect(left.map((s) => s.session_key)).toEqual(['live0', 'live1']);
  });
});

test('a DATABASE_URL that is not PostgreSQL is refused with the reason', async () => {
  await expect(openDatabase(testConfig({ DATABASE_URL: 'mysql://root:secret@db/quiz' }))).rejects.toThrow(
    new ConfigError('DATABASE_URL must be a postgres:// URL (or unset for the SQLite file), got "mysql://***@db/quiz"'),
  );
});
