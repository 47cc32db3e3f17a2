// The console store's schema has one source (prisma/schema.prisma); the
// PostgreSQL schema and both providers' migrations are derived from it. These
// tests check, with Prisma's own migration engine (scripts/schema-engine.mjs,
// no download), that each provider's committed migrations give exactly its
// schema, that the derived schema has not been edited by hand, and that
// Prisma reads the bookkeeping our start-up migrator writes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../host/config';
import Database from 'better-sqlite3';
import crypto from 'node:crypto';
import { migrateStore, migrateStoreFile, openStore, postgresPool } from './db';
import { parsePostgresUrl, redactUrl, type StoreLocation } from './location';
import { loadMigrations, migrateSqlite, migrationsDir, NewerStoreError } from './migrate';
import { migrationsToSchema, PROVIDERS, runPrisma, type Provider } from '../../scripts/prisma.mjs';
import { expectedPostgresqlSchema, POSTGRESQL } from '../../scripts/prisma-schemas.mjs';
import { createTestDatabase } from '../testing/postgres';

const root = projectRoot();
const folders = (provider: Provider) =>
  fs
    .readdirSync(path.join(root, PROVIDERS[provider].migrations), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();

describe.each(['sqlite', 'postgresql'] as const)('%s migrations', (provider) => {
  it('applied to an empty database give exactly the schema (prisma migrate diff finds nothing)', async () => {
    const url = provider === 'postgresql' ? await createTestDatabase('diff') : undefined;
    expect(await migrationsToSchema(provider, { url })).toBe('');
  });

  it('name their provider in migration_lock.toml', () => {
    const lock = fs.readFileSync(path.join(root, PROVIDERS[provider].migrations, 'migration_lock.toml'), 'utf8');
    expect(lock).toMatch(new RegExp(`^provider = "${provider}"$`, 'm'));
  });
});

it('the diff finds a field the migrations lack', async () => {
  // The check above can fail: a schema with one more field is not what the migrations give.
  const source = fs.readFileSync(path.join(root, PROVIDERS.sqlite.schema), 'utf8');
  const changed = source.replace(/^model StoreMeta \{\n/m, 'model StoreMeta {\n  probe String?\n');
  expect(changed).not.toBe(source);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-schema-')), 'schema.prisma');
  fs.writeFileSync(file, changed);
  expect(await migrationsToSchema('sqlite', { schema: file })).toMatch(/ALTER TABLE "StoreMeta" ADD COLUMN "probe" TEXT/);
});

it('the PostgreSQL schema is the one scripts/prisma-schemas.mjs writes from prisma/schema.prisma', () => {
  const text = fs.readFileSync(POSTGRESQL, 'utf8');
  expect(text).toBe(expectedPostgresqlSchema());
  expect(text).toMatch(/provider = "postgresql"/);
});

it('every migration exists for both providers, under the same name', () => {
  expect(folders('sqlite').length).toBeGreaterThan(0);
  expect(folders('postgresql')).toEqual(folders('sqlite'));
});

describe.each(['sqlite', 'postgresql'] as const)('the start-up migrator on %s', (provider) => {
  async function emptyStore(): Promise<{ location: StoreLocation; url: string }> {
    if (provider === 'sqlite') {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-status-')), 'console.db');
      return { location: { provider, file, display: file }, url: `file:${file}` };
    }
    const url = await createTestDatabase('status');
    return { location: { provider, connection: parsePostgresUrl(url), display: redactUrl(url) }, url };
  }

  it("records what it applies as Prisma does: prisma migrate status finds the store up to date", async () => {
    const { location, url } = await emptyStore();
    expect(await migrateStore(location)).toEqual(folders(provider));
    const status = await runPrisma(['migrate', 'status', '--config', PROVIDERS[provider].config], { JOBSCOPE_PRISMA_URL: url });
    expect(status.stdout).toMatch(new RegExp(`${folders(provider).length} migrations found[\\s\\S]*Database schema is up to date`));
    expect(status.status).toBe(0);
  });

  it('applies migrations once and refuses a store written by a newer build', async () => {
    const { location } = await emptyStore();
    await migrateStore(location);
    expect(await migrateStore(location)).toEqual([]);
    const future = `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count) VALUES ('x', 'y', '29990101000000_future', '2999-01-01', 1)`;
    if (location.provider === 'sqlite') {
      const db = new Database(location.file);
      db.exec(future);
      db.close();
    } else {
      const pool = postgresPool(location.connection);
      await pool.query(future);
      await pool.end();
    }
    await expect(migrateStore(location)).rejects.toThrow(NewerStoreError);
    await expect(openStore(location)).rejects.toThrow(/newer build.*29990101000000_future/);
  });
});

it('a SQLite table redefinition keeps the rows that refer to the table (no cascade through the drop)', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-redefine-')), 'console.db');
  migrateStoreFile(file);
  const db = new Database(file);
  db.exec(`INSERT INTO "MonitoredHost" (name, address, feedPort, token) VALUES ('h', '127.0.0.1', 1, 't');
    INSERT INTO "Scope" (id, name) VALUES (1, 'root'), (2, 'child');
    UPDATE "Scope" SET "parentId" = 1 WHERE id = 2;
    INSERT INTO "MonitoringObject" (name, "scopeId", host, unit) VALUES ('o', 2, 'h', '/Net');`);
  // What Prisma writes to add a required column to Scope on SQLite.
  const columns = (db.prepare(`PRAGMA table_info("Scope")`).all() as { name: string }[]).map((c) => `"${c.name}"`).join(', ');
  const create = (db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'Scope'`).get() as { sql: string }).sql;
  const sql = `PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
${create.replace('CREATE TABLE "Scope" (', 'CREATE TABLE "new_Scope" ("probe" INTEGER NOT NULL DEFAULT 0, ')};
INSERT INTO "new_Scope" (${columns}) SELECT ${columns} FROM "Scope";
DROP TABLE "Scope";
ALTER TABLE "new_Scope" RENAME TO "Scope";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
`;
  const redefine = { name: '29990101000000_redefine_scope', sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
  expect(migrateSqlite(db, [...loadMigrations(migrationsDir('sqlite')), redefine])).toEqual([redefine.name]);
  expect(db.prepare('SELECT COUNT(*) AS n FROM "Scope"').get()).toEqual({ n: 2 });
  expect(db.prepare('SELECT COUNT(*) AS n FROM "MonitoringObject"').get()).toEqual({ n: 1 });
  expect(db.pragma('foreign_keys', { simple: true })).toBe(1); // restored afterwards
  db.close();
});
