// The store's driver, under Prisma, for the one path that writes at the rate of
// the feeds (server/feed/apply.ts). Prisma stays the schema, the migrations and
// every other query; through it a statement costs about 0.4 ms of CPU (argument
// serialisation, a statement prepared per query), which caps ingest at hundreds
// of events a second. Here a batch is a handful of prepared statements (SQLite)
// or multi-row statements (PostgreSQL). See docs/architecture.md, "Ingest".
import type Database from 'better-sqlite3';
import type pg from 'pg';
import type { Store } from './db';

/** A table as the driver writes it: its columns (in order) and the key an upsert conflicts on. */
export interface Table {
  name: string;
  columns: readonly string[];
  key: readonly string[];
}

/** One value per column of its table, in the table's order; times as Date. */
export type Row = readonly unknown[];

/** Statements inside one write transaction. `?` marks a parameter on both providers. */
export interface Sql {
  rows<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  run(sql: string, params?: readonly unknown[]): Promise<void>;
  /** Inserts rows, replacing the non-key columns of rows whose key exists. Rows must have distinct keys. */
  upsert(table: Table, rows: readonly Row[]): Promise<void>;
  insert(table: Table, rows: readonly Row[]): Promise<void>;
}

export interface StoreDriver {
  /** Runs `work` in one transaction, committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
}

// A transaction the store takes this long over is of a store that hangs; a batch a host
// is entitled to send must otherwise be applied however long it takes.
export const WRITE_TIMEOUT_MS = 60_000;

const quoted = (name: string) => `"${name}"`;

function insertSql(table: Table, rows: number, param: (n: number) => string, upsert: boolean): string {
  const width = table.columns.length;
  const values = Array.from({ length: rows }, (_, r) => `(${table.columns.map((_, c) => param(r * width + c + 1)).join(', ')})`).join(', ');
  const head = `INSERT INTO ${quoted(table.name)} (${table.columns.map(quoted).join(', ')}) VALUES ${values}`;
  if (!upsert) return head;
  const updates = table.columns.filter((c) => !table.key.includes(c)).map((c) => `${quoted(c)} = excluded.${quoted(c)}`);
  return `${head} ON CONFLICT (${table.key.map(quoted).join(', ')}) DO UPDATE SET ${updates.join(', ')}`;
}

/** How Prisma keeps a time in SQLite (its adapter's default, iso8601), so that it reads ours back. */
const sqliteParam = (value: unknown) => (value instanceof Date ? value.toISOString().replace('Z', '+00:00') : value);

/**
 * SQLite: the Database under Prisma's adapter. Statements are prepared once and
 * kept; the transaction is Prisma's own, so that it takes the adapter's lock and
 * nothing of Prisma's interleaves with it on the one connection.
 */
export function sqliteDriver(store: Store, db: Database.Database): StoreDriver {
  const prepared = new Map<string, Database.Statement>();
  const statement = (sql: string) => {
    let stmt = prepared.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      if (stmt.reader) stmt.safeIntegers(false); // Prisma's connection reads integers as BigInt by default
      prepared.set(sql, stmt);
    }
    return stmt;
  };
  const write = (table: Table, rows: readonly Row[], upsert: boolean) => {
    const stmt = statement(insertSql(table, 1, () => '?', upsert));
    for (const row of rows) stmt.run(row.map(sqliteParam));
  };
  const sql: Sql = {
    rows: async <T>(text: string, params: readonly unknown[] = []) => statement(text).all(params.map(sqliteParam)) as T[],
    run: async (text, params = []) => void statement(text).run(params.map(sqliteParam)),
    upsert: async (table, rows) => write(table, rows, true),
    insert: async (table, rows) => write(table, rows, false),
  };
  return { transaction: (work) => store.$transaction(() => work(sql), { timeout: WRITE_TIMEOUT_MS, maxWait: 10_000 }) };
}

// PostgreSQL's limit is 65,535 parameters a statement.
const MAX_PARAMS = 30_000;
const TIMESTAMP_OID = 1114;

/** How Prisma's adapter writes a timestamp (UTC, without zone), and how it is read back: ISO 8601. */
function pgParam(value: unknown): unknown {
  return value instanceof Date ? value.toISOString().replace('T', ' ').replace('Z', '') : value;
}
const pgTypes = (types: typeof pg.types) => ({
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_OID ? (text: string) => new Date(`${text.replace(' ', 'T')}Z`).toISOString() : types.getTypeParser(oid, format)) as typeof types.getTypeParser,
});

const numbered = (text: string) => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

/** PostgreSQL: a connection of the store's pool, its own transaction, rows written many to a statement. */
export function postgresDriver(pool: pg.Pool, types: typeof pg.types): StoreDriver {
  const parsers = pgTypes(types);
  return {
    async transaction(work) {
      const client = await pool.connect();
      const query = (text: string, params: readonly unknown[]) => client.query({ text, values: params.map(pgParam), types: parsers });
      const write = async (table: Table, rows: readonly Row[], upsert: boolean) => {
        const perStatement = Math.max(1, Math.floor(MAX_PARAMS / table.columns.length));
        for (let i = 0; i < rows.length; i += perStatement) {
          const part = rows.slice(i, i + perStatement);
          await query(insertSql(table, part.length, (n) => `$${n}`, upsert), part.flat());
        }
      };
      const sql: Sql = {
        rows: async <T>(text: string, params: readonly unknown[] = []) => (await query(numbered(text), params)).rows as T[],
        run: async (text, params = []) => void (await query(numbered(text), params)),
        upsert: (table, rows) => write(table, rows, true),
        insert: (table, rows) => write(table, rows, false),
      };
      let broken: Error | undefined;
      try {
        await client.query('BEGIN'); // statements end after WRITE_TIMEOUT_MS: the pool sets statement_timeout
        const result = await work(sql);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
        throw err;
      } finally {
        client.release(broken);
      }
    },
  };
}

const drivers = new WeakMap<object, StoreDriver>();

export function registerDriver(store: Store, driver: StoreDriver): void {
  drivers.set(store, driver);
}

/** The driver of a store opened by openStore. */
export function storeDriver(store: Store): StoreDriver {
  const driver = drivers.get(store);
  if (!driver) throw new Error('this store was not opened by openStore');
  return driver;
}
