#!/usr/bin/env node
// A schema engine for Prisma's CLI that needs no download. Prisma's CLI runs the
// program named by PRISMA_SCHEMA_ENGINE_BINARY and speaks JSON-RPC with it, one
// message a line on stdin/stdout, logs on stderr. This program answers those
// calls with the schema engine compiled to WebAssembly (@prisma/schema-engine-wasm),
// which reaches the database through a Prisma driver adapter: better-sqlite3 for
// a file: URL, pg for a postgres(ql): URL.
//
// Arguments as the native engine takes them:
//   --datamodels FILE (repeated)   the Prisma schema files
//   --datasource JSON              {"url", "shadowDatabaseUrl"} from prisma.config.ts
//   --version                      prints the engine's version
//   cli can-connect-to-database | create-database | drop-database
// Without a datasource URL, SQLite works in memory (enough for `migrate diff`).
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as engineGlue from '@prisma/schema-engine-wasm/schema_engine_bg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

// Same DDL as Prisma's SQLite connector (and server/store/migrate.ts).
const SQLITE_LEDGER = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

// ---- logging: JSON lines on stderr, the shape Prisma's CLI reads ----

function log(level, message, fields = {}) {
  process.stderr.write(JSON.stringify({ timestamp: new Date().toISOString(), level, fields: { message, ...fields }, target: 'schema_engine::logger' }) + '\n');
}

// ---- arguments ----

function parseArgs(argv) {
  const args = { datamodels: [], datasource: null, cli: null, version: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--datamodels' || a === '-d') args.datamodels.push(argv[++i]);
    else if (a === '--datasource') args.datasource = JSON.parse(argv[++i]);
    else if (a === '--enabled-preview-features' || a === '--extension-types') i++;
    else if (a === '--version' || a === '-V') args.version = true;
    else if (a === 'cli') args.cli = argv[++i];
    else throw new Error(`schema-engine: unknown argument ${a}`);
  }
  return args;
}

// ---- the WebAssembly engine ----
// From @prisma/schema-engine-wasm: the prisma package ships the same engine's
// .wasm, but not the JavaScript bindings it needs.

