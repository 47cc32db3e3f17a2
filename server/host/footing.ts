// Which faults end a daemon and which it contains (docs/architecture.md, "Faults").
// A daemon exits only when its own footing fails: its store or spool can no
// longer be written, its fencing epoch or hold is gone. Everything that comes
// from outside (a request, a socket event, a feed batch, a spool row, a job's
// output) is contained where it enters: the standby would meet the same input,
// so exiting on it would turn one bad input into an outage of the cluster.
import type { Logger } from './log';

/** Raised by a part whose own footing failed (hold lost, a subsystem that cannot run): the daemon exits. */
export class FootingError extends Error {}

// SQLite result codes (and extended codes starting so) that say the file itself cannot be used.
const SQLITE_FOOTING = ['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_READONLY', 'SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CANTOPEN', 'SQLITE_PERM', 'SQLITE_NOMEM', 'SQLITE_NOLFS', 'SQLITE_PROTOCOL'];
// PostgreSQL SQLSTATE classes of the server or the connection, not of the data: connection
// exception, insufficient resources (disk full), operator intervention, system error, internal
// error, configuration; and single states: read-only transaction, no such database, refused login.
const POSTGRES_FOOTING_CLASSES = ['08', '53', '57', '58', 'XX', 'F0', '28'];
const POSTGRES_FOOTING_STATES = ['25006', '3D000'];

/** Every code an error carries, through Prisma's driver adapter wrapping and `cause` chains. */
function codesOf(err: unknown, depth = 0): string[] {
  if (!err || typeof err !== 'object' || depth > 5) return [];
  const e = err as { code?: unknown; originalCode?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
  const own = [e.code, e.originalCode].filter((c): c is string => typeof c === 'string');
  return [...own, ...codesOf(e.meta?.driverAdapterError, depth + 1), ...codesOf(e.cause, depth + 1)];
}

/** Whether a store's error says the store itself is gone or unwritable (not that one value was refused). */
export function isStoreFootingFault(err: unknown): boolean {
  if (err instanceof FootingError) return true;
  return codesOf(err).some(
    (code) =>
      SQLITE_FOOTING.some((c) => code.startsWith(c)) ||
      (/^[0-9A-Z]{5}$/.test(code) && (POSTGRES_FOOTING_CLASSES.includes(code.slice(0, 2)) || POSTGRES_FOOTING_STATES.includes(code))),
  );
}

// What a store says when it refuses one value, not itself: SQLite constraint and type errors,
// PostgreSQL data exceptions (class 22: a NUL in text, a number out of range) and integrity
// violations (class 23), and Prisma's codes for the same.
const SQLITE_DATA = ['SQLITE_CONSTRAINT', 'SQLITE_MISMATCH', 'SQLITE_TOOBIG', 'SQLITE_RANGE'];
const PRISMA_DATA = ['P2000', 'P2002', 'P2003', 'P2004', 'P2005', 'P2006', 'P2007', 'P2011', 'P2019', 'P2020', 'P2023', 'P2033', 'P2039'];

/** Whether a store's error is its refusal of a value it was given (the request's fault), not a fault of the store. */
export function isStoreDataFault(err: unknown): boolean {
  if (isStoreFootingFault(err)) return false;
  return codesOf(err).some(
    (code) => SQLITE_DATA.some((c) => code.startsWith(c)) || PRISMA_DATA.includes(code) || (/^[0-9A-Z]{5}$/.test(code) && ['22', '23'].includes(code.slice(0, 2))),
  );
}

export interface Footing {
  /** The daemon's own footing failed: log why and exit non-zero, so that the cluster fails it over. */
  lost(part: string, err: unknown): never;
  /** An error that is not the footing's: log it and go on. Footing faults still end the daemon. */
  contain(part: string, err: unknown): void;
}

/**
 * The daemon's fault policy, installed once: errors nobody caught are contained
 * (logged, counted) unless they are footing faults. The store is watched by its
 * own probe (server/daemons/manager.ts), not guessed from stray errors.
 */
export function daemonFooting(log: Logger, name: string): Footing {
  let contained = 0;
  const footing: Footing = {
    lost(part, err) {
      log.fatal({ err, part }, `${part}: the ${name}'s own footing failed; exiting so that the cluster can fail over`);
      process.exit(1);
    },
    contain(part, err) {
      if (isStoreFootingFault(err)) footing.lost(part, err);
      contained++;
      log.error({ err, part, contained }, `${part} failed; contained, the ${name} goes on`);
    },
  };
  process.on('uncaughtException', (err) => footing.contain('uncaught exception', err));
  process.on('unhandledRejection', (err) => footing.contain('unhandled rejection', err));
  return footing;
}
