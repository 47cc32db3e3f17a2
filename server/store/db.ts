// Opens a console host's store: migrations first, then the Prisma client over
// better-sqlite3 in WAL mode with synchronous=FULL, so a commit survives a crash.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/client.ts';
import { loadMigrations, migrateSqlite, migrationsDir } from './migrate';

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

export async function openStore(file: string): Promise<Store> {
  migrateStoreFile(file);
  const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 5000 }) });
  // One connection: these pragmas hold for every query that follows.
  await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await prisma.$executeRawUnsafe('PRAGMA synchronous = FULL');
  await prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  await prisma.storeMeta.upsert({ where: { id: 1 }, create: { id: 1, version: 0 }, update: {} });
  return prisma;
}
