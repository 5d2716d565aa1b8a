/**
 * The queries the tasks need, written once for both databases. Aggregates come back as strings
 * from PostgreSQL (bigint, numeric) and as numbers from SQLite, so every figure passes through
 * Number() on its way out.
 */
import { sql, type RawBuilder } from 'kysely';
import type { AppDatabase } from './database';
import { toDate, toTimestamp, type User } from './schema';

export interface AttemptFigures {
  attempts: number;
  correctAnswers: number;
  /** correctAnswers / attempts; 0 when there are no attempts. */
  accuracy: number;
  averageTimeMs: number;
  firstAttemptAt: Date | undefined;
  lastAttemptAt: Date | undefined;
}

export interface TopicFigures extends AttemptFigures {
  topic: string;
}

export interface LeaderboardRow {
  rank: number;
  userId: number;
  username: string;
  email: string;
  attempts: number;
  correctAnswers: number;
  accuracy: number;
  averageTimeMs: number;
}

export interface Period {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

const correctCount = sql<number>`sum(case when is_correct then 1 else 0 end)`;

function figures(row: { attempts: unknown; correct: unknown; total_time: unknown; first: unknown; last: unknown }): AttemptFigures {
  const attempts = Number(row.attempts);
  const correctAnswers = Number(row.correct ?? 0);
  return {
    attempts,
    correctAnswers,
    accuracy: attempts ? correctAnswers / attempts : 0,
    averageTimeMs: attempts ? Math.round(Number(row.total_time) / attempts) : 0,
    firstAttemptAt: row.first == null ? undefined : toDate(row.first as Date | string),
    lastAttemptAt: row.last == null ? undefined : toDate(row.last as Date | string),
  };
}

/** Adds per-topic figures up into one line: the overall figures of the same attempts. */
export function combineFigures(topics: readonly AttemptFigures[]): AttemptFigures {
  const attempts = topics.reduce((n, t) => n + t.attempts, 0);
  const correctAnswers = topics.reduce((n, t) => n + t.correctAnswers, 0);
  const totalTime = topics.reduce((n, t) => n + t.averageTimeMs * t.attempts, 0);
  const firsts = topics.flatMap((t) => (t.firstAttemptAt ? [t.firstAttemptAt.getTime()] : []));
  const lasts = topics.flatMap((t) => (t.lastAttemptAt ? [t.lastAttemptAt.getTime()] : []));
  return {
    attempts,
    correctAnswers,
    accuracy: attempts ? correctAnswers / attempts : 0,
    averageTimeMs: attempts ? Math.round(totalTime / attempts) : 0,
    firstAttemptAt: firsts.length ? new Date(Math.min(...firsts)) : undefined,
    lastAttemptAt: lasts.length ? new Date(Math.max(...lasts)) : undefined,
  };
}

export function createRepository({ kysely: db, kind }: AppDatabase) {
  /**
   * A timestamp as a typed SQL value. Needed where PostgreSQL cannot infer a parameter's type
   * from a column (a SELECT list feeding an INSERT); SQLite stores the text as it is.
   */
  const timestampValue = (date: Date): RawBuilder<string> =>
    kind === 'postgres' ? sql<string>`cast(${toTimestamp(date)} as timestamptz)` : sql<string>`${toTimestamp(date)}`;

  /** Excel's serial for a timestamp (days since 1899-12-30, the time of day as the fraction): what a date cell holds. */
  const excelSerial = kind === 'postgres' ? sql`extract(epoch from attempted_at) / 86400 + 25569` : sql`julianday(attempted_at) - 2415018.5`;
  /** The page's attempts as JSON text: [[id, task_id, topic, is_correct, seconds, Excel serial], …] in id order. */
  const attemptCells =
    kind === 'postgres'
      ? sql<string>`coalesce(json_agg(json_build_array(id, task_id, topic, is_correct, time_spent_ms / 1000.0, ${excelSerial}) order by id), '[]')::text`
      : sql<string>`json_group_array(json_array(id, task_id, topic, json(iif(is_correct, 'true', 'false')), time_spent_ms / 1000.0, ${excelSerial}) order by id)`;

  return {
    findUser(id: number): Promise<User | undefined> {
      return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Figures per topic (sorted by topic) for one user, or for everyone in a period. */
    async topicFigures(filter: { userId?: number; period?: Period }): Promise<TopicFigures[]> {
      let query = db
        .selectFrom('quiz_attempts')
        .select((eb) => [
          'topic',
          eb.fn.countAll().as('attempts'),
          correctCount.as('correct'),
          eb.fn.sum('time_spent_ms').as('total_time'),
          eb.fn.min('attempted_at').as('first'),
          eb.fn.max('attempted_at').as('last'),
        ])
        .groupBy('topic')
        .orderBy('topic');
      if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
      if (filter.period) {
        query = query
          .where('attempted_at', '>=', toTimestamp(filter.period.from))
          .where('attempted_at', '<', toTimestamp(filter.period.to));
      }
      const rows = await query.execute();
      return rows.map((row) => ({ topic: row.topic, ...figures(row) }));
    },

    /**
     * One user's attempts, oldest first, a page at a time, as the rows of the report's attempts
     * sheet: [id, task, topic, correct, seconds, when (an Excel date serial)]. Memory stays flat
     * however many there are, and the caller gets a natural point to heartbeat and check for
     * cancellation. Keyset paging (id > last seen) keeps every page as cheap as the first.
     *
     * Each page is one JSON text built by the database, not a row object per attempt: the task's
     * thread passes it on unparsed to the thread writing the workbook, so a million attempts leave
     * almost no garbage in the worker's own heap, and reading them takes ~40 % less time.
     */
    async *attemptPageTexts(userId: number, pageSize: number): AsyncGenerator<string> {
      let after = 0;
      for (;;) {
        const page = db
          .selectFrom('quiz_attempts')
          .select(['id', 'task_id', 'topic', 'is_correct', 'time_spent_ms', 'attempted_at'])
          .where('user_id', '=', userId)
          .where('id', '>', after)
          .orderBy('id')
          .limit(pageSize)
          .as('page');
        const { rows, count, last } = await db
          .selectFrom(page)
          .select((eb) => [attemptCells.as('rows'), eb.fn.countAll().as('count'), eb.fn.max('id').as('last')])
          .executeTakeFirstOrThrow();
        if (Number(count) === 0) return;
        yield rows;
        if (Number(count) < pageSize) return;
        after = Number(last);
      }
    },

    async countNewUsers(period: Period): Promise<number> {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll().as('count'))
        .where('date_joined', '>=', toTimestamp(period.from))
        .where('date_joined', '<', toTimestamp(period.to))
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    async countActiveUsers(period: Period): Promise<number> {
      const row = await db
        .selectFrom('quiz_attempts')
        .select((eb) => eb.fn.count('user_id').distinct().as('count'))
        .where('attempted_at', '>=', toTimestamp(period.from))
        .where('attempted_at', '<', toTimestamp(period.to))
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    /** The best `limit` users of a period: most correct answers, then fewest attempts, then id. */
    async periodLeaderboard(period: Period, limit: number): Promise<LeaderboardRow[]> {
      const rows = await db
        .selectFrom('quiz_attempts')
        .innerJoin('users', 'users.id', 'quiz_attempts.user_id')
        .select((eb) => [
          'users.id',
          'users.username',
          'users.email',
          eb.fn.countAll().as('attempts'),
          correctCount.as('correct'),
          eb.fn.sum('time_spent_ms').as('total_time'),
        ])
        .where('attempted_at', '>=', toTimestamp(period.from))
        .where('attempted_at', '<', toTimestamp(period.to))
        .groupBy(['users.id', 'users.username', 'users.email'])
        .orderBy(correctCount, 'desc')
        .orderBy((eb) => eb.fn.countAll(), 'asc')
        .orderBy('users.id')
        .limit(limit)
        .execute();
      return rows.map((row, index) => {
        const { attempts, correctAnswers, accuracy, averageTimeMs } = figures({ ...row, first: null, last: null });
        return { rank: index + 1, userId: row.id, username: row.username, email: row.email, attempts, correctAnswers, accuracy, averageTimeMs };
      });
    },

    /**
     * Deletes up to `batchSize` sessions that expired before `now`; returns how many went.
     * Small batches keep each statement short, so the web app's logins never wait long on a lock.
     */
    async deleteExpiredSessionsBatch(now: Date, batchSize: number): Promise<number> {
      const result = await db
        .deleteFrom('sessions')
        .where('session_key', 'in', (eb) =>
          eb.selectFrom('sessions').select('session_key').where('expire_date', '<', toTimestamp(now)).limit(batchSize),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /**
     * Replaces the statistics cache with figures computed afresh from every attempt, in one
     * transaction: readers see the old table or the new one, never a mix, and running it twice
     * gives the same rows (recompute, never increment). Returns the number of users cached.
     */
    recomputeStatisticsCache(computedAt: Date): Promise<number> {
      return db.transaction().execute(async (trx) => {
        await trx.deleteFrom('statistics_cache').execute();
        const correct = sql<number>`coalesce(sum(case when a.is_correct then 1 else 0 end), 0)`;
        const attempts = sql<number>`count(a.id)`;
        const result = await trx
          .insertInto('statistics_cache')
          .columns(['user_id', 'attempts', 'correct_answers', 'accuracy', 'average_time_ms', 'last_attempt_at', 'leaderboard_rank', 'computed_at'])
          .expression(
            trx
              .selectFrom('users as u')
              .leftJoin('quiz_attempts as a', 'a.user_id', 'u.id')
              .select([
                'u.id',
                attempts.as('attempts'),
                correct.as('correct_answers'),
                sql<number>`case when count(a.id) = 0 then 0 else 1.0 * ${correct} / count(a.id) end`.as('accuracy'),
                sql<number>`coalesce(round(avg(a.time_spent_ms)), 0)`.as('average_time_ms'),
                sql<string>`max(a.attempted_at)`.as('last_attempt_at'),
                // Most correct answers first; among equals, fewer attempts (better accuracy); then id, so ties never reorder.
                sql<number>`row_number() over (order by ${correct} desc, ${attempts} asc, u.id asc)`.as('leaderboard_rank'),
                timestampValue(computedAt).as('computed_at'),
              ])
              .groupBy('u.id'),
          )
          .executeTakeFirst();
        return Number(result.numInsertedOrUpdatedRows ?? 0);
      });
    },
  };
}

export type Repository = ReturnType<typeof createRepository>;