function loadEngine() {
  const gluePath = fileURLToPath(import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
  const module = new WebAssembly.Module(fs.readFileSync(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm')));
  const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': engineGlue });
  engineGlue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return engineGlue;
}

// ---- driver adapters ----

function providerOfUrl(url) {
  if (/^file:/.test(url)) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  throw new Error(`schema-engine: unsupported datasource URL scheme in ${redact(url)} (file: or postgresql:)`);
}

function providerOfSchemas(files) {
  for (const [, content] of files) {
    const m = /datasource\s+\w+\s*\{[^}]*provider\s*=\s*"(\w+)"/m.exec(content);
    if (m) return m[1] === 'postgres' ? 'postgresql' : m[1];
  }
  return null;
}

function redact(url) {
  return String(url).replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
}

function sqliteFile(url) {
  const file = url.replace(/^file:/, '').replace(/\?.*$/, '');
  return file === ':memory:' ? file : path.resolve(file);
}

// better-sqlite3 prepares one statement at a time; the engine sends some
// scripts (e.g. a migration on the shadow database) through executeRaw.
function patchSqliteAdapter(adapter) {
  for (const method of ['executeRaw', 'queryRaw']) {
    const original = adapter[method].bind(adapter);
    adapter[method] = async (query) => {
      try {
        return await original(query);
      } catch (err) {
        if (query.args.length === 0 && /more than one statement/.test(String(err?.cause?.message ?? err?.message ?? ''))) {
          adapter.client.exec(query.sql);
          return method === 'executeRaw' ? 0 : { columnNames: [], columnTypes: [], rows: [] };
        }
        throw err;
      }
    };
  }
  return adapter;
}

async function sqliteFactory(url, shadowUrl) {
  const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
  const file = sqliteFile(url);
  const shadow = shadowUrl ? { shadowDatabaseUrl: `file:${sqliteFile(shadowUrl)}` } : undefined;
  const base = new PrismaBetterSqlite3({ url: `file:${file}` }, shadow);
  return {
    provider: 'sqlite',
    adapterName: base.adapterName,
    file,
    async connect() {
      const adapter = patchSqliteAdapter(await base.connect());
      // Without the ledger, the engine's "does _prisma_migrations exist" probe
      // fails with P1014 instead of being read as "no migrations yet". An empty
      // ledger is what the engine itself creates on first use.
      adapter.client.exec(SQLITE_LEDGER);
      return adapter;
    },
    async connectToShadowDb() {
      return patchSqliteAdapter(await base.connectToShadowDb());
    },
  };
}

/** Connection fields of a PostgreSQL URL: pg lets a connection string override a database field. */
function pgFields(url) {
  const u = new URL(url);
  const fields = {
    host: decodeURIComponent(u.hostname) || u.searchParams.get('host') || '127.0.0.1',
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username) || undefined,
    password: u.password ? decodeURIComponent(u.password) : process.env.PGPASSWORD,
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
  };
  return { fields, schema: u.searchParams.get('schema') || undefined };
}

function patchPgAdapter(adapter) {
  // adapter-pg has no column type for the catalog type "char" (OID 18) that
  // the engine's introspection reads: it is one character of text.
  const patchIO = (queryable) => {
    const performIO = queryable.performIO.bind(queryable);
    queryable.performIO = async (query) => {
      const result = await performIO(query);
      for (const field of result.fields) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
      return result;
    };
    return queryable;
  };
  patchIO(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (...args) => patchIO(await startTransaction(...args));
  // adapter-pg splits a script on ";", which breaks any statement holding one
  // in a string or a function body: send it whole, as one simple query.
  adapter.executeScript = async (script) => {
    try {
      await adapter.client.query(script);
    } catch (err) {
      adapter.onError(err);
    }
  };
  return adapter;
}

async function pgFactory(url, shadowUrl) {
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const { default: pg } = await import('pg');
  const main = pgFields(url);
  const base = new PrismaPg(main.fields, { schema: main.schema });
  return {
    provider: 'postgres',
    adapterName: base.adapterName,
    fields: main.fields,
    async connect() {
      return patchPgAdapter(await base.connect());
    },
    async connectToShadowDb() {
      if (shadowUrl) {
        const shadow = pgFields(shadowUrl);
        return patchPgAdapter(await new PrismaPg(shadow.fields, { schema: shadow.schema }).connect());
      }
      // A throwaway database beside the main one, dropped when the engine lets go of it.
      const database = `prisma_migrate_shadow_db_${crypto.randomUUID().replaceAll('-', '')}`;
      const admin = new pg.Client(main.fields);
      await admin.connect();
      await admin.query(`CREATE DATABASE "${database}"`);
      const adapter = patchPgAdapter(await new PrismaPg({ ...main.fields, database }, { schema: main.schema }).connect());
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        // The pool first: a database cannot be dropped while sessions use it.
        await dispose();
        try {
          await admin.query(`DROP DATABASE IF EXISTS "${database}"`);
        } finally {
          await admin.end();
        }
      };
      return adapter;
    },
  };
}

async function adapterFactory(datasource, datamodels) {
  const url = datasource?.url;
  const provider = url ? providerOfUrl(url) : providerOfSchemas(datamodels);
  if (provider === 'sqlite') return sqliteFactory(url ?? 'file::memory:', datasource?.shadowDatabaseUrl);
  if (provider === 'postgresql') {
    if (url) return pgFactory(url, datasource?.shadowDatabaseUrl);
    // Diffs between schemas need no server; anything else says what is missing.
    const missing = async () => {
      throw new Error('this needs a PostgreSQL server: set JOBSCOPE_PRISMA_URL (datasource.url in the Prisma config)');
    };
    return { provider: 'postgres', adapterName: '@prisma/adapter-pg', connect: missing, connectToShadowDb: missing };
  }
  throw new Error(`schema-engine: unsupported provider ${provider ?? '(none found)'}`);
}

// ---- SQLite reset: the engine in WebAssembly cannot delete the file, and its
// fallback only deletes rows; drop every object instead. ----

async function resetSqlite(factory) {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(factory.file);
  try {
    db.pragma('foreign_keys = OFF');
    const objects = db.prepare(`SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND type IN ('view', 'trigger', 'table')`).all();
    db.transaction(() => {
      for (const { type, name } of objects) db.exec(`DROP ${type.toUpperCase()} IF EXISTS "${name.replaceAll('"', '""')}"`);
    })();
    db.exec(SQLITE_LEDGER);
    db.exec('VACUUM');
  } finally {
    db.close();
  }
}

// ---- `cli` subcommands (database existence, used by migrate dev/deploy) ----

async function runCli(command, datasource) {
  const url = datasource?.url;
  if (!url) throw Object.assign(new Error('no datasource URL given'), { errorCode: 'P1012' });
  const provider = providerOfUrl(url);
  if (provider === 'sqlite') {
    const file = sqliteFile(url);
    if (command === 'can-connect-to-database') {
      if (file !== ':memory:' && !fs.existsSync(file)) throw Object.assign(new Error(`Database ${path.basename(file)} does not exist at ${file}`), { errorCode: 'P1003' });
    } else if (command === 'create-database') {
      const { default: Database } = await import('better-sqlite3');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      new Database(file).close();
    } else if (command === 'drop-database') {
      fs.rmSync(file, { force: true });
    } else throw new Error(`unknown cli command ${command}`);
    return;
  }
  const { default: pg } = await import('pg');
  const { fields } = pgFields(url);
  if (command === 'can-connect-to-database') {
    const client = new pg.Client(fields);
    try {
      await client.connect();
    } catch (err) {
      if (err.code === '3D000') throw Object.assign(new Error(`Database \`${fields.database}\` does not exist on the database server at \`${fields.host}:${fields.port}\`.`), { errorCode: 'P1003' });
      throw Object.assign(new Error(`Can't reach database server at \`${fields.host}:${fields.port}\`: ${err.message}`), { errorCode: 'P1001' });
    } finally {
      await client.end().catch(() => {});
    }
    return;
  }
  const admin = new pg.Client({ ...fields, database: 'postgres' });
  await admin.connect();
  try {
    const name = `"${fields.database.replaceAll('"', '""')}"`;
    if (command === 'create-database') await admin.query(`CREATE DATABASE ${name}`);
    else if (command === 'drop-database') await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    else throw new Error(`unknown cli command ${command}`);
  } finally {
    await admin.end();
  }
}

// ---- JSON-RPC over stdin/stdout ----

function send(message) {
  process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...message }) + '\n');
}

