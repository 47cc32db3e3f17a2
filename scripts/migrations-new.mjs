#!/usr/bin/env node
// Writes the next migration of the console store for both providers, with
// Prisma's own diff (scripts/schema-engine.mjs, no engine download):
//   npm run migrations:new -- <name>
//     prisma/sqlite/migrations/<timestamp>_<name>/migration.sql
//     prisma/postgresql/migrations/<timestamp>_<name>/migration.sql
//   npm run migrations:new -- --twin
//     only the PostgreSQL twin of the newest SQLite migration, when it has none
//     (a migration written for SQLite alone, by hand or by an older tool)
// Each is the SQL that takes that provider's committed migrations to the
// schema. PostgreSQL's diff needs a server for its shadow database: the one in
// JOBSCOPE_PRISMA_URL, else a throwaway one (scripts/pg-test-server.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { PROVIDERS, migrationsToSchema, root } from './prisma.mjs';

function fail(message) {
  process.stderr.write(`migrations:new: ${message}\n`);
  process.exit(1);
}

const folders = (provider) => {
  const dir = path.join(root, PROVIDERS[provider].migrations);
  return fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort() : [];
};

/** UTC now as Prisma names migrations (YYYYMMDDHHMMSS), after every existing one. */
function nextTimestamp(existing) {
  const stamp = (d) => d.toISOString().replace(/\D/g, '').slice(0, 14);
  let t = new Date();
  const newest = existing.map((n) => n.slice(0, 14)).sort().at(-1);
  if (newest && stamp(t) <= newest) {
    const [y, mo, d, h, mi, s] = newest.match(/^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/).slice(1).map(Number);
    t = new Date(Date.UTC(y, mo - 1, d, h, mi, s + 1));
  }
  return stamp(t);
}

function write(provider, folder, sql) {
  const file = path.join(root, PROVIDERS[provider].migrations, folder, 'migration.sql');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, sql);
  process.stdout.write(`wrote ${path.relative(root, file)}\n`);
}

async function withPostgres(fn) {
  if (process.env.JOBSCOPE_PRISMA_URL?.startsWith('postgres')) return fn(process.env.JOBSCOPE_PRISMA_URL);
  const { startPgServer } = await import('./pg-test-server.mjs');
  const server = await startPgServer();
  try {
    return await fn(server.url);
  } finally {
    await server.stop();
  }
}

const args = process.argv.slice(2);
const twin = args.includes('--twin');
const name = args.find((a) => !a.startsWith('--'));
if (!twin && !name) fail('usage: npm run migrations:new -- <name>   (or -- --twin)');
if (name && !/^[a-z0-9_]{1,60}$/.test(name)) fail(`migration name "${name}": use lower-case letters, digits and _`);

// The PostgreSQL schema is written from the source first, so both diffs see the same models.
execFileSync(process.execPath, [path.join(root, 'scripts', 'prisma-schemas.mjs')], { stdio: 'inherit' });
const sqlite = folders('sqlite');
const postgresql = folders('postgresql');
const missing = sqlite.filter((f) => !postgresql.includes(f));
const extra = postgresql.filter((f) => !sqlite.includes(f));
if (extra.length) fail(`PostgreSQL migrations without a SQLite twin: ${extra.join(', ')}`);

if (twin) {
  if (missing.length === 0) fail('every SQLite migration has its PostgreSQL twin already');
  // Only the newest can be derived: the schema of an older step is gone.
  if (missing.length > 1 || missing[0] !== sqlite.at(-1)) fail(`cannot derive twins of ${missing.join(', ')}: only of the newest SQLite migration`);
  const sql = await withPostgres((url) => migrationsToSchema('postgresql', { url }));
  if (!sql) fail(`the PostgreSQL migrations already give the schema: ${missing[0]} changes nothing there?`);
  if (await migrationsToSchema('sqlite')) fail(`the SQLite migrations do not give the schema: is ${missing[0]} complete?`);
  write('postgresql', missing[0], sql);
} else {
  if (missing.length) fail(`SQLite migrations without a PostgreSQL twin: ${missing.join(', ')}; first run: npm run migrations:new -- --twin`);
  const sqliteSql = await migrationsToSchema('sqlite');
  const pgSql = await withPostgres((url) => migrationsToSchema('postgresql', { url }));
  if (!sqliteSql && !pgSql) {
    process.stdout.write('no schema change: no migration written\n');
    process.exit(0);
  }
  if (!sqliteSql || !pgSql) fail(`the providers disagree: only ${sqliteSql ? 'SQLite' : 'PostgreSQL'} has changes; check the migrations folders`);
  const folder = `${nextTimestamp(sqlite)}_${name}`;
  write('sqlite', folder, sqliteSql);
  write('postgresql', folder, pgSql);
}
