/** Hand-made rows for tests that need to know exactly what is in the app database. */
import type { AppDb } from '../../db/schema';
import { toTimestamp } from '../../db/schema';

export async function addUser(db: AppDb, username: string, joined = new Date('2026-01-15T08:00:00Z')): Promise<number> {
  const { id } = await db
    .insertInto('users')
    .values({ username, email: `${username}@example.com`, date_joined: toTimestamp(joined) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export interface AttemptSpec {
  taskId: number;
  topic: string;
  correct: boolean;
  timeSpentMs: number;
  at: Date;
}

export async function addAttempts(db: AppDb, userId: number, attempts: readonly AttemptSpec[]): Promise<void> {
  for (let start = 0; start < attempts.length; start += 1_000) {
    await db
      .insertInto('quiz_attempts')
      .values(
        attempts.slice(start, start + 1_000).map((a) => ({
          user_id: userId,
          task_id: a.taskId,
          topic: a.topic,
          is_correct: a.correct ? 1 : 0,
          time_spent_ms: a.timeSpentMs,
          attempted_at: toTimestamp(a.at),
        })),
      )
      .execute();
  }
}

export async function clearAppData(db: AppDb): Promise<void> {
  for (const table of ['statistics_cache', 'sessions', 'quiz_attempts', 'users'] as const) await db.deleteFrom(table).execute();
}

/** Every cell of a sheet as plain values, row by row (exceljs rows are 1-based; index 0 dropped). */
export function sheetValues(sheet: { getSheetValues(): unknown[] }): unknown[][] {
  // Array.from, not map: empty rows are holes in exceljs's sparse array, and map skips holes.
  return Array.from(sheet.getSheetValues().slice(1), (row) => (Array.isArray(row) ? row.slice(1) : []));
}
