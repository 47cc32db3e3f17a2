// The PostgreSQL lease on a real server: taken when free or run out, refused
// while its holder renews it, its epoch raised on every take, and lost (the
// holder told so) when it cannot be renewed or another holder has it.
import os from 'node:os';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type pg from 'pg';
import { HeldError } from '../host/hold';
import { postgresPool } from './db';
import { takeLease, type Lease } from './lease';
import { loadMigrations, migratePostgres, migrationsDir } from './migrate';
import { parsePostgresUrl } from './location';
import { createTestDatabase } from '../testing/postgres';

let pools: pg.Pool[] = [];
let leases: Lease[] = [];
let db: string;

const pool = () => {
  const p = postgresPool(parsePostgresUrl(db), { max: 1 });
  pools.push(p);
  return p;
};
const keep = (lease: Lease) => (leases.push(lease), lease);
const never = (err: Error) => {
  throw new Error(`lease lost unexpectedly: ${err.message}`);
};

beforeEach(async () => {
  db = await createTestDatabase('lease');
  await migratePostgres(pool(), loadMigrations(migrationsDir('postgresql')));
});

afterEach(async () => {
  await Promise.all(leases.map((l) => l.release()));
  await Promise.all(pools.map((p) => p.end()));
  pools = [];
  leases = [];
});

it('refuses a second taker while the holder renews, naming it, within about one renewal', async () => {
  const first = keep(await takeLease(pool(), 'c1', { ttlMs: 3000, renewMs: 300, onLost: never }));
  expect(first.epoch).toBe(1);
  const started = Date.now();
  const second = takeLease(pool(), 'c1', { ttlMs: 3000, renewMs: 300, onLost: never });
  await expect(second).rejects.toThrow(HeldError);
  await expect(second).rejects.toThrow(new RegExp(`held by manager pid ${process.pid} on node ${os.hostname()} \\(since .*, epoch 1\\)`));
  expect(Date.now() - started).toBeLessThan(2000);
});

it('after a release the next taker gets it at once, with a higher epoch', async () => {
  const first = await takeLease(pool(), 'c1', { ttlMs: 5000, renewMs: 1000, onLost: never });
  await first.release();
  const started = Date.now();
  const second = keep(await takeLease(pool(), 'c1', { ttlMs: 5000, renewMs: 1000, onLost: never }));
  expect(second.epoch).toBe(2);
  expect(Date.now() - started).toBeLessThan(1000);
});

it('a lease that runs out unrenewed is taken over, and its old holder learns it lost it', async () => {
  const lost: Error[] = [];
  const oldPool = pool();
  // Renewing less often than the lease lasts: a holder too slow (or paused) to keep it.
  const old = keep(await takeLease(oldPool, 'c1', { ttlMs: 800, renewMs: 1500, onLost: (e) => lost.push(e) }));
  const started = Date.now();
  const next = keep(await takeLease(pool(), 'c1', { ttlMs: 5000, renewMs: 1000, onLost: never }));
  expect(Date.now() - started).toBeGreaterThanOrEqual(500); // it waited for the lease to run out
  expect(next.epoch).toBe(old.epoch + 1);
  await expect.poll(() => lost.length, { timeout: 5000 }).toBe(1);
  expect(lost[0].message).toMatch(new RegExp(`lost the lease of the console store of c1: it is held by manager pid ${process.pid} on node .* epoch 2`));
});

it('two takers at once: exactly one gets it', async () => {
  const results = await Promise.allSettled([1, 2, 3].map(() => takeLease(pool(), 'c1', { ttlMs: 3000, renewMs: 300, onLost: never })));
  const won = results.filter((r): r is PromiseFulfilledResult<Lease> => r.status === 'fulfilled');
  won.forEach((r) => keep(r.value));
  expect(won.map((r) => r.value.epoch)).toEqual([1]);
  expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof HeldError)).toHaveLength(2);
});
