// Applies the store's migrations at start-up, as `prisma migrate deploy` does,
// with no schema engine: each migration is plain SQL, applied in name order and
// recorded in _prisma_migrations. A store that knows migrations this build does
// not (a newer build wrote it) is refused. SQLite and PostgreSQL each have their
// own migrations (prisma/<provider>/migrations), under the same names.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { projectRoot } from '../host/config';

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function migrationsDir(provider: 'sqlite' | 'postgresql'): string {
  return path.join(projectRoot(), 'prisma', provider, 'migrations');
}

export function loadMigrations(dir: string): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
    });
}

export class NewerStoreError extends Error {}

const LEDGER = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/** Refuses a store that has applied migrations this build does not have, or has them with other contents. */
function checkApplied(applied: { name: string; checksum: string }[], migrations: Migration[]): void {
  const known = new Map(migrations.map((m) => [m.name, m]));
  const unknown = applied.filter((a) => !known.has(a.name)).map((a) => a.name);
  if (unknown.length) {
    throw new NewerStoreError(`the store was written by a newer build of Jobscope (unknown migrations: ${unknown.join(', ')}); run that build or restore a backup`);
  }
  for (const a of applied) {
    if (known.get(a.name)!.checksum !== a.checksum) {
      throw new NewerStoreError(`migration ${a.name} in the store differs from this build's; refusing to run on it`);
    }
  }
}

/** Returns the names of the migrations it applied. */
export function migrateSqlite(db: Database.Database, migrations: Migration[]): string[] {
  db.exec(LEDGER);
  const applied = db
    .prepare(`SELECT migration_name AS name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)
    .all() as { name: string; checksum: string }[];
  checkApplied(applied, migrations);
  const done = new Set(applied.map((a) => a.name));
  const record = db.prepare(
    `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)`,
  );
  const newlyApplied: string[] = [];
  // Prisma's SQLite migrations redefine a table by copying it, dropping the old
  // one and renaming: with foreign keys on, that drop would cascade into the
  // rows that refer to it. Their own "PRAGMA foreign_keys=OFF" does nothing
  // inside a transaction, so switch it off around them and check the keys
  // before each commit instead.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      const started = new Date().toISOString();
      db.transaction(() => {
        db.exec(m.sql);
        const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[];
        if (broken.length) {
          throw new Error(`migration ${m.name} leaves ${broken.length} row(s) whose foreign key finds no parent (first: ${broken[0].table} -> ${broken[0].parent}); not applied`);
        }
        record.run(crypto.randomUUID(), m.checksum, m.name, started, new Date().toISOString());
      }).immediate();
      newlyApplied.push(m.name);
    }
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
  return newlyApplied;
}

// The same table as Prisma's PostgreSQL connector creates.
const PG_LEDGER = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;
// Prisma Migrate's advisory lock key: two starting daemons, or one and
// `prisma migrate deploy`, never apply migrations at the same time.
const PG_MIGRATE_LOCK = 72707369;
const PG_APPLIED = `SELECT migration_name AS name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;

/** Refuses a PostgreSQL store written by a newer build, without changing anything. */
export async function checkPostgresStore(db: pg.Pool | pg.ClientBase, migrations: Migration[]): Promise<void> {
  const { rows } = await db.query(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`);
  if (rows[0].present) checkApplied((await db.query(PG_APPLIED)).rows, migrations);
}

/** Applies a PostgreSQL store's pending migrations, each in one transaction with its record. Returns their names. */
export async function migratePostgres(pool: pg.Pool, migrations: Migration[]): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PG_MIGRATE_LOCK]);
    try {
      await client.query(PG_LEDGER);
      const applied = (await client.query(PG_APPLIED)).rows as { name: string; checksum: string }[];
      checkApplied(applied, migrations);
      const done = new Set(applied.map((a) => a.name));
      const newlyApplied: string[] = [];
      for (const m of migrations) {
        if (done.has(m.name)) continue;
        const started = new Date();
        await client.query('BEGIN');
        try {
          // One simple query: the whole script, as `prisma migrate deploy` sends it.
          await client.query(m.sql);
          await client.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES ($1, $2, $3, $4, now(), 1)`,
            [crypto.randomUUID(), m.checksum, m.name, started],
          );
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {});
          throw new Error(`migration ${m.name} failed and was rolled back: ${(err as Error).message}`);
        }
        newlyApplied.push(m.name);
      }
      return newlyApplied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PG_MIGRATE_LOCK]).catch(() => {});
    }
  } finally {
    client.release();
  }
}
