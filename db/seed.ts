/**
 * `npm run seed`: fills the app database (SQLite file, or DATABASE_URL) with demo data.
 *
 *   npm run seed                                   1,000 users, 100,000 attempts
 *   npm run seed -- --users 50 --attempts 5000     a smaller world
 *   npm run seed -- --reset                        replace what is there
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../common/config';
import { openDatabase } from './database';
import { deleteAllData, insertDemoData } from './demo-data';

function count(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      users: { type: 'string' },
      attempts: { type: 'string' },
      sessions: { type: 'string' },
      reset: { type: 'boolean', default: false },
    },
  });
  const users = count(values.users, 'users', 1_000);
  const attempts = count(values.attempts, 'attempts', 100_000);
  if (users < 1 && attempts > 0) throw new Error('attempts need at least one user (--users 1 or more)');

  const database = await openDatabase(loadConfig());
  try {
    const existing = await database.kysely.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    if (Number(existing.n) > 0 && !values.reset) {
      throw new Error(`${database.location} already has ${existing.n} users; run with --reset to replace all data`);
    }
    const started = performance.now();
    if (values.reset) await deleteAllData(database.kysely);
    const seeded = await insertDemoData(database.kysely, { users, attempts, sessions: count(values.sessions, 'sessions', users) });
    const seconds = (performance.now() - started) / 1000;
    const n = (x: number) => x.toLocaleString('en-US');
    console.log(
      `seeded ${n(seeded.users)} users, ${n(seeded.attempts)} attempts, ${n(seeded.sessions)} sessions into ` +
        `${database.location} in ${seconds.toFixed(2)} s (${n(Math.round(seeded.attempts / seconds))} attempts/s)`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
