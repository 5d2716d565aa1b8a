/**
 * Realistic demo data: users who joined over the past year, quiz attempts spread over the last
 * 90 days (older members more active, each with their own skill), sessions of which some have
 * expired. Deterministic for a given seed, so a demo looks the same every time.
 *
 * Fast by construction: rows are generated a batch at a time (memory stays flat at any size) and
 * written as multi-row INSERTs inside one transaction, so 100k attempts take seconds, not minutes.
 */
import type { Insertable, Transaction } from 'kysely';
import type { AppDb, AppTables, QuizAttemptsTable, SessionsTable, UsersTable } from './schema';
import { toTimestamp } from './schema';

export interface DemoDataOptions {
  users: number;
  attempts: number;
  /** Defaults to one per user. */
  sessions?: number;
  /** The "today" of the data; defaults to now. */
  now?: Date;
  seed?: number;
}

export interface DemoDataCounts {
  users: number;
  attempts: number;
  sessions: number;
}

/**
 * Rows per INSERT. 1,000 rows of 6 columns stays far below both databases' parameter limits
 * (SQLite 32,766, PostgreSQL 65,535) while making statement overhead negligible.
 */
const BATCH_ROWS = 1_000;
const DAY_MS = 86_400_000;

export const TOPICS = ['python', 'javascript', 'typescript', 'sql', 'algorithms', 'git', 'django', 'docker', 'linux', 'networking'] as const;
const FIRST_NAMES = ['alex', 'maria', 'ivan', 'olga', 'dmitry', 'anna', 'sergey', 'elena', 'pavel', 'natalia', 'john', 'emma', 'li', 'sofia', 'omar', 'yuki'];

/** mulberry32: a tiny seeded generator; Math.random cannot be seeded. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function insertBatched<T extends keyof AppTables>(
  trx: Transaction<AppTables>,
  table: T,
  count: number,
  row: (index: number) => Insertable<AppTables[T]>,
): Promise<void> {
  for (let start = 0; start < count; start += BATCH_ROWS) {
    const batch = Array.from({ length: Math.min(BATCH_ROWS, count - start) }, (_, i) => row(start + i));
    await trx.insertInto(table).values(batch as never).execute();
  }
}

export async function insertDemoData(db: AppDb, options: DemoDataOptions): Promise<DemoDataCounts> {
  const random = randomSource(options.seed ?? 42);
  const now = (options.now ?? new Date()).getTime();
  const sessions = options.sessions ?? options.users;
  const attemptsFrom = now - 90 * DAY_MS;

  // Users join in id order over the past 400 days; the first one before any attempt exists.
  const joined = Array.from({ length: options.users }, (_, i) => now - 400 * DAY_MS + (i / options.users) * 399 * DAY_MS);
  const skill = Array.from({ length: options.users }, () => 0.35 + random() * 0.6);

  await db.transaction().execute(async (trx) => {
    const userIds = await insertUsers(trx, options.users, (i): Insertable<UsersTable> => {
      const username = `${FIRST_NAMES[i % FIRST_NAMES.length]}_${i + 1}`;
      return { username, email: `${username}@example.com`, date_joined: toTimestamp(new Date(joined[i])) };
    });

    let eligible = 1;
    await insertBatched(trx, 'quiz_attempts', options.attempts, (i): Insertable<QuizAttemptsTable> => {
      const at = attemptsFrom + ((i + random()) / options.attempts) * 90 * DAY_MS;
      while (eligible < options.users && joined[eligible] <= at) eligible += 1;
      // Squaring skews towards low indexes: long-standing members answer more.
      const user = Math.floor(eligible * random() ** 2);
      const topic = TOPICS[Math.floor(random() * TOPICS.length)];
      return {
        user_id: userIds[user],
        task_id: 1 + Math.floor(random() * 500),
        topic,
        is_correct: random() < skill[user] ? 1 : 0,
        // 5 s to 10 min, most answers in the first minute or two.
        time_spent_ms: Math.round(5_000 * Math.exp(random() * Math.log(120))),
        attempted_at: toTimestamp(new Date(at)),
      };
    });

    await insertBatched(trx, 'sessions', sessions, (): Insertable<SessionsTable> => {
      // Four in ten expired up to a month ago; the rest are valid for up to two more weeks.
      const expires = random() < 0.4 ? now - random() * 30 * DAY_MS : now + random() * 14 * DAY_MS;
      return { session_key: randomKey(random), session_data: randomKey(random).repeat(3), expire_date: toTimestamp(new Date(expires)) };
    });
  });
  return { users: options.users, attempts: options.attempts, sessions };
}

/** Inserts the users; returns their ids in the order given (RETURNING, so concurrent writers cannot confuse it). */
async function insertUsers(trx: Transaction<AppTables>, count: number, row: (i: number) => Insertable<UsersTable>): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < count; start += BATCH_ROWS) {
    const batch = Array.from({ length: Math.min(BATCH_ROWS, count - start) }, (_, i) => row(start + i));
    const inserted = await trx.insertInto('users').values(batch).returning('id').execute();
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}

function randomKey(random: () => number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let key = '';
  for (let i = 0; i < 32; i++) key += alphabet[Math.floor(random() * alphabet.length)];
  return key;
}

/** Empties every app table, children first. */
export async function deleteAllData(db: AppDb): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('statistics_cache').execute();
    await trx.deleteFrom('sessions').execute();
    await trx.deleteFrom('quiz_attempts').execute();
    await trx.deleteFrom('users').execute();
  });
}
