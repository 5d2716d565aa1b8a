/**
 * Opens the app database named by the configuration: PostgreSQL when `database.url` is a
 * postgres:// URL, otherwise the SQLite file. Same schema, same queries; migrations run on open.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type Dialect } from 'kysely';
import { ConfigError, type Config } from '../common/config';
import { migrateToLatest, type DatabaseKind } from './migrations';
import type { AppDb, AppTables } from './schema';

export interface AppDatabase {
  kysely: AppDb;
  kind: DatabaseKind;
  /** Where it lives, password hidden: for logs and start-up banners. */
  location: string;
  close(): Promise<void>;
}

function sqliteDialect(file: string): Dialect {
  mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  // WAL lets the seed command, the web app and a worker read while one of them writes;
  // busy_timeout makes a writer wait for the lock instead of failing at once.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  return new SqliteDialect({ database: sqlite });
}

/** Loaded only when used: every report thread opens the database, and most of them on SQLite. */
async function postgresDialect(url: string): Promise<Dialect> {
  const { Pool } = await import('pg');
  return new PostgresDialect({ pool: new Pool({ connectionString: url, max: 5 }) });
}

const hidePassword = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');

function kindOf(url: string | undefined): DatabaseKind {
  if (url === undefined) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  throw new ConfigError(`DATABASE_URL must be a postgres:// URL (or unset for the SQLite file), got "${hidePassword(url)}"`);
}

export async function openDatabase(config: Config): Promise<AppDatabase> {
  const { url, sqliteFile } = config.database;
  const kind = kindOf(url);
  const dialect = kind === 'postgres' ? await postgresDialect(url!) : sqliteDialect(sqliteFile);
  const db: AppDb = new Kysely<AppTables>({ dialect });
  try {
    await migrateToLatest(db, kind);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return {
    kysely: db,
    kind,
    location: kind === 'postgres' ? hidePassword(url!) : sqliteFile,
    close: () => db.destroy(),
  };
}
