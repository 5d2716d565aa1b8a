/**
 * The databases a test file runs against: SQLite always, PostgreSQL too when TEST_DATABASE_URL
 * is set (scripts/ensure-postgres.sh prints one). Each test file gets a fresh PostgreSQL database
 * of its own, dropped afterwards, so files never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { Env } from '../../common/config';
import type { DatabaseKind } from '../../db/migrations';

export const databaseKinds: DatabaseKind[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface ScratchDatabase {
  /** Environment for startWorld/testConfig; SQLite needs none: each world has its own var dir. */
  env: Env;
  drop(): Promise<void>;
}

async function asServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function scratchDatabase(kind: DatabaseKind): Promise<ScratchDatabase> {
  if (kind === 'sqlite') return { env: {}, drop: async () => undefined };
  const name = `quiz_test_${randomBytes(6).toString('hex')}`;
  await asServer((client) => client.query(`create database ${name}`));
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    drop: () => asServer((client) => client.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}
