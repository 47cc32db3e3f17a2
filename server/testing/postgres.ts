// Databases of the test run's PostgreSQL server (postgres-global-setup.ts):
// each test gets a fresh, empty database of its own.
import crypto from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export function postgresUrl(): string {
  return inject('postgresUrl');
}

/** Creates an empty database and returns its URL. */
export async function createTestDatabase(prefix = 'test'): Promise<string> {
  const admin = new pg.Client({ connectionString: postgresUrl() });
  await admin.connect();
  const name = `${prefix}_${crypto.randomBytes(6).toString('hex')}`;
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresUrl());
  url.pathname = `/${name}`;
  return url.toString();
}