/** The engine reports a JavaScript error thrown in an adapter as "External error id#N". */
function unwrapError(err, registry) {
  const m = /External error id#(\d+)/.exec(err?.message ?? '');
  return (m && registry?.consumeError(Number(m[1]))?.error) || err;
}

function errorResponse(id, raw, registry) {
  const err = unwrapError(raw, registry);
  // Keep the message, not the engine's Rust span trace under it.
  const message = String(err?.message ?? err).replace(/\n\s+0: [\s\S]*$/, '');
  const code = typeof err?.code === 'string' && /^P\d{4}$/.test(err.code) ? err.code : undefined;
  log('ERROR', message, code ? { error_code: code } : {});
  send({ id, error: { code: 4466, message: 'An error happened. Check the data field for details.', data: { is_panic: false, message, meta: err?.meta ?? null, error_code: code } } });
}

/** RPC methods whose wasm name differs, or that this program answers itself. */
function methodTable(engine, factory) {
  return {
    getDatabaseVersion: (params) => engine.version(params ?? null),
    async diff(params) {
      const { exitCode, stdout } = await engine.diff(params);
      // The native engine prints through a "print" request to the CLI.
      if (stdout) send({ id: `print-${Date.now()}`, method: 'print', params: { content: stdout.replace(/\n$/, '') } });
      return { exitCode };
    },
    async reset(params) {
      if (factory.provider === 'sqlite' && factory.file !== ':memory:') return resetSqlite(factory).then(() => null);
      await engine.reset(params);
      return null;
    },
    async createDatabase() {
      await runCli('create-database', { url: factory.url });
      return { databaseName: factory.provider === 'sqlite' ? path.basename(factory.file) : factory.fields.database };
    },
    async getDatabaseDescription() {
      throw new Error('getDatabaseDescription is not supported by the WebAssembly schema engine');
    },
  };
}

