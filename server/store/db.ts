// Opens a console host's store, migrations first: SQLite (the default) through
// better-sqlite3 in WAL mode with synchronous=FULL, so a commit survives a
// crash; or PostgreSQL through pg, when the host's configuration names one.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/client.ts';
import { loadMigrations, migratePostgres, migrateSqlite, migrationsDir } from './migrate';
import { storeConnectionError, storeLocation, type PostgresConnection, type StoreLocation } from './location';
import { postgresDriver, registerDriver, sqliteDriver, WRITE_TIMEOUT_MS } from './driver';
import type { HostConfig } from '../host/config';

/**
 * The store, whichever the provider: typed as the SQLite client, whose API is
 * the part of the PostgreSQL client's that both share (common-api.ts proves it).
 */
export type Store = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export function migrateStoreFile(file: string): string[] {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    return migrateSqlite(db, loadMigrations(migrationsDir('sqlite')));
  } finally {
    db.close();
  }
}

export function postgresPool(connection: PostgresConnection, options: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({ ...connection, ...options });
  // A broken idle connection is replaced on the next query; the query says what failed.
  pool.on('error', () => {});
  return pool;
}

/**
 * Applies the store's pending migrations; returns their names. With create,
 * a missing PostgreSQL database is created first (setup --init only: at a
 * daemon's start a missing database is more likely a typo than a new store).
 */
export async function migrateStore(where: StoreLocation, { create = false } = {}): Promise<string[]> {
  if (where.provider === 'sqlite') return migrateStoreFile(where.file);
  if (create) await createPostgresDatabase(where.connection);
  const pool = postgresPool(where.connection, { max: 1 });
  try {
    return await migratePostgres(pool, loadMigrations(migrationsDir('postgresql')));
  } finally {
    await pool.end();
  }
}

async function createPostgresDatabase(connection: PostgresConnection): Promise<void> {
  const probe = new pg.Client(connection);
  try {
    await probe.connect();
    return;
  } catch (err) {
    if ((err as { code?: string }).code !== '3D000') throw err;
  } finally {
    await probe.end().catch(() => {});
  }
  const admin = new pg.Client({ ...connection, database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${connection.database.replaceAll('"', '""')}"`);
  } finally {
    await admin.end();
  }
}

/** Opens a store: a SQLite file, or where a host's configuration says. */
export async function openStore(where: string | StoreLocation): Promise<Store> {
  const location: StoreLocation = typeof where === 'string' ? { provider: 'sqlite', file: where, display: where } : where;
  if (location.provider === 'postgresql') return openPostgresStore(location);
  const file = location.file;
  migrateStoreFile(file);
  // The adapter's connection is kept for the ingest path's prepared statements (driver.ts).
  const factory = new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 5000 });
  let connection: { client?: unknown } | undefined;
  const adapter: typeof factory = Object.assign(Object.create(factory), {
    connect: async () => {
      const opened = await factory.connect();
      connection = opened as unknown as { client?: unknown };
      return opened;
    },
  });
  const prisma = new PrismaClient({ adapter });
  // One connection: these pragmas hold for every query that follows.
  await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await prisma.$executeRawUnsafe('PRAGMA synchronous = FULL');
  await prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  if (!(connection?.client instanceof Database)) throw new Error('the SQLite adapter no longer shows its connection: check server/store/driver.ts against its version');
  registerDriver(prisma, sqliteDriver(prisma, connection.client));
  await prisma.storeMeta.upsert({ where: { id: 1 }, create: { id: 1, version: 0 }, update: {} });
  return prisma;
}

async function openPostgresStore(location: Extract<StoreLocation, { provider: 'postgresql' }>): Promise<Store> {
  await migrateStore(location);
  // Connection fields, not a URL: pg lets a URL's parts override separate fields.
  // One pool for Prisma and the ingest path's own transactions (driver.ts); ended with the client.
  const pool = postgresPool(location.connection, { statement_timeout: WRITE_TIMEOUT_MS });
  // Loaded only for a PostgreSQL store: a SQLite console does not carry the second client and its query compiler.
  const [{ PrismaPg }, { PrismaClient: PostgresClient }] = await Promise.all([import('@prisma/adapter-pg'), import('./generated-pg/client.ts')]);
  const client = new PostgresClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  const store = client as unknown as Store;
  registerDriver(store, postgresDriver(pool, pg.types));
  await store.storeMeta.upsert({ where: { id: 1 }, create: { id: 1, version: 0 }, update: {} });
  return store;
}

/** Opens the store of a host, where its configuration says. */
export function openHostStore(config: HostConfig): Promise<Store> {
  const location = storeLocation(config);
  return openStore(location).catch((err) => {
    throw storeConnectionError(err, location, config.host);
  });
}
