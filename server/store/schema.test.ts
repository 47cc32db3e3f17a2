// The Prisma schema is the one source of truth; the SQL migrations are written
// beside it. This test applies the migrations to a fresh store and checks that
// every model and field of the schema exists with the same type, nullability
// and primary key, and nothing else does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../host/config';
import { migrateStoreFile } from './db';
import { loadMigrations, migrateSqlite, migrationsDir, NewerStoreError } from './migrate';

interface Column {
  name: string;
  type: string;
  notNull: boolean;
  primaryKey: boolean;
}

const SQLITE_TYPES: Record<string, string> = { Int: 'INTEGER', String: 'TEXT', Boolean: 'BOOLEAN', DateTime: 'DATETIME', Bytes: 'BLOB' };

function modelsOfSchema(): Map<string, Column[]> {
  const text = fs.readFileSync(path.join(projectRoot(), 'prisma', 'schema.prisma'), 'utf8');
  const models = new Map<string, Column[]>();
  for (const [, name, body] of text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const compositeId = /@@id\(\[([^\]]+)\]\)/.exec(body)?.[1].split(',').map((s) => s.trim()) ?? [];
    const columns: Column[] = [];
    for (const [, field, type, modifier, rest] of body.matchAll(/^\s+(\w+)\s+(\w+)(\?|\[\])?(.*)$/gm)) {
      if (!(type in SQLITE_TYPES)) continue; // a relation, not a column
      columns.push({ name: field, type: SQLITE_TYPES[type], notNull: modifier !== '?', primaryKey: /@id\b/.test(rest) || compositeId.includes(field) });
    }
    models.set(name, columns.sort((a, b) => a.name.localeCompare(b.name)));
  }
  return models;
}

function tablesOfStore(file: string): Map<string, Column[]> {
  const db = new Database(file, { readonly: true });
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'`).all() as { name: string }[];
  const result = new Map<string, Column[]>();
  for (const { name } of tables) {
    const info = db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string; type: string; notnull: number; pk: number }[];
    result.set(
      name,
      info.map((c) => ({ name: c.name, type: c.type, notNull: c.notnull === 1 || c.pk > 0, primaryKey: c.pk > 0 })).sort((a, b) => a.name.localeCompare(b.name)),
    );
  }
  db.close();
  return result;
}

describe('store schema', () => {
  it('migrations create exactly the models and fields of the Prisma schema', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-schema-')), 'console.db');
    expect(migrateStoreFile(file).length).toBeGreaterThan(0);
    const schema = modelsOfSchema();
    const store = tablesOfStore(file);
    expect([...store.keys()].sort()).toEqual([...schema.keys()].sort());
    for (const [model, columns] of schema) expect({ model, columns: store.get(model) }).toEqual({ model, columns });
  });

  it('applies migrations once and refuses a store written by a newer build', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-schema-')), 'console.db');
    migrateStoreFile(file);
    expect(migrateStoreFile(file)).toEqual([]);
    const db = new Database(file);
    db.prepare(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count) VALUES ('x', 'y', '29990101000000_future', '2999-01-01', 1)`).run();
    expect(() => migrateSqlite(db, loadMigrations(migrationsDir('sqlite')))).toThrow(NewerStoreError);
    expect(() => migrateSqlite(db, loadMigrations(migrationsDir('sqlite')))).toThrow(/newer build.*29990101000000_future/);
    db.close();
  });
});