/** Schema files carried by a request (e.g. `migrate diff --to-schema`), as [path, content]. */
function schemasInParams(params, found = []) {
  if (Array.isArray(params)) for (const p of params) schemasInParams(p, found);
  else if (params && typeof params === 'object') {
    if (typeof params.content === 'string' && typeof params.path === 'string') found.push([params.path, params.content]);
    else for (const v of Object.values(params)) schemasInParams(v, found);
  }
  return found;
}

async function serve(args) {
  const datamodels = args.datamodels.map((file) => [file, fs.readFileSync(file, 'utf8')]);
  let started = null;
  let bound = null; // set before the engine starts: it may fail connecting
  // Started at the first call: without a datasource (e.g. `migrate diff`), the
  // provider is only known from the schema the call carries.
  const start = (params) =>
    (started ??= (async () => {
      const factory = await adapterFactory(args.datasource, datamodels.length ? datamodels : schemasInParams(params));
      factory.url = args.datasource?.url;
      bound = bindMigrationAwareSqlAdapterFactory(factory);
      const engine = await loadEngine().SchemaEngine.new({ datamodels: datamodels.length ? datamodels : undefined }, (line) => log('DEBUG', String(line)), bound);
      log('INFO', `schema engine (WebAssembly) started for ${factory.provider}`);
      return { engine, table: methodTable(engine, factory) };
    })());

  let queue = Promise.resolve();
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (!line.trim()) return;
    let request;
    try {
      request = JSON.parse(line);
    } catch {
      log('ERROR', `unparsable request: ${line.slice(0, 200)}`);
      return;
    }
    if (request.method === undefined) return; // the CLI's answer to a "print" request
    // One call at a time, in order, as the native engine does.
    queue = queue.then(async () => {
      try {
        const s = await start(request.params);
        const own = s.table[request.method];
        const result = own ? await own(request.params) : await callEngine(s.engine, request.method, request.params);
        send({ id: request.id, result: result ?? null });
      } catch (err) {
        errorResponse(request.id, err, bound?.errorRegistry);
      }
    });
  });
  lines.on('close', () => {
    queue.then(async () => {
      try {
        (await started)?.engine.free();
      } catch {}
      process.exit(0);
    });
  });
}

/** RPC methods the WebAssembly engine answers under the same name and with the same parameters. */
const ENGINE_METHODS = new Set([
  'applyMigrations', 'createMigration', 'dbExecute', 'debugPanic', 'devDiagnostic', 'diagnoseMigrationHistory',
  'ensureConnectionValidity', 'evaluateDataLoss', 'introspect', 'introspectSql', 'markMigrationApplied',
  'markMigrationRolledBack', 'schemaPush',
]);

function callEngine(engine, method, params) {
  if (!ENGINE_METHODS.has(method)) throw new Error(`schema-engine: unknown method ${method}`);
  return engine[method](params);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.version) {
    process.stdout.write(`schema-engine-cli ${loadEngine().version()} (WebAssembly)\n`);
    return;
  }
  if (args.cli) {
    // The CLI skips the first stderr line and reads the others as JSON logs.
    process.stderr.write('schema-engine (WebAssembly) cli\n');
    try {
      await runCli(args.cli, args.datasource);
      log('INFO', `${args.cli}: ok`);
    } catch (err) {
      log('ERROR', err.message, err.errorCode ? { error_code: err.errorCode } : {});
      process.exitCode = 1;
    }
    return;
  }
  await serve(args);
}

process.on('SIGTERM', () => process.exit(0));
main().catch((err) => {
  log('ERROR', err?.stack ?? String(err));
  process.exit(1);
});
