// An empty console store of either provider, for tests that must hold on both:
// SQLite in a temporary folder, or a fresh database of the test run's
// PostgreSQL server (postgres-global-setup.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, type Store } from '../store/db';
import { parsePostgresUrl, redactUrl, type StoreLocation } from '../store/location';
import { createTestDatabase } from './postgres';

export const STORE_PROVIDERS = ['sqlite', 'postgresql'] as const;
export type StoreProvider = (typeof STORE_PROVIDERS)[number];

/** The store, where it is (to open it again, as another process would), and close(). */
export async function openTestStore(provider: StoreProvider): Promise<{ store: Store; location: StoreLocation; close(): Promise<void> }> {
  if (provider === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobscope-store-'));
    const file = path.join(dir, 'console.db');
    const store = await openStore(file);
    return {
      store,
      location: { provider, file, display: file },
      async close() {
        await store.$disconnect();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = await createTestDatabase('store');
  const location: StoreLocation = { provider, connection: parsePostgresUrl(url), display: redactUrl(url) };
  const store = await openStore(location);
  return { store, location, close: () => store.$disconnect() };
}
