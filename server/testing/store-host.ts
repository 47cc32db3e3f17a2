// A console host whose store is on the provider a test asks for, and direct reads
// of that store from the test process (SQLite opened read-only beside the
// manager; PostgreSQL over its own connection), to check what a daemon did or
// did not write.
import Database from 'better-sqlite3';
import pg from 'pg';
import { PASSWORDS, TestHost } from './test-host';
import { createTestDatabase } from './postgres';
import type { StoreProvider } from './stores';

export interface StoreHost {
  host: TestHost;
  provider: StoreProvider;
  /** The PostgreSQL database, with its password (the test's own view of it); undefined on SQLite. */
  databaseUrl?: string;
}

/**
 * TestHost.create, with its console store moved to a fresh PostgreSQL database when
 * asked: the three users and the host's own registration are made again there.
 */
export async function createStoreHost(name: string, provider: StoreProvider, address = '127.0.0.1'): Promise<StoreHost> {
  const host = await TestHost.create(name, address);
  if (provider === 'sqlite') return { host, provider };
  const databaseUrl = await createTestDatabase(name.replace(/[^a-z0-9]/gi, '_').toLowerCase());
  const u = new URL(databaseUrl);
  const password = decodeURIComponent(u.password);
  u.password = '';
  await host.must(['setup', '-h', name, '--store-url', u.toString(), '--init'], { JOBSCOPE_STORE_PASSWORD: password });
  for (const [user, pw] of Object.entries(PASSWORDS)) await host.must(['user', 'add', user, '--role', user, '-h', name], { JOBSCOPE_PASSWORD: pw });
  await host.must(['host', 'add', name, '--address', address, '--port', String(host.agentPort), '-h', name], { JOBSCOPE_HOST_TOKEN: host.token });
  return { host, provider, databaseUrl };
}

/** Read (and, for the harness, repair) access to a console store, the same SQL on both providers. */
export interface StoreProbe {
  /** Rows of a query without parameters; numbers come back as numbers on both providers. */
  rows<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  /** A statement that changes the store, for a harness that repairs what a test broke on purpose. */
  exec(sql: string): Promise<void>;
  count(table: string, where?: string): Promise<number>;
  close(): Promise<void>;
}

export function openStoreProbe(target: StoreHost): StoreProbe {
  if (target.provider === 'sqlite') {
    const db = new Database(target.host.storeFile, { fileMustExist: true, timeout: 10_000 });
    const rows = async <T>(sql: string) => db.prepare(sql).all() as T[];
    return {
      rows,
      exec: async (sql) => void db.exec(sql),
      count: async (table, where) => Number((db.prepare(`SELECT count(*) AS n FROM "${table}"${where ? ` WHERE ${where}` : ''}`).get() as { n: number }).n),
      close: async () => void db.close(),
    };
  }
  const pool = new pg.Pool({ connectionString: target.databaseUrl, max: 2 });
  pool.on('error', () => {});
  // int8 (count(*)) as a number, as SQLite gives it.
  const numeric = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+$/.test(v) && k.startsWith('n') ? Number(v) : v]));
  const rows = async <T>(sql: string) => (await pool.query(sql)).rows.map(numeric) as T[];
  return {
    rows,
    exec: async (sql) => void (await pool.query(sql)),
    count: async (table, where) => Number((await pool.query(`SELECT count(*) AS n FROM "${table}"${where ? ` WHERE ${where}` : ''}`)).rows[0].n),
    close: () => pool.end(),
  };
}

/** A literal for SQL text built by a test from its own values (both providers quote the same way). */
export const sqlText = (value: string) => `'${value.replaceAll("'", "''")}'`;
