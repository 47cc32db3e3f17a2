// The console manager's exclusive hold of its store, in one place:
// - SQLite in the data folder: the lock file (server/host/hold.ts), taken
//   before the store is opened;
// - PostgreSQL: a lease row timed by the database's clock (lease.ts), taken
//   before any pending migration is applied (on a new database, right after
//   the migrations that create its table).
// Either way the manager then claims the store's fencing epoch (fence.ts) and
// checks it before every write; a second manager is refused naming the holder.
import { takeHold } from '../host/hold';
import type { HostConfig } from '../host/config';
import { openStore, postgresPool, type Store } from './db';
import { claimStore } from './fence';
import { leaseTableExists, takeLease, LEASE_TTL_MS, type Lease } from './lease';
import { storeConnectionError, storeLocation, type StoreLocation } from './location';
import { checkPostgresStore, loadMigrations, migrationsDir } from './migrate';

export interface HeldStore {
  store: Store;
  /** The fencing epoch this manager claimed on the store. */
  epoch: number;
  location: StoreLocation;
  hold: { release(): Promise<void> };
}

/**
 * Takes the hold of a console host's store, opens it and claims its epoch.
 * Throws HeldError naming the holder when another manager has it. onLost is
 * called if the hold is lost later (PostgreSQL: the lease could not be renewed).
 */
export async function holdStore(config: HostConfig, onLost: (err: Error) => void): Promise<HeldStore> {
  const location = storeLocation(config);
  if (location.provider === 'sqlite') {
    const hold = takeHold(config.dataDir, config.host, 'manager');
    try {
      const store = await openStore(location);
      const epoch = await claimStore(store);
      hold.recordEpoch(epoch);
      return { store, epoch, location, hold: { release: async () => hold.release() } };
    } catch (err) {
      hold.release();
      throw err;
    }
  }

  // The lease's own connection: renewals never queue behind the store's queries.
  const pool = postgresPool(location.connection, { max: 1, query_timeout: LEASE_TTL_MS / 2 });
  let lease: Lease | null = null;
  let store: Store | null = null;
  try {
    // A store written by a newer build is refused before anything is changed.
    await checkPostgresStore(pool, loadMigrations(migrationsDir('postgresql')));
    if (await leaseTableExists(pool)) lease = await takeLease(pool, config.host, { onLost });
    store = await openStore(location);
    lease ??= await takeLease(pool, config.host, { onLost });
    const epoch = await claimStore(store);
    const held = lease;
    return {
      store,
      epoch,
      location,
      hold: {
        async release() {
          await held.release();
          await pool.end();
        },
      },
    };
  } catch (err) {
    await lease?.release().catch(() => {});
    await store?.$disconnect().catch(() => {});
    await pool.end().catch(() => {});
    throw storeConnectionError(err, location, config.host);
  }
}
