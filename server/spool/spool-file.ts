// A job host's spool: a durable, append-only journal of start, end and status
// events in one SQLite file on the host's shared disk. Many `jobscope exec`
// processes append at once, so each append opens the file, writes in one short
// BEGIN IMMEDIATE transaction and closes it again: no writer holds the file.
// Beside the journal it keeps each execution's folded run and each unit's
// latest run, so that a snapshot never replays the journal.
//
// This file is the spool's layout and its appends, in plain SQLite: `jobscope exec`,
// started for every job, appends through it without loading zod. spool.ts checks
// every other writer's events before they are appended, and reads the spool.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { foldEvent } from '../domain/fold';
import type { NewSpoolEvent, Run, SpoolEvent } from '../domain/events';

/**
 * Version of the table layout below; a spool with a higher one was written by a newer build.
 * 1: first layout. 2: spool_meta.epoch (fencing) and an index of the runs still going.
 */
export const SPOOL_FORMAT = 2;
// How long a writer waits for the spool's lock. Hundreds of jobs that start at once (the top of
// the hour) queue for it, and SQLite's waiting is not first come, first served: a job wrapper
// that gave up would stop its job, so it waits long.
const BUSY_TIMEOUT_MS = 60_000;

// The processes still going (started by exec, not ended), which the agent looks for
// at start and stop; the journal keeps growing, so they are not found by a scan.
const RUNNING_INDEX = 'CREATE INDEX IF NOT EXISTS runs_running ON runs (exec_id) WHERE ended_at IS NULL AND pid IS NOT NULL;';

export const SCHEMA = `
CREATE TABLE spool_meta (
  singleton      INTEGER PRIMARY KEY CHECK (singleton = 1),
  spool_id       TEXT NOT NULL,
  host           TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  -- highest sequence removed by pruneSpool: events at or below it are gone
  pruned_through INTEGER NOT NULL DEFAULT 0,
  -- fencing epoch of the agent that holds the spool: its writes check it is still theirs
  epoch          INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE events (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  host        TEXT NOT NULL,
  unit        TEXT NOT NULL,
  exec_id     TEXT NOT NULL,
  run_id      TEXT,
  kind        TEXT NOT NULL,
  status      TEXT NOT NULL,
  at          TEXT NOT NULL,
  node        TEXT,
  pid         INTEGER,
  exit_code   INTEGER,
  signal      TEXT,
  output_tail TEXT,
  reason      TEXT
);
-- One row per execution, folded from its events with foldEvent.
CREATE TABLE runs (
  exec_id     TEXT PRIMARY KEY,
  host        TEXT NOT NULL,
  unit        TEXT NOT NULL,
  run_id      TEXT,
  status      TEXT NOT NULL,
  start_seq   INTEGER NOT NULL,
  last_seq    INTEGER NOT NULL,
  started_at  TEXT,
  ended_at    TEXT,
  node        TEXT,
  pid         INTEGER,
  exit_code   INTEGER,
  signal      TEXT,
  output_tail TEXT,
  reason      TEXT
);
-- Each unit's latest run: the one with the greatest start_seq.
CREATE TABLE unit_latest (
  unit    TEXT PRIMARY KEY,
  exec_id TEXT NOT NULL REFERENCES runs (exec_id)
);
${RUNNING_INDEX}
`;

/** Steps that bring a spool of format N-1 to format N, by N. */
const UPGRADES: Record<number, string> = {
  2: `ALTER TABLE spool_meta ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;
      ${RUNNING_INDEX}`,
};

export const RUN_COLUMNS = `r.host, r.unit, r.exec_id AS execId, r.run_id AS runId, r.status, r.start_seq AS startSeq,
  r.last_seq AS lastSeq, r.started_at AS startedAt, r.ended_at AS endedAt, r.node, r.pid,
  r.exit_code AS exitCode, r.signal, r.output_tail AS outputTail, r.reason`;

export class SpoolError extends Error {}

/** The spool's fencing epoch is no longer the writer's: a newer agent holds it. */
export class SpoolSupersededError extends SpoolError {
  constructor(
    message: string,
    readonly mine: number,
    readonly found: number,
  ) {
    super(message);
  }
}

/** A write of the agent daemon: it happens only while the spool's epoch is still this one. */
export interface Fence {
  epoch: number;
}

interface SpoolMeta {
  spoolId: string;
  host: string;
  createdAt: string;
  prunedThrough: number;
  epoch: number;
}

function missingSpoolMessage(file: string, host?: string): string {
  return `no spool at ${file}: is the shared disk mounted? create it with jobscope setup -h ${host ?? 'HOST'} --init`;
}

export function connect(file: string, host?: string): Database.Database {
  if (!fs.existsSync(file)) throw new SpoolError(missingSpoolMessage(file, host));
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  } catch (e) {
    throw new SpoolError(`cannot open spool ${file}: ${(e as Error).message}`);
  }
  try {
    // Per connection: every commit reaches the disk before the append returns.
    db.pragma('synchronous = FULL');
    const format = db.pragma('user_version', { simple: true }) as number;
    if (format > SPOOL_FORMAT) throw new SpoolError(`spool ${file} was written by a newer build of Jobscope (format ${format})`);
    if (format < 1) throw new SpoolError(`${file} is not a Jobscope spool`);
    if (format < SPOOL_FORMAT) upgrade(db, file);
    return db;
  } catch (e) {
    db.close();
    if (e instanceof SpoolError) throw e;
    throw new SpoolError(`cannot read spool ${file}: ${(e as Error).message}`);
  }
}

