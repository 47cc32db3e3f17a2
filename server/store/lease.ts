// Exclusive hold of a console store on PostgreSQL (docs/architecture.md, "Logical hosts,
// holds and failover"): a lease row
// timed by the database's clock, not a session advisory lock (a dead holder's
// connection can keep such a lock for hours). The holder renews it every few
// seconds; a holder that dies simply lets it run out. Taking it raises its
// epoch. A starting manager that finds the lease held waits to see whether the
// holder renews it: if so it refuses at once, naming the holder; if the lease
// runs out instead, it takes it. A holder that fails to renew in time, or finds
// another holder, has lost the store and is told to exit.
//
// Times are the database's, in UTC: no node's clock matters, and Prisma reads
// the timestamp columns as UTC.
import crypto from 'node:crypto';
import os from 'node:os';
import type pg from 'pg';
import { HeldError } from '../host/hold';
import { FootingError } from '../host/footing';

export const LEASE_TTL_MS = 8000;
export const LEASE_RENEW_MS = 2000;
const POLL_MS = 250;
const NOW = `(now() AT TIME ZONE 'UTC')`;

export interface LeaseHolder {
  host: string;
  holder: string;
  node: string;
  pid: number;
  epoch: number;
  since: Date;
  expiresAt: Date;
}

export interface Lease {
  readonly epoch: number;
  readonly holder: LeaseHolder;
  /** Gives the lease up at once: the next manager need not wait for it to run out. */
  release(): Promise<void>;
}

export interface LeaseOptions {
  ttlMs?: number;
  renewMs?: number;
  /** Called once when the lease is lost: the daemon must stop writing and exit. */
  onLost: (err: Error) => void;
}

export class LeaseLostError extends FootingError {}

/** Whether the store has its lease table yet (a new database gets it from the migrations). */
export async function leaseTableExists(db: pg.Pool | pg.ClientBase): Promise<boolean> {
  const { rows } = await db.query(`SELECT to_regclass('"Lease"') IS NOT NULL AS present`);
  return rows[0].present as boolean;
}

export function describeHolder(h: Pick<LeaseHolder, 'pid' | 'node' | 'since' | 'epoch'>): string {
  return `manager pid ${h.pid} on node ${h.node} (since ${h.since.toISOString()}, epoch ${h.epoch})`;
}

async function readLease(db: pg.Pool, host: string): Promise<LeaseHolder | null> {
  const { rows } = await db.query(
    `SELECT host, holder, node, pid, epoch, since, "expiresAt", "expiresAt" > ${NOW} AS live FROM "Lease" WHERE host = $1`,
    [host],
  );
  return rows[0] ? toHolder(rows[0]) : null;
}

function toHolder(row: Record<string, unknown>): LeaseHolder {
  // timestamp(3) without time zone holding UTC: pg reads it as local time.
  const utc = (v: unknown) => (v instanceof Date ? new Date(v.getTime() - v.getTimezoneOffset() * 60_000) : new Date(String(v)));
  return {
    host: row.host as string,
    holder: row.holder as string,
    node: row.node as string,
    pid: row.pid as number,
    epoch: row.epoch as number,
    since: utc(row.since),
    expiresAt: utc(row.expiresAt),
  };
}

/** Takes the lease if it is free or has run out; null if someone else holds it. */
async function tryTake(db: pg.Pool, me: { host: string; holder: string; node: string; pid: number }, ttlMs: number): Promise<LeaseHolder | null> {
  const { rows } = await db.query(
    `INSERT INTO "Lease" AS l (host, holder, node, pid, epoch, since, "renewedAt", "expiresAt")
     VALUES ($1, $2, $3, $4, 1, ${NOW}, ${NOW}, ${NOW} + $5 * interval '1 millisecond')
     ON CONFLICT (host) DO UPDATE SET holder = EXCLUDED.holder, node = EXCLUDED.node, pid = EXCLUDED.pid,
       epoch = l.epoch + 1, since = EXCLUDED.since, "renewedAt" = EXCLUDED."renewedAt", "expiresAt" = EXCLUDED."expiresAt"
     WHERE l."expiresAt" <= ${NOW}
     RETURNING host, holder, node, pid, epoch, since, "expiresAt"`,
    [me.host, me.holder, me.node, me.pid, ttlMs],
  );
  return rows[0] ? toHolder(rows[0]) : null;
}

/**
 * Takes the lease of a console host's store, or throws HeldError naming the
 * holder when it is alive (it renews its lease while we watch).
 */
export async function takeLease(db: pg.Pool, host: string, options: LeaseOptions): Promise<Lease> {
  const ttlMs = options.ttlMs ?? LEASE_TTL_MS;
  const renewMs = options.renewMs ?? LEASE_RENEW_MS;
  const me = { host, holder: crypto.randomUUID(), node: os.hostname(), pid: process.pid };
  let taken = await tryTake(db, me, ttlMs);
  let seen: LeaseHolder | null = null;
  while (!taken) {
    const current = await readLease(db, host);
    if (current) {
      // Renewed (or taken by a third) while we watched: its holder is alive.
      if (seen && (current.holder !== seen.holder || current.expiresAt > seen.expiresAt)) {
        throw new HeldError(`the console store of ${host} is held by ${describeHolder(current)}; refusing to start a second one`);
      }
      seen ??= current;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
    taken = await tryTake(db, me, ttlMs);
  }
  const holder = taken;

  let lost = false;
  let released = false;
  // Deadline on our own monotonic clock: the database set expiresAt at or after
  // the moment we sent the renewal, so the lease lasts at least ttl from then.
  let validUntil = performance.now() + ttlMs;
  const loseIt = (err: Error) => {
    if (lost || released) return;
    lost = true;
    clearInterval(timer);
    options.onLost(err);
  };
  let inFlight = false;
  const renew = async () => {
    if (lost || released) return;
    if (inFlight) {
      // A renewal that hangs past the lease's end has lost it all the same.
      if (performance.now() >= validUntil) loseIt(new LeaseLostError(`cannot renew the lease of the console store of ${host}: the database does not answer`));
      return;
    }
    inFlight = true;
    const sent = performance.now();
    try {
      const { rowCount } = await db.query(
        `UPDATE "Lease" SET "renewedAt" = ${NOW}, "expiresAt" = ${NOW} + $3 * interval '1 millisecond'
         WHERE host = $1 AND holder = $2 AND "expiresAt" > ${NOW}`,
        [host, me.holder, ttlMs],
      );
      if (released) return;
      if (rowCount === 1) {
        validUntil = sent + ttlMs;
        return;
      }
      const now = await readLease(db, host).catch(() => null);
      loseIt(
        new LeaseLostError(
          now && now.holder !== me.holder
            ? `lost the lease of the console store of ${host}: it is held by ${describeHolder(now)} now`
            : `lost the lease of the console store of ${host}: it ran out before it was renewed`,
        ),
      );
    } catch (err) {
      // The database may come back before the lease runs out; after that, the store is no longer ours.
      if (performance.now() + renewMs >= validUntil) {
        loseIt(new LeaseLostError(`cannot renew the lease of the console store of ${host} before it runs out: ${(err as Error).message}`));
      }
    } finally {
      inFlight = false;
    }
  };
  const timer = setInterval(() => void renew(), renewMs);
  timer.unref();

  return {
    epoch: holder.epoch,
    holder,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      if (!lost) {
        await db.query(`UPDATE "Lease" SET "expiresAt" = ${NOW} WHERE host = $1 AND holder = $2`, [host, me.holder]).catch(() => {});
      }
    },
  };
}
