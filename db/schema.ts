/**
 * The app's tables as Kysely sees them: one definition that every query is typed against, on
 * SQLite and on PostgreSQL alike.
 */
import type { ColumnType, Generated, Kysely, Selectable } from 'kysely';

/**
 * Written as ISO-8601 UTC text in both databases. PostgreSQL stores it as timestamptz and hands
 * back a Date; SQLite keeps the text, which sorts and compares correctly because every value has
 * the same shape. Read it through `toDate()`.
 */
export type Timestamp = ColumnType<Date | string, string, string>;

/** PostgreSQL's boolean comes back as true/false, SQLite's as 1/0; both accept 1/0 on the way in. */
export type Flag = ColumnType<boolean | number, 0 | 1, 0 | 1>;

export interface UsersTable {
  id: Generated<number>;
  email: string;
  username: string;
  date_joined: Timestamp;
}

/** One answer to one quiz task: the guide's `user.task_statistics`. */
export interface QuizAttemptsTable {
  id: Generated<number>;
  user_id: number;
  task_id: number;
  topic: string;
  is_correct: Flag;
  time_spent_ms: number;
  attempted_at: Timestamp;
}

/** Django's django_session: what cleanupOldSessions prunes. */
export interface SessionsTable {
  session_key: string;
  session_data: string;
  expire_date: Timestamp;
}

/** Per-user figures and leaderboard place, recomputed from quiz_attempts by updateStatisticsCache. */
export interface StatisticsCacheTable {
  user_id: number;
  attempts: number;
  correct_answers: number;
  /** correct_answers / attempts, 0 when there are none. */
  accuracy: number;
  average_time_ms: number;
  last_attempt_at: Timestamp | null;
  /** 1 = top of the leaderboard. */
  leaderboard_rank: number;
  computed_at: Timestamp;
}

export interface AppTables {
  users: UsersTable;
  quiz_attempts: QuizAttemptsTable;
  sessions: SessionsTable;
  statistics_cache: StatisticsCacheTable;
}

export type AppDb = Kysely<AppTables>;
export type User = Selectable<UsersTable>;

export function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

/** The one way timestamps are written, so SQLite's text comparisons stay correct. */
export function toTimestamp(date: Date): string {
  return date.toISOString();
}
