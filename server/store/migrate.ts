// Applies the store's migrations at start-up, as `prisma migrate deploy` does,
// with no schema engine: each migration is plain SQL, applied in name order and
// recorded in _prisma_migrations. A store that knows migrations this build does
// not (a newer build wrote it) is refused.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import { projectRoot } from '../host/config';

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function migrationsDir(provider: 'sqlite'): string {
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

/** Returns the names of the migrations it applied. */
export function migrateSqlite(db: Database.Database, migrations: Migration[]): string[] {
  db.exec(LEDGER);
  const applied = db
    .prepare(`SELECT migration_name AS name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)
    .all() as { name: string; checksum: string }[];
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
