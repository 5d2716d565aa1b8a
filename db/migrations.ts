/**
 * The schema's history, in code: Kysely's Migrator applies whatever has not run yet, in name
 * order, and records it in kysely_migration, so opening the database twice changes nothing.
 * Add a migration = add an entry with a later name; never edit one that has shipped.
 */
import { Migrator, type ColumnDefinitionBuilder, type Kysely, type Migration } from 'kysely';

export type DatabaseKind = 'sqlite' | 'postgres';

/** The few column types the two databases spell differently. */
function types(kind: DatabaseKind) {
  return kind === 'postgres'
    ? { timestamp: 'timestamptz', real: 'double precision' } as const
    : { timestamp: 'text', real: 'real' } as const;
}

function migrations(kind: DatabaseKind): Record<string, Migration> {
  const t = types(kind);
  // Kysely's autoIncrement() is SQLite/MySQL syntax; PostgreSQL's equivalent is an identity column.
  const id = (col: ColumnDefinitionBuilder) =>
    kind === 'postgres' ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement();
  return {
    '2026-11-29-01-app-tables': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('users')
          .addColumn('id', 'integer', id)
          .addColumn('email', 'text', (col) => col.notNull().unique())
          .addColumn('username', 'text', (col) => col.notNull().unique())
          .addColumn('date_joined', t.timestamp, (col) => col.notNull())
          .execute();

        await db.schema
          .createTable('quiz_attempts')
          .addColumn('id', 'integer', id)
          .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
          .addColumn('task_id', 'integer', (col) => col.notNull())
          .addColumn('topic', 'text', (col) => col.notNull())
          .addColumn('is_correct', 'boolean', (col) => col.notNull())
          .addColumn('time_spent_ms', 'integer', (col) => col.notNull())
          .addColumn('attempted_at', t.timestamp, (col) => col.notNull())
          .execute();
        // Reports page through one user's attempts by id; the weekly figures select by time.
        await db.schema.createIndex('quiz_attempts_user_id').on('quiz_attempts').columns(['user_id', 'id']).execute();
        await db.schema.createIndex('quiz_attempts_attempted_at').on('quiz_attempts').column('attempted_at').execute();

        await db.schema
          .createTable('sessions')
          .addColumn('session_key', 'varchar(40)', (col) => col.primaryKey())
          .addColumn('session_data', 'text', (col) => col.notNull())
          .addColumn('expire_date', t.timestamp, (col) => col.notNull())
          .execute();
        await db.schema.createIndex('sessions_expire_date').on('sessions').column('expire_date').execute();

        await db.schema
          .createTable('statistics_cache')
          .addColumn('user_id', 'integer', (col) => col.primaryKey().references('users.id').onDelete('cascade'))
          .addColumn('attempts', 'integer', (col) => col.notNull())
          .addColumn('correct_answers', 'integer', (col) => col.notNull())
          .addColumn('accuracy', t.real, (col) => col.notNull())
          .addColumn('average_time_ms', 'integer', (col) => col.notNull())
          .addColumn('last_attempt_at', t.timestamp)
          .addColumn('leaderboard_rank', 'integer', (col) => col.notNull())
          .addColumn('computed_at', t.timestamp, (col) => col.notNull())
          .execute();
        await db.schema.createIndex('statistics_cache_rank').on('statistics_cache').column('leaderboard_rank').execute();
      },
    },
  };
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Brings the schema up to date; returns the names of the migrations that ran now. */
export async function migrateToLatest(db: Kysely<any>, kind: DatabaseKind): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations(kind) } });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(`database migration "${failed}" failed: ${(error as Error).message ?? error}`, { cause: error });
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