/** Brings an older spool to this build's format, in place, keeping everything in it. */
function upgrade(db: Database.Database, file: string): void {
  try {
    // Many writers may open the old spool at once: the first to take the write lock upgrades, the others find it done.
    db.transaction(() => {
      const format = db.pragma('user_version', { simple: true }) as number;
      for (let next = format + 1; next <= SPOOL_FORMAT; next++) db.exec(UPGRADES[next]);
      if (format < SPOOL_FORMAT) db.pragma(`user_version = ${SPOOL_FORMAT}`);
    }).immediate();
  } catch (e) {
    throw new SpoolError(`cannot upgrade spool ${file} to format ${SPOOL_FORMAT}: ${(e as Error).message}`);
  }
}

export function readMeta(db: Database.Database, file: string): SpoolMeta {
  const row = db
    .prepare('SELECT spool_id AS spoolId, host, created_at AS createdAt, pruned_through AS prunedThrough, epoch FROM spool_meta')
    .get() as SpoolMeta | undefined;
  if (!row) throw new SpoolError(`spool ${file} has no identity row; it is damaged`);
  return row;
}

export function supersededWhileRunning(file: string, fence: Fence, found: number): SpoolSupersededError {
  return new SpoolSupersededError(
    `fencing epoch ${fence.epoch} of spool ${file} is superseded by epoch ${found}: another agent holds this host now`,
    fence.epoch,
    found,
  );
}

const notHostsSpool = (file: string, owner: string, host: string) => new SpoolError(`spool ${file} belongs to host "${owner}", not "${host}"`);

/** An open connection to append to a host's spool; closed again soon after, as no writer holds the file. */
export interface SpoolWriter {
  /**
   * Appends events in one transaction, in order, and returns them with their sequences. The
   * events must be valid: spool.ts checks other writers' events, `jobscope exec` makes its own
   * from checked parts. With a fence (the agent daemon's writes), the same transaction checks
   * that the spool's epoch is still the fence's, else throws SpoolSupersededError.
   */
  append(events: readonly NewSpoolEvent[], fence?: Fence): SpoolEvent[];
  close(): void;
}

function prepareAppend(db: Database.Database) {
  return {
    insertEvent: db.prepare(
      `INSERT INTO events (host, unit, exec_id, run_id, kind, status, at, node, pid, exit_code, signal, output_tail, reason)
       VALUES (@host, @unit, @execId, @runId, @kind, @status, @at, @node, @pid, @exitCode, @signal, @outputTail, @reason)`,
    ),
    readRun: db.prepare(`SELECT ${RUN_COLUMNS} FROM runs r WHERE r.exec_id = ?`),
    saveRun: db.prepare(
      `INSERT INTO runs (exec_id, host, unit, run_id, status, start_seq, last_seq, started_at, ended_at, node, pid, exit_code, signal, output_tail, reason)
       VALUES (@execId, @host, @unit, @runId, @status, @startSeq, @lastSeq, @startedAt, @endedAt, @node, @pid, @exitCode, @signal, @outputTail, @reason)
       ON CONFLICT (exec_id) DO UPDATE SET run_id = excluded.run_id, status = excluded.status, last_seq = excluded.last_seq,
         started_at = excluded.started_at, ended_at = excluded.ended_at, node = excluded.node, pid = excluded.pid,
         exit_code = excluded.exit_code, signal = excluded.signal, output_tail = excluded.output_tail, reason = excluded.reason`,
    ),
    saveLatest: db.prepare('INSERT INTO unit_latest (unit, exec_id) VALUES (?, ?) ON CONFLICT (unit) DO UPDATE SET exec_id = excluded.exec_id'),
  };
}

/** Opens a host's spool to append to: it must be there, readable by this build and that host's. */
export function openSpoolWriter(file: string, host: string): SpoolWriter {
  const db = connect(file, host);
  try {
    const meta = readMeta(db, file);
    if (meta.host !== host) throw notHostsSpool(file, meta.host, host);
  } catch (e) {
    db.close();
    throw e;
  }
  let statements: ReturnType<typeof prepareAppend> | undefined;
  const append = (events: readonly NewSpoolEvent[], fence?: Fence): SpoolEvent[] => {
    const { insertEvent, readRun, saveRun, saveLatest } = (statements ??= prepareAppend(db));
    const meta = readMeta(db, file);
    if (fence && meta.epoch !== fence.epoch) throw supersededWhileRunning(file, fence, meta.epoch);
    return events.map((e) => {
      if (meta.host !== e.host) throw notHostsSpool(file, meta.host, e.host);
      const { lastInsertRowid } = insertEvent.run(e);
      const stored: SpoolEvent = { seq: Number(lastInsertRowid), ...e };
      // Taken as stored: only this fold writes runs, and where the spool is read a damaged row is repaired or skipped.
      const previous = (readRun.get(e.execId) as Run | undefined) ?? null;
      if (previous && previous.unit !== e.unit) {
        throw new SpoolError(`event not recorded: execution ${e.execId} belongs to unit ${previous.unit}, not ${e.unit}`);
      }
      saveRun.run(foldEvent(previous, stored));
      // Sequences only grow, so a new execution always starts after every other run of its unit.
      if (!previous) saveLatest.run(e.unit, e.execId);
      return stored;
    });
  };
  return {
    append: (events, fence) => {
      try {
        return db.transaction(append).immediate(events, fence);
      } catch (err) {
        if (err instanceof SpoolError) throw err;
        throw new SpoolError(`event not recorded in spool ${file}: ${(err as Error).message}`);
      }
    },
    close: () => db.close(),
  };
}

/** Appends events of one host in one short transaction of its own (see SpoolWriter.append). */
export function appendToSpool(file: string, events: readonly NewSpoolEvent[], fence?: Fence): SpoolEvent[] {
  if (events.length === 0) return [];
  const spool = openSpoolWriter(file, events[0].host);
  try {
    return spool.append(events, fence);
  } finally {
    spool.close();
  }
}
